"""The database backend reads English exactly as the index's `english_text` analyser does.

The Python chain of `search.text` (`english_search_terms`, `english_query_stems`,
`minimal_english_stem`) is compared, word for word, with what the cluster's `_analyze` answers
with the analysers `search.documents` declares, over words chosen for each rule of the
possessive filter, the stop list and Lucene's minimal English stemmer, and the English of the
catalogue's themes.
"""

from __future__ import annotations

import bisect
import importlib
import itertools
import re
from typing import Any

import pytest
from elasticsearch import Elasticsearch
from elasticsearch_dsl.analysis import CustomAnalyzer
from hypothesis import given, settings
from hypothesis import strategies as st

from search.documents import english_folded_words, english_text
from search.text import (
    ENGLISH_STOP_WORDS,
    english_query_stems,
    english_search_terms,
    english_stemmed_text,
    minimal_english_stem,
)

# One or more words for every rule, and words the rules must leave alone.
RULE_WORDS = """
    city's cities' Lille’s LILLE'S makers＇ residents' Residents’ James's o’brien don't
    rock‘n’roll 90's 1'000 s's
    bus buses glass glasses series species mobilities bicycles uses us gas yes
    cities days keys monkeys toys ties dies lies pies goes shoes toes does canoes
    bees trees sees aes eies focus campus status virus news physics its his has was
    café Cafés naïve coöperation œuvres Straße Æsop déjà-vu 𝐀s 𝐀ies
    2020 1st 10km 1990s 3rd
"""
# The English a demo catalogue writes: theme labels, summaries, tags.
CATALOGUE_WORDS = """
    mobility mobilities bicycles bicycle bikes cycling cyclists circular economy living caring
    housing neighbourhood neighbourhoods neighbours workshops workshop residents' residents
    repair repairs reuse recycling recycled public services people community communities
    gardens gardening streets pedestrians schools children families elderly health solidarity
    makers designers prototypes prototype studios associations libraries benches furniture
    materials wood textiles energy buildings spaces places cities city's metropolis
    Lille Roubaix Tourcoing Villeneuve-d'Ascq Marcq-en-Barœul
"""
# Words of other English stop lists that Elasticsearch's leaves in.
LOOK_ALIKES = """
    i me my myself we our ours you your he him his she her its them what which who whom those
    am were been being have has had having do does did doing because until while about against
    between through during before after above below from up down out off over under again
    further once here when where why how all any both each few more most other some nor only
    own same so than too very can just don should now onto also
"""


def theme_sentences() -> list[str]:
    """The English names and descriptions of the six themes, as the catalogue shows them."""
    seed = importlib.import_module("poc_catalogue.migrations.0002_seed_themes_communes_pages")
    return [text for theme in seed.THEMES for text in (theme[2], theme[5])]


def vocabulary() -> list[str]:
    """Every word as written (possessives kept), once each, without stop words."""
    texts = [RULE_WORDS, CATALOGUE_WORDS, LOOK_ALIKES, *theme_sentences()]
    words = {word for text in texts for word in re.findall(r"[^\s,.:;!?-]+", text)}
    return sorted(word for word in words if not is_stop_word(word))


def is_stop_word(word: str) -> bool:
    return re.sub(r"['’＇][sS]$", "", word).lower() in ENGLISH_STOP_WORDS


def inline(analyser: CustomAnalyzer) -> dict[str, Any]:
    """The analyser's chain as `_analyze` takes it without an index: filters spelled out."""
    definition = analyser.get_analysis_definition()
    (chain,) = definition["analyzer"].values()
    custom = definition.get("filter", {})
    return {"tokenizer": chain["tokenizer"], "filter": [custom.get(f, f) for f in chain["filter"]]}


def tokens(es_client: Elasticsearch, text: str, **analysis: Any) -> list[dict[str, Any]]:
    return es_client.indices.analyze(text=text, **analysis)["tokens"]


def terms_by_word(
    es_client: Elasticsearch, words: list[str], **analysis: Any
) -> dict[str, list[str]]:
    """What the cluster makes of each word, from one request (words are BMP-only text)."""
    starts = list(itertools.accumulate((len(word) + 1 for word in words), initial=0))
    found: dict[str, list[str]] = {word: [] for word in words}
    for token in tokens(es_client, " ".join(words), **analysis):
        found[words[bisect.bisect_right(starts, token["start_offset"]) - 1]].append(token["token"])
    return found


@pytest.mark.elasticsearch
def test_the_python_stemmer_agrees_with_elasticsearch_on_every_word(es_client):
    # The words the stemmer sees: tokenised, without possessives, lower-cased and folded.
    folded = tokens(es_client, " ".join(vocabulary()), **inline(english_folded_words))
    words = sorted({token["token"] for token in folded})
    assert len(words) > 150
    stemmer = english_text.get_analysis_definition()["filter"]["english_stemmer"]
    answer = tokens(es_client, " ".join(words), tokenizer="standard", filter=[stemmer])
    elasticsearch_stems = dict(zip(words, [token["token"] for token in answer], strict=True))
    assert {word: minimal_english_stem(word) for word in words} == elasticsearch_stems


