"""Any query string a visitor can type: never a server error, on both databases.

Named cases first (each was a 500 once), then hypothesis sending arbitrary query strings
(any unicode, NUL, superscript digits, huge numbers, up to 200 repeated values) to every
public endpoint that reads one. `make test` runs this module on PostgreSQL and on SQLite.
"""

from __future__ import annotations

import os
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search import connection
from tests.factories import commune, make_maker, make_poc, theme

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("SHOWCASE_HYPOTHESIS_EXAMPLES", "500"))
PARAMETERS = (
    "q",
    "theme",
    "maker",
    "commune",
    "tag",
    "stage",
    "year",
    "bbox",
    "near",
    "sort",
    "page",
    "view",
)


@pytest.fixture
def catalogue():
    maker = make_maker("Atelier Hostile")
    make_poc(
        "Vélos partagés",
        themes=[theme("mobilite")],
        makers=[maker],
        tags=["vélo"],
        commune=commune("Lille"),
    )
    make_poc("Jardin de courée", themes=[theme("habiter")], commune=commune("Roubaix"))
    return maker


def test_a_superscript_page_or_year_is_ignored_on_the_page_and_refused_by_the_api(
    client, catalogue, without_elasticsearch
):
    for params in ("page=²", "year=²", "page=١٢", "year=" + "9" * 5000):
        assert client.get(f"/catalogue/?{params}").status_code == 200, params
        assert client.get(f"/api/catalogue/search/?{params}").status_code == 400, params


def test_a_listing_page_in_superscript_digits_keeps_its_canonical_address(
    client, catalogue, without_elasticsearch
):
    for path in ("/themes/mobilite/", "/communes/lille/", "/makers/atelier-hostile/"):
        response = client.get(path, {"page": "¹"})
        assert response.status_code == 200, path
        assert f'<link rel="canonical" href="http://testserver{path}">' in response.text


def test_a_theme_or_commune_that_does_not_exist_has_no_feed_and_no_error(
    client, catalogue, without_elasticsearch
):
    response = client.get("/catalogue/", {"theme": ["mobilite", "vélo"], "commune": "ailleurs"})
    assert response.status_code == 200
    assert 'href="/feeds/themes/mobilite/"' in response.text
    assert "/feeds/themes/v" not in response.text and "/feeds/communes/" not in response.text


def test_too_many_values_in_two_facets_are_both_dropped_with_a_message(
    client, catalogue, without_elasticsearch
):
    params = [("theme", f"t{n}") for n in range(51)] + [("maker", f"m{n}") for n in range(51)]
    response = client.get("/catalogue/?" + urlencode(params))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("Trop de valeurs") == 2
    assert "2 POC" in page


def test_a_nul_byte_in_any_parameter_is_harmless(client, catalogue, without_elasticsearch):
    for name in PARAMETERS:
        for path in ("/catalogue/", "/api/catalogue/search/", "/api/catalogue/autocomplete/"):
            response = client.get(path, {name: "vél\x00o"})
            assert response.status_code < 500, (path, name)


@pytest.mark.elasticsearch
def test_an_out_of_range_year_is_the_visitors_error_not_the_clusters(
    client, catalogue, with_elasticsearch
):
    from search import indexing

    indexing.rebuild_index()
    response = client.get("/api/catalogue/search/?year=99999999999")
    assert response.status_code == 400
    assert response.json()["field"] == "year"
    assert not connection.cooling_down()
    assert client.get("/api/catalogue/search/").json()["backend"] == "elasticsearch"


# --- Arbitrary query strings -----------------------------------------------------------------

SPECIAL_VALUES = [
    "²",
    "³",
    "١٢",
    "\x00",
    "%00",
    "-1",
    "0",
    "1e9",
    "NaN",
    "🚲",
    "\u202e",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "mobilite",
    "lille",
    "atelier-hostile",
    "2020",
    "distance",
    "3.0,50.6,3.1,50.7",
    "-180,-90,180,90",
    "3.1,50.6,3.0,50.7",
    "1e308,1e308,1e308,1e308",
    "inf,0,0,0",
    "-0,-0,-0,-0",
    "50.63,3.06",
    "90,180",
    "50.63,,3.06",
]
values = st.one_of(
    st.text(max_size=300),
    st.text(alphabet="0123456789", min_size=1, max_size=6000),
    st.text(alphabet="²³¹⁰٠١٢٣", min_size=1, max_size=8),
    st.sampled_from(SPECIAL_VALUES),
)
names = st.one_of(st.sampled_from(PARAMETERS), st.text(max_size=20))
pairs = st.lists(st.tuples(names, values), max_size=12)
repeated = st.tuples(st.sampled_from(PARAMETERS), values, st.integers(1, 200)).map(
    lambda spec: [(spec[0], spec[1])] * spec[2]
)
query_strings = st.tuples(pairs, st.one_of(st.just([]), repeated)).map(
    lambda parts: urlencode(parts[0] + parts[1])
)

ENDPOINTS = [
    "/catalogue/",
    "/api/catalogue/search/",
    "/api/catalogue/autocomplete/",
    "/themes/mobilite/",
    "/communes/lille/",
    "/makers/atelier-hostile/",
]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_no_query_string_makes_a_server_error(client, catalogue, without_elasticsearch, path):
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(query=query_strings)
    def visit(query: str) -> None:
        response = client.get(f"{path}?{query}")
        assert response.status_code < 500, query

    visit()
