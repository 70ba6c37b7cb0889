"""The indexed document, the analysis it goes through, and the request a search sends."""

from __future__ import annotations

import pytest

from poc_catalogue.models import Stage
from search.connection import get_client
from search.documents import document_source, index_definition
from search.faceted import CatalogueFacetedSearch
from search.text import fold, highlight_html, query_terms, streamfield_text
from search.types import FACETS, SearchRequest
from tests.factories import commune, make_maker, make_poc, theme


def test_fold_strips_accents_and_ligatures():
    assert fold("Mobilité ŒUVRE Cœur") == "mobilite oeuvre coeur"


def test_query_terms_drop_elided_articles_and_repeats():
    assert query_terms("L'énergie de l'énergie") == ["energie", "de"]


def test_streamfield_text_keeps_words_and_drops_markup_and_references():
    raw = [
        {"type": "heading", "value": "Le contexte", "id": "a"},
        {"type": "paragraph", "value": "<p>Des <b>bancs</b> réemployés</p>", "id": "b"},
        {"type": "image", "value": {"image": 12, "alt_text": "Un banc", "caption": ""}},
    ]
    assert streamfield_text(raw) == "Le contexte Des bancs réemployés Un banc"


def test_highlight_marks_whole_words_and_escapes_the_rest():
    assert (
        highlight_html("Vélos <cargo> & vélo", ["velo"])
        == "<mark>Vélos</mark> &lt;cargo&gt; &amp; <mark>vélo</mark>"
    )
    assert highlight_html("<b>", []) == "&lt;b&gt;"


@pytest.mark.django_db
def test_the_document_holds_what_visitors_search_and_never_the_contact_email():
    poc = make_poc(
        "Bancs réemployés",
        summary="Des bancs faits de chutes de chantier.",
        themes=[theme("economie-circulaire")],
        makers=[make_maker("Atelier Bois", kind="studio")],
        tags=["réemploi"],
        commune=commune("Tourcoing"),
        stage=Stage.DEPLOY,
        year=2021,
        latitude=50.72,
        longitude=3.16,
        contact_email="porteur@example.org",
    )
    source = document_source(poc)
    assert source["title"] == "Bancs réemployés"
    assert source["title_sort"] == "bancs reemployes"
    assert source["theme"] == ["economie-circulaire"]
    assert source["theme_labels"] == ["Économie circulaire", "Circular economy"]
    assert source["maker"] == ["atelier-bois"]
    assert source["maker_names"] == ["Atelier Bois"]
    assert source["maker_kind"] == ["studio"]
    assert source["commune"] == "tourcoing"
    assert source["tag"] == ["réemploi"]
    assert source["stage"] == "deploy"
    assert source["year"] == 2021
    assert source["location"] == {"lat": 50.72, "lon": 3.16}
    assert source["url"] == "/catalogue/bancs-reemployes/"
    assert source["thumbnail"].endswith(".webp")
    assert source["first_published_at"]
    assert "porteur@example.org" not in str(source)


@pytest.mark.django_db
def test_a_poc_without_its_own_position_sits_at_its_communes_centre():
    source = document_source(make_poc("Sans position", commune=commune("Lille")))
    assert source["location"] == {
        "lat": commune("Lille").latitude,
        "lon": commune("Lille").longitude,
    }


def test_the_mapping_uses_standard_analysis_names_only():
    settings = index_definition("any").to_dict()["settings"]["analysis"]
    assert {f["type"] for f in settings["filter"].values()} == {
        "elision",
        "stop",
        "stemmer",
        "edge_ngram",
    }
    assert settings["filter"]["french_stemmer"]["language"] == "light_french"
    assert settings["analyzer"]["french_text"]["filter"] == [
        "french_elision",
        "lowercase",
        "french_stop",
        "asciifolding",
        "french_stemmer",
    ]


SIZES = {"theme": 6, "maker": 300, "commune": 95, "tag": 120, "stage": 4, "year": 21}


def build(**params) -> dict:
    return CatalogueFacetedSearch(SearchRequest(**params), "pocs", SIZES).build_search().to_dict()


def test_no_query_sorts_newest_first_and_aggregates_every_facet_at_full_size():
    body = build()
    assert "query" not in body
    assert "post_filter" not in body
    assert body["sort"] == [
        {"first_published_at": {"order": "desc", "missing": "_last"}},
        {"page_id": {"order": "desc"}},
    ]
    assert body["from"] == 0 and body["size"] == 24
    assert body["track_total_hits"] is True
    for facet in FACETS:
        aggregation = body["aggs"][f"_filter_{facet}"]
        assert aggregation["filter"] == {"match_all": {}}
        assert aggregation["aggs"][facet]["terms"] == {
            "field": facet,
            "size": SIZES[facet],
            "min_doc_count": 1,
        }


def test_filters_go_to_post_filter_and_to_every_other_facets_aggregation():
    body = build(theme=("mobilite", "habiter"), commune=("lille",), page=3)
    theme_filter = {"terms": {"theme": ["mobilite", "habiter"]}}
    commune_filter = {"terms": {"commune": ["lille"]}}
    assert body["post_filter"] == {"bool": {"must": [theme_filter, commune_filter]}}
    assert body["aggs"]["_filter_theme"]["filter"] == commune_filter
    assert body["aggs"]["_filter_commune"]["filter"] == theme_filter
    assert body["aggs"]["_filter_maker"]["filter"] == {
        "bool": {"must": [theme_filter, commune_filter]}
    }
    assert body["from"] == 48


def test_a_year_that_is_not_a_number_matches_nothing():
    body = build(year=("2020", "deux"))
    assert body["post_filter"] == {"terms": {"year": [2020]}}
    assert build(year=("deux",))["post_filter"] == {"match_none": {}}


def test_a_query_requires_every_term_forgives_typos_highlights_and_suggests():
    body = build(q="velo cargo")
    must = body["query"]["bool"]["must"][0]["bool"]
    assert must["should"][0] == {"match": {"all_text": {"query": "velo cargo", "operator": "and"}}}
    assert must["should"][1]["match"]["all_words"]["fuzziness"] == "AUTO:5,9"
    assert body["query"]["bool"]["should"][0]["multi_match"]["fields"][0] == "title^5"
    assert body["sort"][0] == "_score"
    assert body["highlight"]["pre_tags"] == ["<mark>"]
    assert body["highlight"]["encoder"] == "html"
    assert body["highlight"]["highlight_query"] == {
        "multi_match": {"query": "velo cargo", "fields": ["title", "summary"]}
    }
    assert body["suggest"]["spelling"]["term"]["field"] == "spelling"


def test_title_sort_uses_the_folded_title():
    assert build(sort="title")["sort"] == [
        {"title_sort": {"order": "asc"}},
        {"page_id": {"order": "asc"}},
    ]


def test_the_analysis_folds_elides_and_stems_on_the_real_cluster(with_elasticsearch):
    from search.indexing import create_index

    index = create_index()
    tokens = get_client().indices.analyze(
        index=index, analyzer="french_text", text="L'Économie des Mobilités"
    )
    assert [token["token"] for token in tokens["tokens"]] == ["econom", "mobilit"]
    grams = get_client().indices.analyze(index=index, analyzer="autocomplete_text", text="Vélo")
    assert [token["token"] for token in grams["tokens"]] == ["v", "ve", "vel", "velo"]
