"""The database backend stems French words exactly as the Elasticsearch index does.

The Python stemmer (`search.text.light_french_stem`) is compared, word for word, with what the
cluster's own `asciifolding` + `light_french` chain answers, over the demo catalogue's whole
vocabulary and words chosen for each of the stemmer's rules.
"""

from __future__ import annotations

import re

import pytest

from poc_catalogue.demo import words as demo_words
from search.text import FRENCH_STOP_WORDS, fold, light_french_stem, query_stems, search_terms

# One or more words for every rule of the light French stemmer, and words it must leave alone.
RULE_WORDS = """
    chevaux bureaux travaux journaux feux prix vélos mobilités jardins
    établissement agissant lentement activement développement
    certificatrice certificateur communicatrice communicateur animatrice animateur
    directrice lectrice chanteuse facteur heureuse coiffeuse
    créative sportive folle molle personnelle personnel
    problématique politique jeunesse tendresse jardinage
    organisation individualisation réalisateur réparation définition
    partie partager pierre terre allée ville voisinage mairie
    bus gaz os abc a l où ça 2020 1er
"""


# Words that look like stop words but are not in Elasticsearch's list.
LOOK_ALIKES = "est son sommes été étés as aura avions fût etant meme a où être avoir elles tout"


def demo_words_as_written() -> set[str]:
    texts: list[str] = [RULE_WORDS, LOOK_ALIKES, " ".join(FRENCH_STOP_WORDS)]
    for name in dir(demo_words):
        value = getattr(demo_words, name)
        if name.isupper():
            texts.append(repr(value))
    return {word for text in texts for word in re.findall(r"\w+", text.lower())}


def demo_vocabulary() -> list[str]:
    return sorted({fold(word) for word in demo_words_as_written()})


@pytest.mark.elasticsearch
def test_the_python_stemmer_agrees_with_elasticsearch_on_every_demo_word(es_client):
    vocabulary = demo_vocabulary()
    assert len(vocabulary) > 500
    answer = es_client.indices.analyze(
        tokenizer="standard",
        filter=["lowercase", "asciifolding", {"type": "stemmer", "language": "light_french"}],
        text=" ".join(vocabulary),
    )
    elasticsearch_stems = [token["token"] for token in answer["tokens"]]
    python_stems = [light_french_stem(word) for word in vocabulary]
    disagreements = [
        (word, ours, theirs)
        for word, ours, theirs in zip(vocabulary, python_stems, elasticsearch_stems, strict=True)
        if ours != theirs
    ]
    assert disagreements == []


@pytest.mark.elasticsearch
def test_the_database_drops_the_stop_words_elasticsearch_drops(es_client):
    words = sorted(demo_words_as_written())
    answer = es_client.indices.analyze(
        tokenizer="standard",
        filter=["lowercase", {"type": "stop", "stopwords": "_french_"}],
        text=" ".join(words),
    )
    kept = {token["token"] for token in answer["tokens"]}
    assert {word for word in words if word not in kept} == {
        word for word in words if word in FRENCH_STOP_WORDS
    }


@pytest.mark.parametrize(
    ("query", "stems"),
    [
        ("les vélos de la gare", ["velo", "gare"]),
        ("Étant à Lille", ["lile"]),
        ("ete", ["ete"]),
        ("les", ["les"]),
    ],
)
def test_a_query_loses_its_stop_words_unless_it_has_nothing_else(query, stems):
    assert query_stems(query) == stems


@pytest.mark.parametrize(
    ("text", "stems"),
    [
        ("Vélos", ["velo"]),
        ("les mobilités douces", ["les", "mobilit", "douc"]),
        ("l'hôpital des chevaux", ["hopital", "des", "cheval"]),
        ("Jardinage et jardins", ["jardin", "et"]),
    ],
)
def test_search_terms_fold_drop_elisions_stem_and_keep_each_stem_once(text, stems):
    assert search_terms(text) == stems
