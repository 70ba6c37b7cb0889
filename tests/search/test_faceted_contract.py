"""One contract, two backends: the same searches give the same answers on both.

Elasticsearch runs for real (the cluster `make test` starts); the database backend runs on
whatever database the suite uses (PostgreSQL in `make test`, SQLite otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from poc_catalogue.geography import Extent, Point
from poc_catalogue.models import POCPage, Stage
from search import indexing
from search.catalogue import autocomplete, nearby_pocs, related_pocs, search_catalogue
from search.types import SearchRequest, SearchResult
from tests.factories import commune, make_maker, make_poc, theme

pytestmark = pytest.mark.django_db


@dataclass
class Catalogue:
    velos: object
    jardin: object
    hopital: object
    mobilier: object
    navette: object


@pytest.fixture
def catalogue_pocs() -> Catalogue:
    nord = make_maker("Atelier Nord")
    terre = make_maker("Collectif Terre")
    sud = make_maker("Studio Sud")
    pocs = Catalogue(
        velos=make_poc(
            "Vélos cargo partagés",
            summary="Des vélos-cargos en libre-service pour les commerçants du centre.",
            themes=[theme("mobilite")],
            makers=[nord],
            tags=["vélo", "partage"],
            commune=commune("Roubaix"),
            stage=Stage.EXPERIMENT,
            year=2020,
        ),
        jardin=make_poc(
            "Jardin partagé des Moulins",
            summary="Un potager cultivé par les voisins au pied des immeubles.",
            themes=[theme("habiter"), theme("ville-collaborative")],
            makers=[terre],
            tags=["jardin"],
            commune=commune("Lille"),
            stage=Stage.DEPLOY,
            year=2019,
        ),
        hopital=make_poc(
            "Signalétique de l'hôpital",
            summary="Des repères lisibles pour trouver son chemin aux urgences.",
            themes=[theme("prendre-soin")],
            makers=[nord, sud],
            tags=["santé"],
            commune=commune("Lille"),
            stage=Stage.IMAGINE,
            year=2020,
        ),
        mobilier=make_poc(
            "Mobilier urbain réemployé",
            summary="Des bancs fabriqués avec des matériaux de chantier récupérés.",
            themes=[theme("economie-circulaire"), theme("habiter")],
            makers=[sud],
            tags=["réemploi"],
            commune=commune("Tourcoing"),
            stage=Stage.EXPERIMENT,
            year=2021,
        ),
        navette=make_poc(
            "Navette électrique de Villeneuve",
            summary="Une navette sans chauffeur entre la gare et le campus.",
            themes=[theme("mobilite")],
            makers=[terre],
            tags=["transport"],
            commune=commune("Villeneuve-d'Ascq"),
            stage=Stage.UNDERSTAND,
            year=2021,
        ),
    )
    make_poc("Brouillon secret de mobilité", publish=False, themes=[theme("mobilite")])
    return pocs


@pytest.fixture(params=["fr", "en"])
def language(request) -> str:
    return request.param


# For what the visitor's language cannot change: filters and counts without words, and the
# related, nearby and autocomplete questions, which never carry the search's language.
french_only = pytest.mark.parametrize("language", ["fr"])


@pytest.fixture
def search(language: str, backend: str, catalogue_pocs: Catalogue):
    """Search as visitors do, through `search_catalogue`, on the backend under test, in each
    language: under /en/, POCs without a translation are found by their French text."""
    searcher = CatalogueSearcher(backend, language)
    searcher.reindex()
    return searcher


class CatalogueSearcher:
    def __init__(self, backend: str, language: str = "fr") -> None:
        self.backend = backend
        self.language = language

    def reindex(self) -> None:
        """After adding POCs in a test: Elasticsearch sees them once indexed."""
        if self.backend == "elasticsearch":
            indexing.rebuild_index()

    def __call__(self, **params) -> SearchResult:
        for facet in ("theme", "maker", "commune", "tag", "stage", "year"):
            if facet in params:
                params[facet] = tuple(params[facet])
        params.setdefault("language", self.language)
        result = search_catalogue(SearchRequest(**params))
        assert result.backend == self.backend
        return result


def titles(result: SearchResult) -> set[str]:
    return {hit.card.title for hit in result.hits}


def counts(result: SearchResult, facet: str) -> dict[str, tuple[int, bool]]:
    return {value.value: (value.count, value.selected) for value in result.facets[facet]}


def test_no_query_lists_every_published_poc_and_no_draft(search):
    result = search()
    assert result.total == 5
    assert "Brouillon secret de mobilité" not in titles(result)
    assert counts(result, "theme") == {
        "economie-circulaire": (1, False),
        "habiter": (2, False),
        "mobilite": (2, False),
        "prendre-soin": (1, False),
        "ville-collaborative": (1, False),
    }
    assert counts(result, "year") == {"2021": (2, False), "2020": (2, False), "2019": (1, False)}
    assert [value.value for value in result.facets["year"]] == ["2021", "2020", "2019"]


@pytest.mark.parametrize("query", ["velos", "Vélos", "VELOS"])
def test_accents_and_case_do_not_matter(search, query):
    assert titles(search(q=query)) == {"Vélos cargo partagés"}


def test_a_word_without_its_accent_finds_the_accented_one(search):
    assert titles(search(q="hopital")) == {"Signalétique de l'hôpital"}
    assert titles(search(q="reemploye")) == {"Mobilier urbain réemployé"}


def test_every_query_word_must_match_somewhere(search):
    assert titles(search(q="navette campus")) == {"Navette électrique de Villeneuve"}
    assert search(q="navette potager").total == 0


def test_a_query_word_does_not_match_inside_another_word(search):
    assert titles(search(q="villeneuve")) == {"Navette électrique de Villeneuve"}
    assert search(q="neuve").total == 0


def test_query_matches_makers_tags_and_themes(search):
    assert titles(search(q="collectif terre")) == {
        "Jardin partagé des Moulins",
        "Navette électrique de Villeneuve",
    }
    assert titles(search(q="mobilite")) == {
        "Vélos cargo partagés",
        "Navette électrique de Villeneuve",
    }


@french_only
def test_values_of_one_facet_are_ored_and_keep_their_siblings_counts(search):
    result = search(theme=["mobilite"])
    assert result.total == 2
    theme_counts = counts(result, "theme")
    assert theme_counts["mobilite"] == (2, True)
    assert theme_counts["habiter"] == (2, False)
    assert theme_counts["prendre-soin"] == (1, False)

    both = search(theme=["mobilite", "prendre-soin"])
    assert both.total == 3
    assert counts(both, "theme")["prendre-soin"] == (1, True)
    # Other facets count only what the theme filter lets through.
    assert counts(both, "maker") == {
        "atelier-nord": (2, False),
        "collectif-terre": (1, False),
        "studio-sud": (1, False),
    }


@french_only
def test_facets_are_anded_and_each_counts_under_the_others(search):
    result = search(theme=["habiter"], commune=["lille"])
    assert titles(result) == {"Jardin partagé des Moulins"}
    assert counts(result, "theme") == {
        "habiter": (1, True),
        "ville-collaborative": (1, False),
        "prendre-soin": (1, False),
    }
    assert counts(result, "commune") == {"lille": (1, True), "tourcoing": (1, False)}
    assert counts(result, "stage") == {"deploy": (1, False)}


def test_the_text_query_narrows_counts_too(search):
    result = search(q="lisibles")
    assert counts(result, "commune") == {"lille": (1, False)}
    assert counts(result, "maker") == {"atelier-nord": (1, False), "studio-sud": (1, False)}


def test_selected_values_appear_even_with_zero_count(search):
    result = search(q="velos", theme=["habiter"])
    assert result.total == 0
    theme_counts = counts(result, "theme")
    assert theme_counts["habiter"] == (0, True)
    assert theme_counts["mobilite"] == (1, False)


def test_an_empty_result_still_answers_facets(search):
    result = search(q="zzqxwv", maker=["studio-sud"])
    assert result.total == 0
    assert result.hits == []
    assert result.num_pages == 1
    assert counts(result, "maker") == {"studio-sud": (0, True)}
    assert result.facets["theme"] == []


@french_only
def test_a_page_past_the_end_is_empty_but_counts_everything(search):
    result = search(page=2)
    assert result.total == 5
    assert result.hits == []
    assert result.page == 2


def test_page_size_splits_the_results(search):
    first = search(sort="title", page_size=2)
    second = search(sort="title", page_size=2, page=2)
    assert [hit.card.title for hit in first.hits + second.hits] == [
        "Jardin partagé des Moulins",
        "Mobilier urbain réemployé",
        "Navette électrique de Villeneuve",
        "Signalétique de l'hôpital",
    ]
    assert first.num_pages == 3


@french_only
def test_unknown_slugs_match_nothing(search):
    result = search(theme=["pas-un-theme"])
    assert result.total == 0
    assert counts(result, "theme")["pas-un-theme"] == (0, True)
    assert search(year=["deux-mille"]).total == 0
    assert search(tag=["inconnu"], theme=["mobilite"]).total == 0


@french_only
def test_years_stages_and_tags_filter(search):
    assert titles(search(year=["2021"])) == {
        "Mobilier urbain réemployé",
        "Navette électrique de Villeneuve",
    }
    assert titles(search(stage=["experiment"], tag=["réemploi"])) == {"Mobilier urbain réemployé"}


@french_only
def test_newest_first(search, catalogue_pocs):
    assert [hit.card.title for hit in search(sort="newest").hits][:2] == [
        "Navette électrique de Villeneuve",
        "Mobilier urbain réemployé",
    ]


def test_a_title_match_ranks_first(search):
    result = search(q="jardin")
    assert result.hits[0].card.title == "Jardin partagé des Moulins"


def test_hits_carry_what_a_card_shows(search):
    hit = search(q="navette").hits[0].as_dict()  # what the API and the cards show
    # Under /en/, the French page's English address (it has no translation).
    prefix = "/en" if search.language == "en" else ""
    assert hit["url"] == f"{prefix}/catalogue/navette-electrique-de-villeneuve/"
    assert hit["language"] == "fr"
    assert hit["summary"].startswith("Une navette")
    assert hit["thumbnail"] and hit["thumbnail"].endswith(".webp")
    assert hit["themes"] == [{"slug": "mobilite", "label": "Mobilité", "colour": "#7c3aed"}]
    assert hit["makers"] == [{"slug": "collectif-terre", "label": "Collectif Terre"}]
    assert hit["commune"] == {"slug": "villeneuve-dascq", "label": "Villeneuve-d'Ascq"}
    assert hit["stage"]["value"] == "understand"
    assert hit["stage"]["label"]
    assert hit["year"] == 2021
    assert hit["location"] is not None and 50 < hit["location"]["lat"] < 51


def test_query_terms_are_highlighted_and_the_rest_escaped(search):
    make_poc("Vélos <rapides> & sûrs", summary="Réparer son vélo soi-même.")
    search.reindex()
    hit = next(hit for hit in search(q="velos rapides").hits if "rapides" in hit.card.title)
    assert "<mark>Vélos</mark>" in hit.highlight["title"]
    assert "&lt;" in hit.highlight["title"]
    assert "<rapides>" not in hit.highlight["title"]


@pytest.mark.parametrize(
    ("singular", "plural"),
    [("vélo", "vélos"), ("mobilité", "mobilités"), ("jardin", "jardins"), ("banc", "bancs")],
)
def test_singular_and_plural_find_the_same_pocs(search, singular, plural):
    found = titles(search(q=singular))
    assert found
    assert titles(search(q=plural)) == found


def test_stems_match_whole_words_not_the_start_of_others(search):
    make_poc("Vélomobile solaire", summary="Un tricycle caréné.")
    search.reindex()
    assert "Vélomobile solaire" not in titles(search(q="vélo"))
    assert "Mobilier urbain réemployé" not in titles(search(q="mobilité"))


def test_a_poc_matched_by_a_tag_alone_says_which_tag(search):
    make_poc(
        "Atelier du samedi", summary="Réparer ensemble, une fois par mois.", tags=["vélo", "repair"]
    )
    search.reindex()
    hit = next(hit for hit in search(q="vélos").hits if hit.card.title == "Atelier du samedi")
    assert hit.highlight == {"tag_names": "<mark>vélo</mark>"}


@french_only
def test_related_pocs_share_themes_or_tags(search, catalogue_pocs):
    related = related_pocs(catalogue_pocs.velos.pk)
    assert related.backend == search.backend
    related_titles = [hit.card.title for hit in related]
    assert "Navette électrique de Villeneuve" in related_titles
    assert "Vélos cargo partagés" not in related_titles


@french_only
def test_a_poc_without_tags_has_similar_pocs_by_theme(search, catalogue_pocs):
    untagged = make_poc("Potager des Moulins", themes=[theme("habiter")])
    search.reindex()
    assert "Jardin partagé des Moulins" in {hit.card.title for hit in related_pocs(untagged.pk)}


@french_only
def test_nearby_pocs_are_the_nearest_published_ones_first_with_their_distance(
    search, catalogue_pocs
):
    lille = catalogue_pocs.jardin.commune
    make_poc("Banc du square", latitude=lille.latitude + 0.01, longitude=lille.longitude)
    search.reindex()

    nearby = nearby_pocs(catalogue_pocs.jardin.pk, limit=4)

    assert nearby.backend == search.backend
    assert [hit.card.title for hit in nearby] == [
        "Signalétique de l'hôpital",  # placed at Lille's centre too
        "Banc du square",  # 1.1 km north
        "Navette électrique de Villeneuve",
        "Vélos cargo partagés",  # Roubaix, before Tourcoing
    ]
    here = Point(lille.latitude, lille.longitude)
    for hit in nearby:
        assert hit.distance == pytest.approx(here.metres_to(hit.card.location), abs=1)
    assert nearby.items[1].distance == pytest.approx(1112, abs=5)


@french_only
def test_nearby_pocs_leave_out_drafts_and_answer_nothing_for_them(search, catalogue_pocs):
    draft = POCPage.objects.get(title="Brouillon secret de mobilité")
    everything = nearby_pocs(catalogue_pocs.jardin.pk, limit=10)
    assert len(everything) == 4
    assert draft.title not in {hit.card.title for hit in everything}
    assert list(nearby_pocs(draft.pk)) == []


def around(place, metres: float = 1000) -> Extent:
    """A square area about `metres` across each way from a commune's centre or a point."""
    lat_step, lon_step = metres / 111_195, metres / 70_600  # degrees at Lille's latitude
    return Extent(
        south=place.latitude - lat_step,
        west=place.longitude - lon_step,
        north=place.latitude + lat_step,
        east=place.longitude + lon_step,
    )


