"""Text as both backends see it: accent folding, stemming, query terms, body text, highlighting.

The database backend matches the stems of the query's words against the stems of each POC's
text (`search_terms`, used both when the text is stored and when a query is read), so
`mobilite` finds `mobilité` and `vélos` finds `vélo` on SQLite and PostgreSQL alike, as
Elasticsearch's `asciifolding` then `light_french` stemmer do (`search.documents`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
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
_ELISIONS = {"l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"}
# Elasticsearch's `_french_` stop words (Lucene's Snowball list, which leaves out words with
# another meaning: `est`, `son`, `été`, `avions`...), matched as the index does: lower-cased,
# before accents are folded, so `étant` is one and `etant` is not.
_SNOWBALL_FRENCH_STOP_LIST = """
ai aie aient aies ait au aurai auraient aurais aurait aurez auriez aurions aurons auront
aux avaient avais avait avec avez aviez avons ayant ayez ayons c ce ceci cela celà ces cet
cette d dans de des du elle en es et eu eue eues eurent eus eusse eussent eusses eussiez
eussions eut eux eûmes eût eûtes furent fus fusse fussent fusses fussiez fussions fut
fûmes fûtes ici il ils j je l la le les leur leurs lui m ma mais me mes moi mon même n ne
nos notre nous on ont ou par pas pour qu que quel quelle quelles quels qui s sa sans se
sera serai seraient serais serait seras serez seriez serions serons seront ses soi soient
sois soit sont soyez soyons suis sur t ta te tes toi ton tu un une vos votre vous y à
étaient étais était étant étiez étions étée étées êtes
"""
FRENCH_STOP_WORDS = frozenset(_SNOWBALL_FRENCH_STOP_LIST.split())
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
    but not `développement`. Titles are kept so, to sort on and to complete as typed.
    """
    return f" {' '.join(_TERM.findall(fold(text)))} "


def stemmed_text(text: str) -> str:
    """The stems of `text`'s words between single spaces, with a space at each end.

    What the database backend searches: `f" {stem} "` in it finds the words of that stem, as
    Elasticsearch matches stems: `velos` and `velo` both find `Vélos`, neither `vélomobile`.
    """
    return f" {' '.join(search_terms(text))} "


def search_terms(text: str) -> list[str]:
    """The stems of a text's words, without elided articles, in order, once each.

    One function for both sides of the database search: the stored text, and (through
    `query_stems`) the query. Words are folded then stemmed (`light_french_stem`).
    """
    return _once(stem for _word, stem in _stemmed_words(text))


def query_stems(query: str) -> list[str]:
    """`search_terms` of a query, without French stop words, as Elasticsearch reads it.

    A query of stop words alone keeps them: Elasticsearch then matches them as written.
    """
    words = list(_stemmed_words(query))
    meaningful = [stem for word, stem in words if word not in FRENCH_STOP_WORDS]
    return _once(meaningful or [stem for _word, stem in words])


def _stemmed_words(text: str) -> Iterator[tuple[str, str]]:
    """Each word lower-cased as written (for stop words) with its folded stem."""
    for word in _TERM.findall(unicodedata.normalize("NFC", text).lower()):
        for term in _TERM.findall(fold(word)):
            if term not in _ELISIONS:
                yield word, light_french_stem(term)


