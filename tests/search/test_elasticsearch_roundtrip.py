"""A real Elasticsearch round trip through elasticsearch-dsl, with the site's French analysis.

The filters come from analysis-common in production and from the analysis shim on the test cluster
(scripts/elasticsearch.sh): the same settings must work on both.
"""

import pytest
from elasticsearch import Elasticsearch
from elasticsearch_dsl import Document, Index, Search, Text, analyzer, token_filter, tokenizer

pytestmark = pytest.mark.elasticsearch

french_elision = token_filter(
    "french_elision",
    type="elision",
    articles_case=True,
    articles=["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"],
)
french_stop = token_filter("french_stop", type="stop", stopwords="_french_")
french_light_stemmer = token_filter("french_light_stemmer", type="stemmer", language="light_french")

french_folded = analyzer(
    "french_folded",
    tokenizer="standard",
    filter=[french_elision, "lowercase", french_stop, "asciifolding", french_light_stemmer],
)
title_prefixes = analyzer(
    "title_prefixes",
    tokenizer=tokenizer(
        "title_edge_ngram",
        type="edge_ngram",
        min_gram=2,
        max_gram=15,
        token_chars=["letter", "digit"],
    ),
    filter=["lowercase", token_filter("folding", type="asciifolding", preserve_original=True)],
)


class ProofOfConcept(Document):
    title = Text(
        analyzer=french_folded,
        fields={"prefix": Text(analyzer=title_prefixes, search_analyzer="standard")},
    )


def create_index(name: str, client: Elasticsearch, *titles: str) -> Index:
    index = Index(name, using=client)
    index.document(ProofOfConcept)
    index.create()
    for title in titles:
        ProofOfConcept(title=title).save(index=name, using=client)
    index.refresh()
    return index


def titles_matching(name: str, client: Elasticsearch, field: str, text: str) -> list[str]:
    search = Search(using=client, index=name).query("match", **{field: text})
    return [hit.title for hit in search.execute()]


def test_a_word_typed_without_accent_finds_the_accented_title(es_client, elasticsearch_index_name):
    create_index(
        elasticsearch_index_name, es_client, "Mobilité douce à Roubaix", "Jardins partagés"
    )

    assert titles_matching(elasticsearch_index_name, es_client, "title", "mobilite") == [
        "Mobilité douce à Roubaix"
    ]


def test_singular_and_plural_find_each_other(es_client, elasticsearch_index_name):
    create_index(
        elasticsearch_index_name, es_client, "Les mobilités douces", "L'économie circulaire"
    )

    assert titles_matching(elasticsearch_index_name, es_client, "title", "mobilité douce") == [
        "Les mobilités douces"
    ]
    assert titles_matching(elasticsearch_index_name, es_client, "title", "economies") == [
        "L'économie circulaire"
    ]


def test_the_beginning_of_a_word_finds_the_title(es_client, elasticsearch_index_name):
    create_index(elasticsearch_index_name, es_client, "Mobilité douce à Roubaix", "Tourcoing")

    assert titles_matching(elasticsearch_index_name, es_client, "title.prefix", "roub") == [
        "Mobilité douce à Roubaix"
    ]


def test_a_deleted_index_is_gone(es_client, elasticsearch_index_name):
    index = create_index(elasticsearch_index_name, es_client, "Mobilité douce à Roubaix")

    index.delete()

    assert not index.exists()


def test_the_run_has_its_own_index_prefix(elasticsearch_index_name, elasticsearch_index_prefix):
    assert elasticsearch_index_prefix.startswith("showcase-test-")
    assert elasticsearch_index_name.startswith(elasticsearch_index_prefix)
