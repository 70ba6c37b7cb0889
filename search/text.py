"""Text as both backends see it: accent folding, query terms, body text and highlighting.

The database backend matches folded terms against a folded copy of each POC's text, so
`mobilite` finds `mobilité` on SQLite and PostgreSQL alike, as Elasticsearch's
`asciifolding` does.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from html import unescape
from typing import Any

from django.utils.html import escape

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_TERM = re.compile(r"\w+", re.UNICODE)
# Rich text is stored as well-formed HTML: a tag pattern strips it ten times faster than
# Django's parser-based strip_tags, which dominated rebuilds of long bodies.
_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")
# Elided articles are not terms: "l'énergie" is searched as "energie".
_ELISIONS = {"l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "lorsqu", "puisqu"}
# Raw StreamField keys that hold references or settings rather than visitor-readable text.
_NON_TEXT_KEYS = {"type", "id", "image", "document", "page", "url"}


_COMBINING_MARKS = re.compile(
    r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
)


def fold(text: str) -> str:
    """Lower-case and strip accents: `Mobilité Œuvre` becomes `mobilite oeuvre`."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return _COMBINING_MARKS.sub("", decomposed).lower()


def word_text(text: str) -> str:
    """Folded words between single spaces, with a space at each end.

    Matching `" " + term` in it finds words that start with the term: `velo` finds `vélos`
    but not `développement`, as the highlighting does.
    """
    return f" {' '.join(_TERM.findall(fold(text)))} "


def query_terms(query: str) -> list[str]:
    """The folded words of a visitor's query, without elided articles, in order, once each."""
    terms: list[str] = []
    for term in _TERM.findall(fold(query)):
        if term not in _ELISIONS and term not in terms:
            terms.append(term)
    return terms


def streamfield_text(raw_data: Iterable[Any]) -> str:
    """Every visitor-readable string of a StreamField, tags stripped, in reading order."""
    return " ".join(_strings(list(raw_data)))


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        text = (
            _SPACES.sub(" ", unescape(_TAG.sub(" ", value))).strip()
            if "<" in value
            else value.strip()
        )
        if text:
            yield text
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in _NON_TEXT_KEYS:
                yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def highlight_html(text: str, terms: list[str]) -> str:
    """`text` escaped, with every word starting with a query term wrapped in <mark>.

    Matching is on folded text, so `velo` marks `Vélo`; the original spelling is kept.
    """
    if not terms:
        return escape(text)
    # Folded character by character with the same `fold`, so each folded position is traced
    # back to the character it came from.
    folded_chars = [fold(char) for char in text]
    folded = "".join(folded_chars)
    # Map every folded position back to the original character it came from.
    origin: list[int] = []
    for index, chars in enumerate(folded_chars):
        origin.extend([index] * len(chars))
    marked = [False] * len(text)
    for match in _TERM.finditer(folded):
        word = match.group()
        if any(word.startswith(term) for term in terms):
            for position in range(match.start(), match.end()):
                marked[origin[position]] = True
    pieces: list[str] = []
    index = 0
    while index < len(text):
        end = index
        while end < len(text) and marked[end] == marked[index]:
            end += 1
        chunk = escape(text[index:end])
        pieces.append(f"<mark>{chunk}</mark>" if marked[index] else chunk)
        index = end
    return "".join(pieces)