def _once(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def query_terms(query: str) -> list[str]:
    """The folded words of a visitor's query, without elided articles, in order, once each.

    Not stemmed: what autocompletion matches against the start of words as typed.
    """
    return _once(term for term in _TERM.findall(fold(query)) if term not in _ELISIONS)


# Savoy's "UniNE" light French stemmer as Lucene's FrenchLightStemmer implements it, which
# Elasticsearch's `light_french` runs after `asciifolding` in our analyser: the words it sees
# carry no accents, so the rules written for accented endings (-ième, -ère, -ète) and the
# accent normalisation never apply and are left out. Snowball's French stemmer was not used:
# it is the heavier `french` algorithm and would disagree with the index on many words.
# Endings rewritten before normalising: (ending, shortest word it applies to, replacement).
_DERIVATION_RULES: tuple[tuple[str, int, str], ...] = (
    ("issement", 10, "ir"),
    ("issant", 9, "ir"),
    ("ficatrice", 12, "fier"),
    ("ficateur", 11, "fier"),
    ("catrice", 10, "quer"),
    ("cateur", 9, "quer"),
    ("atrice", 9, "er"),
    ("ateur", 8, "er"),
)


# Cached: the same words come back in every card highlighted and every text stored.
@lru_cache(maxsize=16_384)
def light_french_stem(word: str) -> str:
    """The light French stem of a folded word: `velos` → `velo`, `mobilites` → `mobilit`."""
    if len(word) > 5 and word.endswith("x"):
        # chevaux → cheval, but not bureaux → bureal.
        word = word[:-2] + "l" if word[-3:-1] == "au" and word[-4] != "e" else word[:-1]
    if len(word) > 3 and word.endswith("x"):
        word = word[:-1]
    if len(word) > 3 and word.endswith("s"):
        word = word[:-1]
    for ending, shortest, replacement in _DERIVATION_RULES:
        if len(word) >= shortest and word.endswith(ending):
            return _light_norm(word[: -len(ending)] + replacement)
    if len(word) > 6 and word.endswith("ement"):
        word = word[:-4]
        if len(word) > 3 and word.endswith("ive"):
            word = word[:-2] + "f"
        return _light_norm(word)
    if len(word) > 6 and word.endswith("trice"):
        word = word[:-5] + "teur"
    for ending, shortest, kept in (("teuse", 8, "ter"), ("teur", 7, "ter"), ("euse", 6, "eu")):
        if len(word) >= shortest and word.endswith(ending):
            return _light_norm(word[: -len(ending)] + kept)
    if len(word) > 7 and word.endswith("ive"):
        return _light_norm(word[:-3] + "if")
    if len(word) > 4 and word.endswith(("folle", "molle")):
        return _light_norm(word[:-3] + "u")
    if len(word) > 9 and word.endswith("nnelle"):
        return _light_norm(word[:-5])
    if len(word) > 9 and word.endswith("nnel"):
        return _light_norm(word[:-3])
    if len(word) > 8 and word.endswith("ique"):
        word = word[:-4]
    for ending, shortest, kept in (("esse", 9, "e"), ("inage", 8, "in")):
        if len(word) >= shortest and word.endswith(ending):
            return _light_norm(word[: -len(ending)] + kept)
    if len(word) > 9 and word.endswith("isation"):
        word = word[:-7]
        if len(word) > 5 and word.endswith("ual"):
            word = word[:-2] + "el"
        return _light_norm(word)
    if len(word) > 9 and word.endswith("isateur"):
        return _light_norm(word[:-7])
    if len(word) > 8 and word.endswith(("ation", "ition")):
        return _light_norm(word[:-5])
    return _light_norm(word)


def _light_norm(word: str) -> str:
    """Doubled letters once, then a final -ie, -r, -e, -e and a doubled last letter dropped."""
    if len(word) > 4:
        kept = [word[0]]
        for char in word[1:]:
            if not (char == kept[-1] and char.isalpha()):
                kept.append(char)
        word = "".join(kept)
    if len(word) > 4 and word.endswith("ie"):
        word = word[:-2]
    if len(word) > 4:
        for final in "ree":
            if word.endswith(final):
                word = word[:-1]
        if len(word) > 1 and word[-1] == word[-2] and word[-1].isalpha():
            word = word[:-1]
    return word


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


@lru_cache(maxsize=4_096)
def _folded_char(char: str) -> str:
    return fold(char)


def highlight_html(text: str, terms: list[str]) -> str:
    """`text` escaped, with every word whose stem is a query stem wrapped in <mark>.

    `terms` come from `query_stems`; matching is on folded stems, so `velo` marks `Vélos`;
    the original spelling is kept. Adjacent marked words share one <mark>.
    """
    if not terms:
        return escape(text)
    wanted = set(terms)
    if text.isascii():
        # Folding ASCII only lower-cases it: positions stay where they were.
        folded, origin = text.lower(), None
    else:
        # Folded character by character with the same `fold`, so each folded position is
        # traced back to the character it came from (`œ` gives two).
        folded_chars = [_folded_char(char) for char in text]
        folded = "".join(folded_chars)
        origin = [index for index, chars in enumerate(folded_chars) for _ in chars]
    spans: list[tuple[int, int]] = []
    for match in _TERM.finditer(folded):
        if light_french_stem(match.group()) not in wanted:
            continue
        start, end = match.span()
        if origin is not None:
            start, end = origin[start], origin[end - 1] + 1
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    pieces: list[str] = []
    index = 0
    for start, end in spans:
        pieces.append(escape(text[index:start]))
        pieces.append(f"<mark>{escape(text[start:end])}</mark>")
        index = end
    pieces.append(escape(text[index:]))
    return "".join(pieces)
