"""The JSON API, as a client of /api/catalogue/ sees it."""

from __future__ import annotations

import pytest

from search import indexing
from tests.factories import commune, make_maker, make_poc, theme

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["database", "elasticsearch"])
def api_catalogue(request):
    fixture = "with_elasticsearch" if request.param == "elasticsearch" else "without_elasticsearch"
    request.getfixturevalue(fixture)
    make_poc(
        "Vélos cargo partagés",
        themes=[theme("mobilite")],
        makers=[make_maker("Atelier Nord")],
        tags=["vélo"],
        commune=commune("Roubaix"),
        contact_email="secret@example.org",
    )
    make_poc("Jardin partagé", themes=[theme("habiter")], commune=commune("Lille"), year=2019)
    if request.param == "elasticsearch":
        indexing.rebuild_index()
    return request.param


def test_search_answers_results_and_facets(client, api_catalogue):
    response = client.get("/api/catalogue/search/", {"q": "velo", "theme": ["mobilite", "habiter"]})
    assert response.status_code == 200
    data = response.json()
    assert data["backend"] == api_catalogue
    assert data["total"] == 1
    assert data["page"] == 1
    assert data["page_size"] == 24
    assert "suggestion" in data
    result = data["results"][0]
    assert {
        "title",
        "url",
        "summary",
        "thumbnail",
        "themes",
        "makers",
        "commune",
        "stage",
        "year",
        "location",
    } <= set(result)
    assert result["title"] == "Vélos cargo partagés"
    assert result["commune"] == {"slug": "roubaix", "label": "Roubaix"}
    assert set(data["facets"]) == {"theme", "maker", "commune", "tag", "stage", "year"}
    assert {"value": "habiter", "label": "Habiter", "count": 0, "selected": True} in data["facets"][
        "theme"
    ]
    assert "secret@example.org" not in response.content.decode()


def test_repeated_parameters_select_several_values(client, api_catalogue):
    data = client.get("/api/catalogue/search/?commune=roubaix&commune=lille").json()
    assert data["total"] == 2


def test_unknown_slugs_match_nothing(client, api_catalogue):
    response = client.get("/api/catalogue/search/", {"maker": "personne"})
    assert response.status_code == 200
    assert response.json()["total"] == 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page": "deux"}, "page"),
        ({"page": "0"}, "page"),
        ({"page": "401"}, "page"),
        ({"sort": "random"}, "sort"),
        ({"q": "x" * 201}, "q"),
        ({"theme": [f"t{number}" for number in range(51)]}, "theme"),
        ({"bbox": "3.0,50.6,3.1"}, "bbox"),
        ({"bbox": "3.1,50.6,3.0,50.7"}, "bbox"),  # west past east
        ({"bbox": "3.0,50.7,3.1,50.6"}, "bbox"),  # south past north
        ({"bbox": "3.0,50.6,3.1,nan"}, "bbox"),
        ({"bbox": "3.0,-91,3.1,50.6"}, "bbox"),
        ({"near": "50.6"}, "near"),
        ({"near": "91,3"}, "near"),
        ({"near": "50.6,inf"}, "near"),
        ({"sort": "distance"}, "sort"),  # from where?
    ],
)
def test_bad_parameters_get_a_clear_400(client, params, field, without_elasticsearch):
    response = client.get("/api/catalogue/search/", params)
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert response.json()["error"]


def test_a_page_past_the_end_is_empty(client, api_catalogue):
    data = client.get("/api/catalogue/search/", {"page": "3"}).json()
    assert data["total"] == 2
    assert data["results"] == []


def test_autocomplete(client, api_catalogue):
    response = client.get("/api/catalogue/autocomplete/", {"q": "vel"})
    assert response.status_code == 200
    suggestions = response.json()["suggestions"]
    assert {"kind": "poc", "label": "Vélos cargo partagés"}.items() <= suggestions[0].items()
    assert suggestions[0]["url"] == "/catalogue/velos-cargo-partages/"
    assert client.get("/api/catalogue/autocomplete/", {"q": "x" * 201}).status_code == 400
    assert client.get("/api/catalogue/autocomplete/").json()["suggestions"] == []


def test_the_api_refuses_other_methods(client, without_elasticsearch):
    assert client.post("/api/catalogue/search/").status_code == 405


def test_an_area_and_a_point_filter_and_sort_the_results(client, api_catalogue):
    """`bbox=minLon,minLat,maxLon,maxLat` (GeoJSON's order) and `near=lat,lon`."""
    roubaix = commune("Roubaix")
    west, south = roubaix.longitude - 0.01, roubaix.latitude - 0.01
    bbox = f"{west},{south},{west + 0.02},{south + 0.02}"
    data = client.get("/api/catalogue/search/", {"bbox": bbox}).json()
    assert [result["title"] for result in data["results"]] == ["Vélos cargo partagés"]
    assert data["facets"]["commune"] == [
        {"value": "roubaix", "label": "Roubaix", "count": 1, "selected": False}
    ]
    assert data["results"][0]["distance"] is None

    near = f"{roubaix.latitude},{roubaix.longitude}"
    data = client.get("/api/catalogue/search/", {"near": near, "sort": "distance"}).json()
    assert [result["title"] for result in data["results"]] == [
        "Vélos cargo partagés",
        "Jardin partagé",
    ]
    assert data["results"][0]["distance"] == 0
    assert 9_000 < data["results"][1]["distance"] < 13_000  # metres, Roubaix to Lille
