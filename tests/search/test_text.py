"""Text as both backends see it: folding, query terms, body text, highlighting."""

from __future__ import annotations

from search.text import fold, highlight_html, query_terms, streamfield_text


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
