"""The catalogue as open data: the CSV and GeoJSON exports as a reuser downloads them, and
the pages that lead to them."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from poc_catalogue.limits import PAGE_SIZE
from poc_catalogue.submissions.models import Submission
from search import indexing
from search.open_data import EXPORT_FIELDS, LICENCE_URL
from tests.factories import commune, english, make_maker, make_poc, theme
from tests.search.faults import fault

pytestmark = pytest.mark.django_db

CSV_URL = "/api/catalogue/export.csv"
GEOJSON_URL = "/api/catalogue/export.geojson"


def download(client, url: str, **params) -> tuple[object, str]:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    assert response.streaming
    return response, b"".join(response.streaming_content).decode("utf-8")


def csv_rows(client, **params) -> list[dict[str, str]]:
    response, text = download(client, CSV_URL, **params)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def geojson(client, **params) -> dict:
    response, text = download(client, GEOJSON_URL, **params)
    assert response["Content-Type"] == "application/geo+json; charset=utf-8"
    return json.loads(text)


@pytest.fixture
def open_catalogue(backend):
    bikes = make_poc(
        "Vélos cargo partagés",
        themes=[theme("mobilite"), theme("habiter")],
        makers=[make_maker("Atelier Nord"), make_maker("Ville de Roubaix")],
        tags=["vélo", "partage"],
        commune=commune("Roubaix"),
        latitude=50.69,
        longitude=3.18,
        year=2021,
    )
    garden = make_poc("Jardin partagé", themes=[theme("habiter")], commune=commune("Lille"))
    if backend == "elasticsearch":
        indexing.rebuild_index()
    return bikes, garden


def test_the_csv_holds_every_public_field_and_the_licence(client, backend, open_catalogue):
    bikes, _garden = open_catalogue
    rows = csv_rows(client, q="velo")
    assert [row["title"] for row in rows] == ["Vélos cargo partagés"]
    [row] = rows
    assert list(row) == [field.name for field in EXPORT_FIELDS] + ["licence"]
    assert row["id"] == str(bikes.pk)
    assert row["url"] == f"http://testserver{bikes.url}"
    assert row["themes"] == "Habiter; Mobilité"
    assert row["theme_slugs"] == "habiter; mobilite"
    assert row["makers"] == "Atelier Nord; Ville de Roubaix"
    assert row["commune"] == "Roubaix"
    assert set(row["tags"].split("; ")) == {"vélo", "partage"}
    assert (row["stage"], row["year"]) == ("experiment", "2021")
    assert (float(row["latitude"]), float(row["longitude"])) == (50.69, 3.18)
    assert row["published"] == timezone.localdate().isoformat()
    assert row["language"] == "fr"
    assert "Licence Ouverte" in row["licence"] and LICENCE_URL in row["licence"]


def test_the_geojson_is_points_with_the_same_fields(client, backend, open_catalogue):
    bikes, garden = open_catalogue
    collection = geojson(client, sort="title")
    assert collection["type"] == "FeatureCollection"
    assert collection["licence"]["url"] == LICENCE_URL
    assert collection["source"].startswith("http://testserver/api/catalogue/export.geojson")
    first, second = collection["features"]
    assert [first["id"], second["id"]] == [garden.pk, bikes.pk]
    assert second["geometry"] == {"type": "Point", "coordinates": [3.18, 50.69]}
    assert second["properties"]["themes"] == ["Habiter", "Mobilité"]
    assert set(second["properties"]) == {field.name for field in EXPORT_FIELDS}
    # Without a position of its own, a POC stands at its commune's centre, as on the map.
    assert first["geometry"]["type"] == "Point"


def test_an_export_follows_the_search_filters_and_order(client, backend, open_catalogue):
    assert [row["title"] for row in csv_rows(client, theme="habiter", sort="title")] == [
        "Jardin partagé",
        "Vélos cargo partagés",
    ]
    assert [row["title"] for row in csv_rows(client, commune="lille")] == ["Jardin partagé"]
    assert csv_rows(client, maker="personne") == []
    assert geojson(client, year="1999")["features"] == []


def test_an_export_in_english_uses_the_published_translation(client, backend, open_catalogue):
    bikes, garden = open_catalogue
    english(bikes, title="Shared cargo bikes", slug="shared-cargo-bikes")
    english(garden, publish=False, title="Secret draft garden", slug="draft-garden")
    if backend == "elasticsearch":
        indexing.rebuild_index()
    rows = {row["id"]: row for row in csv_rows(client, lang="en")}
    assert rows[str(bikes.pk)]["title"] == "Shared cargo bikes"
    assert rows[str(bikes.pk)]["language"] == "en"
    assert rows[str(bikes.pk)]["url"].startswith("http://testserver/en/")
    assert rows[str(garden.pk)]["title"] == "Jardin partagé"
    assert rows[str(garden.pk)]["language"] == "fr"
    _response, text = download(client, GEOJSON_URL, lang="en")
    assert "Secret draft garden" not in text


def test_private_data_never_appears(client, backend, open_catalogue):
    bikes, _garden = open_catalogue
    make_poc("Brouillon confidentiel", publish=False, tags=["brouillon"])
    restricted = make_poc("Projet réservé", tags=["réservé"])
    PageViewRestriction.objects.create(
        page=restricted, restriction_type=PageViewRestriction.PASSWORD, password="clé"
    )
    staff_contact = make_poc("Projet suivi", contact_email="referent@example.org")
    now = timezone.now()
    Submission.objects.create(
        page=bikes,
        title=bikes.title,
        contact_name="Camille Secrète",
        contact_email="camille@example.org",
        contact_phone="0320000000",
        status_token_hash="x" * 64,
        consented_to_publication_at=now,
        consented_to_processing_at=now,
    )
    if backend == "elasticsearch":
        indexing.rebuild_index()
    ids = {restricted.pk, staff_contact.pk}
    for url in (CSV_URL, GEOJSON_URL):
        response, text = download(client, url)
        assert response["X-Catalogue-Backend"] == backend
        for secret in ("Brouillon", "réservé", "Camille", "@example.org", "0320000000"):
            assert secret not in text
        assert "Projet suivi" in text
    # A crafted selection gets no more than a search.
    rows = csv_rows(client, poc=sorted(ids))
    assert [row["title"] for row in rows] == ["Projet suivi"]


def test_a_selection_is_exported_in_its_order(client, backend, open_catalogue):
    bikes, garden = open_catalogue
    params = {"poc": [garden.pk, 999_999, bikes.pk, garden.pk]}
    assert [row["id"] for row in csv_rows(client, **params)] == [str(garden.pk), str(bikes.pk)]
    features = geojson(client, **params)["features"]
    assert [feature["id"] for feature in features] == [garden.pk, bikes.pk]
    assert csv_rows(client, poc=[bikes.pk], theme="habiter")[0]["id"] == str(bikes.pk)
    assert csv_rows(client, poc=[bikes.pk], commune="lille") == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"poc": "deux"}, "poc"),
        ({"poc": [str(number) for number in range(1, 102)]}, "poc"),
        ({"sort": "random"}, "sort"),
        ({"q": "x" * 201}, "q"),
        ({"year": "20"}, "year"),
    ],
)
def test_bad_parameters_get_a_clear_400(client, without_elasticsearch, params, field):
    for url in (CSV_URL, GEOJSON_URL):
        response = client.get(url, params)
        assert response.status_code == 400
        assert response.json()["field"] == field


def test_the_whole_result_is_exported_not_a_page(client, without_elasticsearch):
    for number in range(PAGE_SIZE + 3):
        make_poc(f"Banc {number:02d}", themes=[theme("habiter")])
    assert client.get("/api/catalogue/search/").json()["num_pages"] == 2
    rows = csv_rows(client, sort="title")
    assert len(rows) == PAGE_SIZE + 3
    assert rows[-1]["title"] == f"Banc {PAGE_SIZE + 2:02d}"


def test_an_export_falls_back_to_the_database_when_the_cluster_is_away(client, faulty_cluster):
    make_poc("Vélos cargo partagés")
    indexing.rebuild_index()
    with fault("refused"):
        response, text = download(client, CSV_URL)
    assert response["X-Catalogue-Backend"] == "database"
    assert "Vélos cargo partagés" in text


def test_the_catalogue_offers_its_results_for_download(client, without_elasticsearch):
    make_poc("Vélos cargo partagés", themes=[theme("mobilite")])
    page = client.get("/catalogue/?theme=mobilite&sort=title&page=1&view=list").content.decode()
    assert "Télécharger ces résultats" in page
    assert 'href="/api/catalogue/export.csv?theme=mobilite&amp;sort=title&amp;lang=fr"' in page
    assert 'href="/api/catalogue/export.geojson?theme=mobilite&amp;sort=title&amp;lang=fr"' in page
    assert 'href="/open-data/"' in page
    english_page = client.get("/en/catalogue/?theme=mobilite").content.decode()
    assert "Download these results" in english_page
    assert "export.csv?theme=mobilite&amp;lang=en" in english_page


def test_the_open_data_page_documents_fields_and_licence(client, without_elasticsearch):
    for url, heading, licence_words in [
        ("/open-data/", "Données ouvertes", "Licence Ouverte"),
        ("/en/open-data/", "Open data", "Licence Ouverte"),
    ]:
        response = client.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        assert f"<h1>{heading}</h1>" in page
        assert licence_words in page and LICENCE_URL in page
        for field in EXPORT_FIELDS:
            assert f"<code>{field.name}</code>" in page
        assert "/api/catalogue/export.csv?lang=" in page
        assert 'href="/api/schema/"' in page