@french_only
def test_an_area_keeps_the_pocs_placed_in_it_and_counts_facets_within_it(search):
    result = search(bbox=around(commune("Lille")))
    assert titles(result) == {"Jardin partagé des Moulins", "Signalétique de l'hôpital"}
    assert result.total == 2
    assert counts(result, "commune") == {"lille": (2, False)}
    assert counts(result, "theme") == {
        "habiter": (1, False),
        "ville-collaborative": (1, False),
        "prendre-soin": (1, False),
    }
    assert counts(result, "maker") == {
        "atelier-nord": (1, False),
        "collectif-terre": (1, False),
        "studio-sud": (1, False),
    }
    # A facet ticked outside the area: nothing, and its value counted within the area.
    elsewhere = search(bbox=around(commune("Lille")), theme=["mobilite"])
    assert elsewhere.total == 0
    assert counts(elsewhere, "theme")["mobilite"] == (0, True)


def test_an_area_narrows_a_text_search(search):
    assert titles(search(q="partage")) == {"Vélos cargo partagés", "Jardin partagé des Moulins"}
    assert titles(search(q="partage", bbox=around(commune("Roubaix")))) == {"Vélos cargo partagés"}


@french_only
def test_a_poc_is_found_in_an_area_by_its_own_position_before_its_communes(search):
    lille = commune("Lille")
    make_poc(
        "Kiosque de la gare",
        commune=commune("Roubaix"),
        latitude=lille.latitude + 0.002,
        longitude=lille.longitude,
    )
    search.reindex()
    assert "Kiosque de la gare" in titles(search(bbox=around(lille)))
    assert "Kiosque de la gare" not in titles(search(bbox=around(commune("Roubaix"))))


