"""The Elasticsearch document of a published POC: what visitors search, filter and see.

Analysers use only Elasticsearch's standard names (`elision`, `asciifolding`, `stemmer`
with `light_french`, `possessive_english` and `minimal_english`, `edge_ngram`, `stop` with
`_french_` and `_english_`), so the mapping is the same on a full cluster and on the minimal
test distribution with its analysis shim.
"""

from __future__ import annotations

import hashlib
from typing import Any

import orjson
from django.conf import settings
from elasticsearch_dsl import (
    Date,
    Document,
    GeoPoint,
    Index,
    Integer,
    Keyword,
    Object,
    Text,
    analyzer,
    token_filter,
)

from .searchable import SearchablePOC
from .text import fold

french_elision = token_filter(
    "french_elision",
    type="elision",
    articles_case=True,
    articles=["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"],
)
french_stop = token_filter("french_stop", type="stop", stopwords="_french_")
french_stemmer = token_filter("french_stemmer", type="stemmer", language="light_french")
autocomplete_grams = token_filter("autocomplete_grams", type="edge_ngram", min_gram=1, max_gram=20)

# Stop words are removed before folding, as the French list is written with accents.
french_text = analyzer(
    "french_text",
    tokenizer="standard",
    filter=[french_elision, "lowercase", french_stop, "asciifolding", french_stemmer],
)
# Words as written, without accents: the source of spelling suggestions.
folded_words = analyzer(
    "folded_words", tokenizer="standard", filter=[french_elision, "lowercase", "asciifolding"]
)
autocomplete_text = analyzer(
    "autocomplete_text",
    tokenizer="standard",
    filter=[french_elision, "lowercase", "asciifolding", autocomplete_grams],
)

# English text, for the bilingual catalogue: possessives dropped, plurals stemmed and nothing
# more (`minimal_english`). `search.text` reads English the same way in Python
# (`english_search_terms`) for the database backend.
english_possessive = token_filter(
    "english_possessive", type="stemmer", language="possessive_english"
)
english_stop = token_filter("english_stop", type="stop", stopwords="_english_")
english_stemmer = token_filter("english_stemmer", type="stemmer", language="minimal_english")

# The possessive goes first, while `'S` may still be upper case, as in Elasticsearch's own
# `english` analyser; stop words are removed before folding, as for French.
english_text = analyzer(
    "english_text",
    tokenizer="standard",
    filter=[english_possessive, "lowercase", english_stop, "asciifolding", english_stemmer],
)
# English words as written, without accents or possessives: for spelling suggestions.
english_folded_words = analyzer(
    "english_folded_words",
    tokenizer="standard",
    filter=[english_possessive, "lowercase", "asciifolding"],
)


def _searchable(**kwargs: Any) -> Text:
    return Text(analyzer=french_text, copy_to=["all_text", "all_text_en", "all_words"], **kwargs)


def _english(**kwargs: Any) -> Text:
    return Text(analyzer=english_text, copy_to=["all_text_en", "all_words_en"], **kwargs)


_autocomplete_subfield = {
    "autocomplete": Text(analyzer=autocomplete_text, search_analyzer=folded_words)
}


class POCDocument(Document):
    page_id = Integer()
    title = _searchable(fields=_autocomplete_subfield)
    title_sort = Keyword()
    summary = _searchable()
    body = _searchable()
    maker_names = _searchable(fields=_autocomplete_subfield)
    tag_names = _searchable(fields=_autocomplete_subfield)
    theme_labels = _searchable()
    commune_name = _searchable()
    # The English translation's text, empty while the POC has none.
    title_en = _english(fields=_autocomplete_subfield)
    title_sort_en = Keyword()
    summary_en = _english()
    body_en = _english()
    # Every searchable word in one field, so each query term may match in any of them:
    # stemmed for exact matching (French text; English text and the shared names, for
    # English searches), and as written (folded) for typo-tolerant matching (the English
    # words apart, so that French searches never match the translation).
    all_text = Text(analyzer=french_text)
    all_text_en = Text(analyzer=english_text)
    all_words = Text(analyzer=folded_words)
    all_words_en = Text(analyzer=english_folded_words)
    spelling = Text(analyzer=folded_words)

    theme = Keyword()
    maker = Keyword()
    commune = Keyword()
    tag = Keyword()
    stage = Keyword()
    year = Integer()
    maker_kind = Keyword()

    location = GeoPoint()
    first_published_at = Date()
    # "Je soutiens": updated alone, in batches (`support_counts`), outside the fingerprint.
    supports = Integer()
    # What a search card shows (`POCCard.as_record()`), kept as given and not searched.
    card = Object(enabled=False)
    fingerprint = Keyword()


def index_definition(name: str) -> Index:
    index = Index(name)
    index.settings(number_of_shards=1, number_of_replicas=settings.ELASTICSEARCH_REPLICAS)
    index.document(POCDocument)
    return index


def document_source(poc: SearchablePOC) -> dict[str, Any]:
    """The indexed body of a published POC, with a fingerprint of its content to detect drift."""
    card = poc.card
    parts = poc.parts()
    english = poc.english_parts()
    source: dict[str, Any] = {
        "page_id": card.page_id,
        "title": card.title,
        "title_sort": fold(card.title),
        "summary": card.summary,
        "body": parts["body"],
        "title_en": english["title"],
        "title_sort_en": fold(english["title"] or card.title),
        "summary_en": english["summary"],
        "body_en": english["body"],
        "maker_names": [maker.label for maker in card.makers],
        "tag_names": [tag.label for tag in card.tags],
        "theme_labels": [label for theme in card.themes for label in (theme.name, theme.name_en)],
        "commune_name": parts["commune"],
        "spelling": " ".join(
            (
                parts["title"],
                parts["summary"],
                parts["makers"],
                parts["tags"],
                parts["commune"],
                english["title"],
                english["summary"],
            )
        ),
        "theme": [theme.slug for theme in card.themes],
        "maker": [maker.slug for maker in card.makers],
        "commune": card.commune.slug if card.commune else None,
        "tag": [tag.slug for tag in card.tags],
        "stage": card.stage,
        "year": card.year,
        "maker_kind": sorted({maker.kind for maker in card.makers}),
        "location": card.location.as_dict() if card.location else None,
        "first_published_at": (
            card.first_published_at.isoformat() if card.first_published_at else None
        ),
        "card": card.as_record(),
    }
    encoded = orjson.dumps(source, option=orjson.OPT_SORT_KEYS, default=str)
    source["fingerprint"] = hashlib.sha1(encoded, usedforsecurity=False).hexdigest()
    source["supports"] = poc.supports
    return source
