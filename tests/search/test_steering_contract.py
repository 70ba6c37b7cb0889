"""Staff's synonyms and promotions steer both backends alike, from the next search on.

The same contract as `test_faceted_contract`: every test runs on the database backend and on
Elasticsearch, in French and in English, and nothing is reindexed after staff change a rule.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import PageViewRestriction

from poc_catalogue.models import POCPage
from search.models import SynonymSet
from search.types import SearchResult
from tests.factories import commune, make_poc, theme
from tests.search.test_faceted_contract import CatalogueSearcher, around

pytestmark = pytest.mark.django_db


@dataclass
class Catalogue:
    velos: POCPage
    navette: POCPage
    jardin: POCPage
    draft: POCPage
    private: POCPage


@pytest.fixture
def pocs() -> Catalogue:
    private = make_poc("Vélos du personnel", themes=[theme("mobilite")])
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="clé"
    )
    return Catalogue(
        velos=make_poc(
            "Vélos cargo partagés",
            summary="Des vélos-cargos en libre-service pour les commerçants.",
            themes=[theme("mobilite")],
        ),
        navette=make_poc(
            "Navette électrique de Villeneuve",
            summary="Une navette sans chauffeur entre la gare et le campus.",
            themes=[theme("mobilite")],
        ),
        jardin=make_poc(
            "Jardin partagé des Moulins",
            summary="Un potager cultivé par les voisins, des arceaux pour les vélos.",
            themes=[theme("habiter")],
        ),
        draft=make_poc("Brouillon de vélo", publish=False, themes=[theme("mobilite")]),
        private=private,
    )


@pytest.fixture(params=["fr", "en"])
def search(request, backend: str, pocs: Catalogue) -> CatalogueSearcher:
    searcher = CatalogueSearcher(backend, request.param)
    searcher.reindex()
    return searcher


def titles(result: SearchResult) -> list[str]:
    return [hit.card.title for hit in result.hits]


def promote(query: str, *pages: POCPage) -> None:
    """As staff do in "Promoted search results": a query and its pages, in order."""
    promoted = Query.get(query)
    for order, page in enumerate(pages):
        SearchPromotion.objects.create(query=promoted, page=page, sort_order=order)


def test_a_synonym_finds_the_pocs_of_the_other_words_of_its_set(search):
    assert search(q="bicyclette").total == 0
    SynonymSet.objects.create(words="vélo, bicyclette, cycle")
    assert set(titles(search(q="bicyclette"))) == {
        "Vélos cargo partagés",
        "Jardin partagé des Moulins",
    }
    # A plural finds the set through its stem, and the other words still all have to match.
    assert titles(search(q="bicyclettes cargo")) == ["Vélos cargo partagés"]
    assert search(q="bicyclette navette").total == 0


def test_removing_a_synonym_stops_it_on_the_next_search(search):
    synonyms = SynonymSet.objects.create(words="vélo, bicyclette")
    assert search(q="bicyclette").total == 2
    synonyms.words = "vélo, biclou"
    synonyms.save()
    assert search(q="bicyclette").total == 0
    assert search(q="biclou").total == 2
    synonyms.delete()
    assert search(q="biclou").total == 0


def test_a_synonym_of_several_words_needs_all_of_them(search):
    SynonymSet.objects.create(words="VAE, navette électrique")
    assert titles(search(q="vae")) == ["Navette électrique de Villeneuve"]
    SynonymSet.objects.create(words="autolib, navette gratuite")
    assert search(q="autolib").total == 0


def test_synonyms_respect_the_ticked_filters(search):
    SynonymSet.objects.create(words="vélo, bicyclette")
    result = search(q="bicyclette", theme=["habiter"])
    assert titles(result) == ["Jardin partagé des Moulins"]


def test_a_promoted_poc_comes_first_for_its_query_and_only_once(search, pocs):
    promote("Vélo", pocs.navette, pocs.jardin)
    words_alone = search(q="vélos", sort="newest")
    assert "Navette électrique de Villeneuve" not in titles(words_alone)
    result = search(q="  VÉLO ")
    assert titles(result)[:2] == [
        "Navette électrique de Villeneuve",
        "Jardin partagé des Moulins",
    ]
    assert [hit.promoted for hit in result.hits] == [True, True, False]
    assert titles(result).count("Jardin partagé des Moulins") == 1
    # The words found two POCs; the navette is one more to page through.
    assert result.total == 3 == len(result.hits)


def test_pages_after_the_first_go_on_where_the_pinned_pocs_left_off(search, pocs):
    promote("vélo", pocs.navette)
    first = search(q="vélo", page_size=2)
    second = search(q="vélo", page=2, page_size=2)
    assert first.total == second.total == 3
    assert titles(first)[0] == "Navette électrique de Villeneuve"
    everything = titles(first) + titles(second)
    assert sorted(everything) == sorted(
        ["Navette électrique de Villeneuve", "Vélos cargo partagés", "Jardin partagé des Moulins"]
    )
    assert not any(hit.promoted for hit in second.hits)


def test_an_unpublished_or_private_promoted_poc_never_shows(search, pocs):
    promote("vélo", pocs.draft, pocs.private, pocs.navette)
    result = search(q="vélo")
    assert titles(result)[0] == "Navette électrique de Villeneuve"
    assert "Brouillon de vélo" not in titles(result)
    assert "Vélos du personnel" not in titles(result)
    assert result.total == 3


def test_a_promotion_respects_the_ticked_filters(search, pocs):
    promote("vélo", pocs.navette, pocs.jardin)
    result = search(q="vélo", theme=["habiter"])
    assert titles(result) == ["Jardin partagé des Moulins"]
    assert result.hits[0].promoted
    assert result.total == 1


def test_a_promotion_respects_the_area_searched(search, pocs):
    roubaix = make_poc("Vélo-école de Roubaix", commune=commune("Roubaix"))
    search.reindex()
    promote("vélo", roubaix, pocs.navette)
    result = search(q="vélo", bbox=around(commune("Lille")))
    assert titles(result)[0] == "Navette électrique de Villeneuve"
    assert "Vélo-école de Roubaix" not in titles(result)


def test_a_promotion_pins_nothing_when_sorted_otherwise_or_for_another_query(search, pocs):
    promote("vélo", pocs.navette)
    assert "Navette électrique de Villeneuve" not in titles(search(q="vélo", sort="title"))
    assert not any(hit.promoted for hit in search(q="vélo cargo").hits)


def test_a_removed_promotion_stops_on_the_next_search(search, pocs):
    promote("vélo", pocs.navette)
    assert search(q="vélo").hits[0].promoted
    Query.objects.get(query_string="vélo").editors_picks.all().delete()
    assert not any(hit.promoted for hit in search(q="vélo").hits)