@french_only
def test_an_area_with_no_poc_in_it_finds_nothing_and_counts_nothing(search):
    result = search(bbox=Extent(south=48.85, west=2.33, north=48.87, east=2.36))  # Paris
    assert result.total == 0
    assert result.facets["theme"] == []


@french_only
def test_sorting_by_distance_lists_the_nearest_first_with_their_distance(search, catalogue_pocs):
    lille = commune("Lille")
    here = Point(lille.latitude + 0.01, lille.longitude)  # 1.1 km north of Lille's centre
    make_poc("Banc du square", latitude=here.lat + 0.001, longitude=here.lon)  # 111 m north
    search.reindex()

    result = search(near=here, sort="distance")

    assert [hit.card.title for hit in result.hits] == [
        "Banc du square",
        # Both at Lille's centre: the first published first, as on every backend.
        "Jardin partagé des Moulins",
        "Signalétique de l'hôpital",
        "Navette électrique de Villeneuve",
        "Vélos cargo partagés",
        "Mobilier urbain réemployé",
    ]
    for hit in result.hits:
        assert hit.distance == pytest.approx(here.metres_to(hit.card.location), abs=1)
    assert result.hits[0].distance == pytest.approx(111, abs=2)


@french_only
def test_distance_order_pages_and_keeps_to_filters_and_area(search):
    roubaix = commune("Roubaix")
    here = Point(roubaix.latitude, roubaix.longitude)
    first = search(near=here, sort="distance", page_size=2)
    second = search(near=here, sort="distance", page_size=2, page=2)
    assert [hit.card.title for hit in first.hits + second.hits] == [
        "Vélos cargo partagés",
        "Mobilier urbain réemployé",  # Tourcoing
        "Navette électrique de Villeneuve",
        "Jardin partagé des Moulins",
    ]
    filtered = search(near=here, sort="distance", theme=["habiter"], bbox=around(commune("Lille")))
    assert [hit.card.title for hit in filtered.hits] == ["Jardin partagé des Moulins"]


