"""Text as both backends see it: folding, query terms, body text, highlighting."""

from __future__ import annotations

from search.text import (
    english_query_stems,
    fold,
    highlight_html,
    query_stems,
    query_terms,
    streamfield_text,
)


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


def test_english_highlighting_marks_whole_words_with_their_possessives():
    terms = english_query_stems("city bicycle Lille café")
    assert (
        highlight_html("The Cities' bicycles & Lille’s <cafés> in the city's", terms, "en")
        == "The <mark>Cities</mark>&#x27; <mark>bicycles</mark> &amp; <mark>Lille’s</mark>"
        " &lt;<mark>cafés</mark>&gt; in the <mark>city&#x27;s</mark>"
    )


def test_highlighting_stays_french_unless_asked_for_english():
    french, english = query_stems("ville"), english_query_stems("city")
    assert highlight_html("Les villes", french) == "Les <mark>villes</mark>"
    assert highlight_html("Les villes", french, language="en") == "Les villes"
    assert highlight_html("The cities", english) == "The cities"
    assert highlight_html("The cities", english, language="en") == "The <mark>cities</mark>"
