"""Searching in English: the contract both backends keep for a catalogue partly translated.

Under /en/, a POC's English translation is searched with English analysis (possessives,
light stemming) and ranks first; the French text still counts, so a POC nobody translated is
found by its French words and shown in French. French searches never match the translation.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.utils import translation
from wagtail.models import PageViewRestriction

from poc_catalogue.models import POCPage, Stage
from search.catalogue import autocomplete, search_catalogue
from search.types import SearchRequest, SearchResult
from tests.factories import commune, english, make_poc, theme
from tests.search.test_faceted_contract import CatalogueSearcher

pytestmark = pytest.mark.django_db


@dataclass
class Catalogue:
    bikes: POCPage
    garden: POCPage
    benches: POCPage


@pytest.fixture
def catalogue_pocs() -> Catalogue:
    bikes = make_poc(
        "Vélos cargo partagés",
        summary="Des vélos-cargos en libre-service pour les commerçants du centre.",
        themes=[theme("mobilite")],
        commune=commune("Roubaix"),
        tags=["vélo"],
        stage=Stage.EXPERIMENT,
    )
    garden = make_poc(
        "Jardin partagé des Moulins",
        summary="Un potager cultivé par les voisins au pied des immeubles.",
        themes=[theme("habiter")],
        commune=commune("Lille"),
    )
    benches = make_poc(
        "Mobilier urbain réemployé",
        summary="Des bancs fabriqués avec des matériaux de chantier récupérés.",
        themes=[theme("economie-circulaire")],
        commune=commune("Tourcoing"),
    )
    english(
        bikes,
        title="Shared cargo bikes",
        slug="shared-cargo-bikes",
        summary="Self-service cargo bikes for the city's shopkeepers.",
    )
    english(
        benches,
        title="Reused street furniture",
        slug="reused-street-furniture",
        summary="Benches built from salvaged building materials.",
    )
    return Catalogue(bikes, garden, benches)


@pytest.fixture
def search(backend: str, catalogue_pocs: Catalogue) -> CatalogueSearcher:
    searcher = CatalogueSearcher(backend, "en")
    searcher.reindex()
    return searcher


def titles(result: SearchResult) -> set[str]:
    return {hit.card.title for hit in result.hits}


@pytest.mark.parametrize("query", ["bikes", "bike", "Bikes", "cargo bike"])
def test_english_words_find_the_translation_with_light_stemming(search, query):
    result = search(q=query)
    assert titles(result) == {"Shared cargo bikes"}
    hit = result.hits[0]
    assert hit.card.url == "/en/catalogue/shared-cargo-bikes/"
    assert hit.card.text_language == "en"
    assert "<mark>" in hit.highlight["title"]


def test_possessives_and_plurals_are_read_as_english(search):
    assert titles(search(q="city shopkeeper")) == {"Shared cargo bikes"}
    assert titles(search(q="benches material")) == {"Reused street furniture"}


def test_an_untranslated_poc_is_found_by_its_french_words_and_shown_in_french(
    search, catalogue_pocs
):
    result = search(q="potager")
    assert titles(result) == {"Jardin partagé des Moulins"}
    card = result.hits[0].card
    assert card.text_language == "fr"
    assert card.url == f"/en{catalogue_pocs.garden.url}"
    assert "<mark>potager</mark>" in result.hits[0].highlight["summary"]


def test_french_words_still_find_a_translated_poc_shown_in_english(search):
    result = search(q="vélos")
    assert titles(result) == {"Shared cargo bikes"}


def test_french_searches_do_not_match_the_translation(search):
    assert search(q="furniture", language="fr").total == 0
    assert titles(search(q="mobilier", language="fr")) == {"Mobilier urbain réemployé"}


def test_sorting_by_title_follows_the_titles_english_readers_see(search):
    by_title = [hit.card.title for hit in search(sort="title").hits]
    assert by_title == [
        "Jardin partagé des Moulins",
        "Reused street furniture",
        "Shared cargo bikes",
    ]
    in_french = [hit.card.title for hit in search(sort="title", language="fr").hits]
    assert in_french == [
        "Jardin partagé des Moulins",
        "Mobilier urbain réemployé",
        "Vélos cargo partagés",
    ]


def test_facets_count_each_poc_once_with_english_labels(search):
    with translation.override("en"):
        result = search_catalogue(SearchRequest(language="en"))
    assert result.total == 3
    themes = {value.value: (value.label, value.count) for value in result.facets["theme"]}
    assert themes["mobilite"] == ("Mobility", 1)
    assert themes["economie-circulaire"] == ("Circular economy", 1)


def test_english_titles_are_suggested_as_typed(search, catalogue_pocs):
    with translation.override("en"):
        suggestions = {
            (item.label, item.url) for item in autocomplete("shar") if item.kind == "poc"
        }
        french = {(item.label, item.url) for item in autocomplete("jard") if item.kind == "poc"}
    assert ("Shared cargo bikes", "/en/catalogue/shared-cargo-bikes/") in suggestions
    assert french == {("Jardin partagé des Moulins", f"/en{catalogue_pocs.garden.url}")}


def test_publishing_a_translation_updates_the_search_like_any_publish(search, catalogue_pocs):
    assert search(q="vegetable").total == 0
    english(
        catalogue_pocs.garden,
        title="Shared garden of Les Moulins",
        slug="shared-garden",
        summary="A vegetable garden grown by the neighbours.",
    )
    assert titles(search(q="vegetable")) == {"Shared garden of Les Moulins"}

    translated = catalogue_pocs.garden.get_translations().get()
    translated.unpublish()
    assert search(q="vegetable").total == 0
    assert titles(search(q="potager")) == {"Jardin partagé des Moulins"}


def test_the_api_answers_in_the_language_the_page_asks_for(search, client):
    """The catalogue's scripts pass their page's language: a French browser reading /en/
    gets English suggestions and results, with English addresses."""
    headers = {"HTTP_ACCEPT_LANGUAGE": "fr"}
    suggested = client.get("/api/catalogue/autocomplete/", {"q": "shar", "lang": "en"}, **headers)
    assert suggested["Content-Language"] == "en"
    assert {
        "label": "Shared cargo bikes",
        "url": "/en/catalogue/shared-cargo-bikes/",
    }.items() <= suggested.json()["suggestions"][0].items()

    found = client.get("/api/catalogue/search/", {"q": "bikes", "lang": "en"}, **headers).json()
    assert [hit["title"] for hit in found["results"]] == ["Shared cargo bikes"]
    assert found["results"][0]["language"] == "en"
    assert client.get("/api/catalogue/search/", {"q": "bikes"}, **headers).json()["total"] == 0
    # A language the site does not have is refused like any unusable parameter, naming it.
    refused = client.get("/api/catalogue/search/", {"q": "bikes", "lang": "de"}, **headers)
    assert refused.status_code == 400 and refused.json()["field"] == "lang"


def test_a_private_translation_shows_nowhere(search, catalogue_pocs):
    """A privacy restriction on the English page keeps its text out of results and cards;
    the French page, public, is still found and shown."""
    translated = catalogue_pocs.bikes.get_translations().get()
    PageViewRestriction.objects.create(
        page=translated, restriction_type=PageViewRestriction.PASSWORD, password="clé"
    )
    search.reindex()
    assert search(q="bikes").total == 0
    result = search(q="vélos")
    assert titles(result) == {"Vélos cargo partagés"}
    assert result.hits[0].card.url == f"/en{catalogue_pocs.bikes.url}"