@pytest.mark.elasticsearch
def test_the_python_english_chain_agrees_with_elasticsearch_word_for_word(es_client):
    words = [word for word in vocabulary() if not any(ord(char) > 0xFFFF for char in word)]
    elasticsearch_terms = terms_by_word(es_client, words, **inline(english_text))
    assert {word: english_search_terms(word) for word in words} == elasticsearch_terms


@pytest.mark.elasticsearch
def test_the_database_drops_the_stop_words_elasticsearch_drops(es_client):
    written = [*vocabulary(), *LOOK_ALIKES.split(), *ENGLISH_STOP_WORDS]
    words = sorted({word.lower() for word in written if word.isalnum()})
    stop = english_text.get_analysis_definition()["filter"]["english_stop"]
    kept = {
        token["token"]
        for token in tokens(es_client, " ".join(words), tokenizer="standard", filter=[stop])
    }
    assert {word for word in words if word not in kept} == ENGLISH_STOP_WORDS


@pytest.mark.elasticsearch
@pytest.mark.parametrize(
    "sentence",
    [
        *theme_sentences(),
        "It's the city's bicycles, not the residents' cars",
        "Workshops for Lille’s neighbourhoods: this is where they repair and reuse",
        "THE CITIES' LIBRARIES ARE OPEN TO ALL",
        "See lille.fr, e.g. at 10.30 or 1,000 times: U.S. rules; ratio 3:2",
    ],
)
def test_a_query_finds_the_stems_elasticsearch_searches(es_client, sentence):
    answer = tokens(es_client, sentence, **inline(english_text))
    assert english_query_stems(sentence) == list(dict.fromkeys(t["token"] for t in answer))


# Letters, digits, every apostrophe the rules know, accents and separators, in any order:
# where a hand-picked list misses a join of the tokenizer or an edge of a rule.
english_texts = st.text(
    alphabet=st.sampled_from(list("aeiousySTEIbcdxyz019'’‘＇ -.,:;éïœßÉ")), max_size=40
)


@pytest.mark.elasticsearch
@settings(max_examples=300, deadline=None)
@given(text=english_texts)
def test_any_text_gives_the_stems_elasticsearch_gives(es_client, text):
    answer = list(
        dict.fromkeys(t["token"] for t in tokens(es_client, text, **inline(english_text)))
    )
    if answer:
        assert english_query_stems(text) == answer
    else:
        # Nothing but stop words, or nothing at all: the query keeps what it has.
        assert english_query_stems(text) == english_search_terms(text)


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        *[("bicycles", "bicycle"), ("uses", "use"), ("cities", "city"), ("mobilities", "mobility")],
        *[("days", "day"), ("ties", "ty"), ("series", "sery"), ("species", "specy")],
        *[("aies", "aies"), ("eies", "eies"), ("ies", "ies"), ("goes", "goes"), ("toes", "toes")],
        *[("bees", "bees"), ("aes", "aes"), ("bus", "bus"), ("glass", "glass"), ("is", "is")],
        *[("this", "thi"), ("living", "living"), ("news", "new"), ("s", "s"), ("𝐀s", "𝐀")],
    ],
)
def test_the_minimal_stemmer_takes_off_plurals_as_lucene_writes_it(word, stem):
    assert minimal_english_stem(word) == stem


@pytest.mark.parametrize(
    ("query", "stems"),
    [
        ("the bicycles of the city", ["bicycle", "city"]),
        ("It's the city's bicycles", ["city", "bicycle"]),
        ("this is it", ["thi", "is", "it"]),
        ("The", ["the"]),
        ("its", ["it"]),
        ("", []),
    ],
)
def test_a_query_loses_its_stop_words_unless_it_has_nothing_else(query, stems):
    assert english_query_stems(query) == stems


@pytest.mark.parametrize(
    ("text", "stems"),
    [
        ("The city's bicycles", ["the", "city", "bicycle"]),
        ("Cities’ cafés and the CITY'S Café", ["city", "cafe", "and", "the"]),
        ("residents' workshops, o’brien's", ["resident", "workshop", "o'brien"]),
        ("don't 90's 1'000", ["don't", "90", "s", "1'000"]),
    ],
)
def test_search_terms_drop_possessives_fold_stem_and_keep_each_stem_once(text, stems):
    assert english_search_terms(text) == stems


def test_the_stored_text_has_each_stem_between_spaces():
    assert english_stemmed_text("Lille’s bicycles and bicycle") == " lille bicycle and "
