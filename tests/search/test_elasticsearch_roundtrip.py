"""The catalogue index's own analysis, on the real cluster: what visitors type finds what we wrote.

The settings are the project's (`search.documents.index_definition`), never a copy: the filters
come from analysis-common in production and from the analysis shim on the test cluster
(scripts/elasticsearch.sh), and the same settings must work on both.
"""

from __future__ import annotations

import pytest
from elasticsearch import Elasticsearch

from search.documents import index_definition

pytestmark = pytest.mark.elasticsearch


@pytest.fixture
def index(es_client: Elasticsearch, elasticsearch_index_name: str) -> str:
    index_definition(elasticsearch_index_name).create(using=es_client)
    return elasticsearch_index_name


def write(es_client: Elasticsearch, index: str, *titles: str) -> None:
    for number, title in enumerate(titles, start=1):
        es_client.index(index=index, id=str(number), document={"title": title, "page_id": number})
    es_client.indices.refresh(index=index)


def titles_matching(es_client: Elasticsearch, index: str, field: str, text: str) -> list[str]:
    found = es_client.search(index=index, query={"match": {field: {"query": text}}})
    return [hit["_source"]["title"] for hit in found["hits"]["hits"]]


def tokens(es_client: Elasticsearch, index: str, field: str, text: str) -> list[str]:
    analysed = es_client.indices.analyze(index=index, field=field, text=text)
    return [token["token"] for token in analysed["tokens"]]


def test_a_word_typed_without_accent_finds_the_accented_title(es_client, index):
    write(es_client, index, "Mobilité douce à Roubaix", "Jardins partagés")
    assert titles_matching(es_client, index, "title", "mobilite") == ["Mobilité douce à Roubaix"]


def test_singular_and_plural_find_each_other(es_client, index):
    write(es_client, index, "Les mobilités douces", "L'économie circulaire")
    assert titles_matching(es_client, index, "title", "mobilité douce") == ["Les mobilités douces"]
    assert titles_matching(es_client, index, "title", "economies") == ["L'économie circulaire"]


def test_articles_and_elisions_are_not_words(es_client, index):
    assert tokens(es_client, index, "title", "L'énergie de la ville") == ["energ", "vile"]


def test_the_beginning_of_a_word_finds_the_title(es_client, index):
    write(es_client, index, "Mobilité douce à Roubaix", "Tourcoing")
    assert titles_matching(es_client, index, "title.autocomplete", "roub") == [
        "Mobilité douce à Roubaix"
    ]


def test_the_run_has_its_own_index_prefix(elasticsearch_index_name, elasticsearch_index_prefix):
    assert elasticsearch_index_prefix.startswith("showcase-test-")
    assert elasticsearch_index_name.startswith(elasticsearch_index_prefix)