def test_a_point_gives_every_hit_its_distance_in_any_order(search):
    lille = commune("Lille")
    here = Point(lille.latitude, lille.longitude)
    result = search(q="mobilite", near=here)
    assert len(result.hits) == 2
    for hit in result.hits:
        assert hit.distance == pytest.approx(here.metres_to(hit.card.location), abs=1)
        assert hit.distance > 5000
    assert all(hit.distance is None for hit in search(q="mobilite").hits)


@french_only
def test_autocomplete_offers_titles_makers_and_tags(search):
    suggestions = autocomplete("vel")
    assert suggestions.backend == search.backend
    assert ("poc", "Vélos cargo partagés") in {(item.kind, item.label) for item in suggestions}
    makers = autocomplete("atel")
    assert ("maker", "Atelier Nord") in {(item.kind, item.label) for item in makers}
    tags = autocomplete("reem")
    assert ("tag", "réemploi") in {(item.kind, item.label) for item in tags}
    assert list(autocomplete("")) == []


@french_only
def test_autocomplete_keeps_makers_without_a_published_poc_hidden(search):
    make_poc("Projet en attente", makers=[make_maker("Atelier Discret")], publish=False)
    assert "Atelier Discret" not in {item.label for item in autocomplete("atelier")}


@pytest.fixture
def es_search(with_elasticsearch, catalogue_pocs) -> CatalogueSearcher:
    searcher = CatalogueSearcher("elasticsearch")
    searcher.reindex()
    return searcher


