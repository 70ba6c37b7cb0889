"""Elasticsearch configured but unreachable: the database answers and says so."""

from __future__ import annotations

import logging

import pytest

from search import connection, indexing
from search.catalogue import autocomplete, search_catalogue
from search.types import SearchRequest
from tests.conftest import delete_indices
from tests.factories import make_poc
from tests.search.faults import fault

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed_poc(faulty_cluster):
    poc = make_poc("Fontaine publique")
    indexing.rebuild_index()
    return poc


@pytest.mark.parametrize("kind", ["timeout", "refused"])
def test_the_database_answers_when_elasticsearch_fails(indexed_poc, caplog, kind):
    assert search_catalogue(SearchRequest(q="fontaine")).backend == "elasticsearch"
    with fault(kind), caplog.at_level(logging.WARNING, logger="search.catalogue"):
        result = search_catalogue(SearchRequest(q="fontaine"))
    assert result.backend == "database"
    assert [hit.card.title for hit in result.hits] == ["Fontaine publique"]
    assert "the database answers" in caplog.text


def test_an_outage_is_remembered_for_a_while(indexed_poc, faulty_cluster):
    with fault("timeout"):
        search_catalogue(SearchRequest())
        calls = faulty_cluster.calls
        assert search_catalogue(SearchRequest()).backend == "database"
    assert faulty_cluster.calls == calls
    # Once the cool-down is over, Elasticsearch answers again.
    connection.mark_available()
    assert search_catalogue(SearchRequest()).backend == "elasticsearch"


def test_a_missing_index_falls_back_without_tripping_the_breaker(
    with_elasticsearch, es_client, caplog
):
    make_poc("Sans index")
    delete_indices(es_client, f"{with_elasticsearch}-*")
    indexing.forget_index_state()
    with caplog.at_level(logging.WARNING, logger="search.catalogue"):
        result = search_catalogue(SearchRequest())
    assert result.backend == "database"
    assert result.total == 1
    assert not connection.cooling_down()


def test_autocomplete_falls_back(indexed_poc):
    with fault("refused"):
        suggestions = autocomplete("fontai")
    assert [item.label for item in suggestions] == ["Fontaine publique"]


def test_the_api_says_which_backend_answered(indexed_poc, client):
    with fault("refused"):
        response = client.get("/api/catalogue/search/", {"q": "fontaine"})
    assert response.status_code == 200
    assert response.json()["backend"] == "database"
    assert response.json()["total"] == 1
