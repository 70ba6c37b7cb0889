"""The indexed document and the analysis it goes through."""

from __future__ import annotations

import pytest

from poc_catalogue.models import POCPage, Stage
from search.connection import get_client
from search.documents import document_source, index_definition
from search.searchable import read_searchable
from tests.factories import commune, make_maker, make_poc, theme


def source_of(poc: POCPage) -> dict:
    """The document the index receives for this POC, read as a rebuild reads it."""
    (searchable,) = read_searchable(POCPage.objects.filter(pk=poc.pk))
    return document_source(searchable)


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
    source = source_of(poc)
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
    assert source["card"]["url"] == "/catalogue/bancs-reemployes/"
    assert source["card"]["thumbnail"].endswith(".webp")
    assert source["first_published_at"]
    assert "porteur@example.org" not in str(source)


@pytest.mark.django_db
def test_a_poc_without_its_own_position_sits_at_its_communes_centre():
    source = source_of(make_poc("Sans position", commune=commune("Lille")))
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


def test_the_analysis_folds_elides_and_stems_on_the_real_cluster(with_elasticsearch):
    from search.indexing import create_index

    index = create_index()
    tokens = get_client().indices.analyze(
        index=index, analyzer="french_text", text="L'Économie des Mobilités"
    )
    assert [token["token"] for token in tokens["tokens"]] == ["econom", "mobilit"]
    grams = get_client().indices.analyze(index=index, analyzer="autocomplete_text", text="Vélo")
    assert [token["token"] for token in grams["tokens"]] == ["v", "ve", "vel", "velo"]