@pytest.mark.parametrize(
    ("typo", "title"),
    [
        ("navete", "Navette électrique de Villeneuve"),
        ("jardinn", "Jardin partagé des Moulins"),
        ("signaletiqe", "Signalétique de l'hôpital"),
    ],
)
def test_elasticsearch_forgives_a_typo(es_search, typo, title):
    assert title in titles(es_search(q=typo))


def test_elasticsearch_suggests_a_spelling_when_the_query_finds_little(es_search):
    result = es_search(q="navete")
    assert result.suggestion == "navette"
    assert es_search(q="jardin").suggestion is None


def test_elasticsearch_does_not_stretch_a_typo_into_another_word(es_search):
    assert "Mobilier urbain réemployé" not in titles(es_search(q="mobilite"))


def test_the_most_supported_come_first_then_the_newest(backend, language, catalogue_pocs):
    from poc_catalogue.supports.counting import record

    for poc, supports in ((catalogue_pocs.jardin, 3), (catalogue_pocs.hopital, 1)):
        for _ in range(supports):
            record(poc.pk, given=True)
    record(catalogue_pocs.mobilier.pk, given=True)
    search = CatalogueSearcher(backend, language)
    search.reindex()
    result = search(sort="supported")
    assert [(hit.card.page_id, hit.supports) for hit in result.hits] == [
        (catalogue_pocs.jardin.pk, 3),
        # Ties: the newest first, as sort=newest.
        (catalogue_pocs.mobilier.pk, 1),
        (catalogue_pocs.hopital.pk, 1),
        (catalogue_pocs.navette.pk, 0),
        (catalogue_pocs.velos.pk, 0),
    ]
    filtered = search(sort="supported", theme=["habiter"], page_size=1)
    assert [hit.card.page_id for hit in filtered.hits] == [catalogue_pocs.jardin.pk]
    assert filtered.total == 2
