"""The `ngram` tokenizer and filter on the real test cluster give what analysis-common gives.

The test cluster has them from our analysis shim (scripts/elasticsearch.sh), production from
analysis-common. Expected tokens are those of Elastic's reference for the n-gram tokenizer and
filter, or follow from Lucene's `NGramTokenizer` and `NGramTokenFilter`, which both wrap. Wagtail's
own Elasticsearch backend declares both in its index settings (the benchmark's peer uses it).
"""

from __future__ import annotations

from typing import Any

import pytest
from elasticsearch import BadRequestError, Elasticsearch
from modelsearch.backends.elasticsearch8 import Elasticsearch8SearchBackend

pytestmark = pytest.mark.elasticsearch


def analysed(es_client: Elasticsearch, text: str, index: str | None = None, **analysis: Any):
    found = es_client.indices.analyze(index=index, text=text, **analysis)
    return [token["token"] for token in found["tokens"]]


def test_the_bare_ngram_tokenizer_keeps_every_character(es_client):
    assert analysed(es_client, "Quick Fox", tokenizer="ngram") == [
        *["Q", "Qu", "u", "ui", "i", "ic", "c", "ck", "k", "k ", " ", " F", "F", "Fo", "o"],
        *["ox", "x"],
    ]


def test_the_ngram_tokenizer_splits_on_characters_outside_token_chars(es_client):
    trigrams = {"type": "ngram", "min_gram": 3, "max_gram": 3, "token_chars": ["letter", "digit"]}
    assert analysed(es_client, "2 Quick Foxes.", tokenizer=trigrams) == [
        *["Qui", "uic", "ick", "Fox", "oxe", "xes"],
    ]


def test_token_chars_take_unicode_categories_and_custom_characters(es_client):
    capitals = {"type": "ngram", "token_chars": ["uppercase_letter"]}
    assert analysed(es_client, "FooBAR", tokenizer=capitals) == ["F", "B", "BA", "A", "AR", "R"]
    hyphenated = {
        "type": "ngram",
        "min_gram": 2,
        "max_gram": 3,
        "token_chars": ["letter", "custom"],
        "custom_token_chars": "-",
    }
    assert analysed(es_client, "Lys-lez 59", tokenizer=hyphenated) == [
        *["Ly", "Lys", "ys", "ys-", "s-", "s-l", "-l", "-le", "le", "lez", "ez"],
    ]


def test_an_unknown_token_class_is_refused(es_client):
    with pytest.raises(BadRequestError, match="Unknown token type: 'bogus'"):
        analysed(es_client, "x", tokenizer={"type": "ngram", "token_chars": ["bogus"]})


def test_the_bare_ngram_filter_grams_each_word(es_client):
    assert analysed(es_client, "Quick fox", tokenizer="standard", filter=["ngram"]) == [
        *["Q", "Qu", "u", "ui", "i", "ic", "c", "ck", "k", "f", "fo", "o", "ox", "x"],
    ]


def test_the_ngram_filter_can_keep_the_whole_word(es_client):
    grams = {"type": "ngram", "preserve_original": True}
    assert analysed(es_client, "Fox", tokenizer="standard", filter=["lowercase", grams]) == [
        *["f", "fo", "o", "ox", "x", "fox"],
    ]


@pytest.mark.parametrize("kind", ["tokenizer", "filter"])
def test_a_gram_range_beyond_max_ngram_diff_is_refused(es_client, kind):
    wide = {"type": "ngram", "min_gram": 3, "max_gram": 5}
    refusal = r"must be less than or equal to: \[1\] but was \[2\]"
    with pytest.raises(BadRequestError, match=refusal):
        if kind == "tokenizer":
            analysed(es_client, "Quick", tokenizer=wide)
        else:
            analysed(es_client, "Quick", tokenizer="standard", filter=[wide])


def test_an_index_may_allow_a_wider_gram_range(es_client, elasticsearch_index_name):
    es_client.indices.create(
        index=elasticsearch_index_name,
        settings={
            "index": {"max_ngram_diff": 2},
            "analysis": {"filter": {"grams": {"type": "ngram", "min_gram": 3, "max_gram": 5}}},
        },
    )
    tokens = analysed(
        es_client, "Quick", index=elasticsearch_index_name, tokenizer="standard", filter=["grams"]
    )
    assert tokens == ["Qui", "Quic", "Quick", "uic", "uick", "ick"]


def test_wagtails_own_index_settings_are_accepted(es_client, elasticsearch_index_name):
    es_client.indices.create(index=elasticsearch_index_name, **Elasticsearch8SearchBackend.settings)
    tokens = analysed(es_client, "Vélo", index=elasticsearch_index_name, analyzer="ngram_analyzer")
    assert tokens == ["vel", "velo", "elo"]
