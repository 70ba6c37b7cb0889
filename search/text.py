"""Text as both backends see it: accent folding, stemming, query terms, body text, highlighting.

The database backend matches the stems of the query's words against the stems of each POC's
text (`search_terms`, used both when the text is stored and when a query is read), so
`mobilite` finds `mobilité` and `vélos` finds `vélo` on SQLite and PostgreSQL alike, as
Elasticsearch's `asciifolding` then `light_french` stemmer do (`search.documents`).
English text has its counterparts (`english_search_terms`, `english_query_stems`...), which
read it as the index's `english_text` analyser does: `city's` and `cities` find `city`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from html import unescape
from typing import Any, Literal

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
# Elasticsearch's `_english_` stop words: Lucene's `EnglishAnalyzer.ENGLISH_STOP_WORDS_SET`.
_LUCENE_ENGLISH_STOP_LIST = """
a an and are as at be but by for if in into is it no not of on or such that the their then
there these they this to was will with
"""
ENGLISH_STOP_WORDS = frozenset(_LUCENE_ENGLISH_STOP_LIST.split())
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
    return _meaningful_stems(_stemmed_words(query), FRENCH_STOP_WORDS)


def words_and_stems(query: str) -> list[tuple[str, str]]:
    """Each word of a query, lower-cased as written, with its French stem (`query_stems`)."""
    return list(_stemmed_words(query))


def stems_without_stop_words(text: str, language: Literal["fr", "en"] = "fr") -> list[str]:
    """The stems of a part of a query that are not stop words, none if all are: what the
    index's analyser keeps of it (`query_stems` keeps a query of stop words alone whole)."""
    if language == "en":
        words, stop_words = _english_stemmed_words(text), ENGLISH_STOP_WORDS
    else:
        words, stop_words = _stemmed_words(text), FRENCH_STOP_WORDS
    return _once(stem for word, stem in words if word not in stop_words)


def without_words(text: str, words: Iterable[str]) -> str:
    """`text` without the occurrences of `words` (lower-cased words of `words_and_stems`)."""
    unwanted = set(words)
    text = unicodedata.normalize("NFC", text)

    def kept(match: re.Match[str]) -> str:
        return " " if match.group().lower() in unwanted else match.group()

    return _TERM.sub(kept, text)


def _meaningful_stems(words: Iterable[tuple[str, str]], stop_words: frozenset[str]) -> list[str]:
    """The stems of the words that are not stop words, or of all of them if all are."""
    words = list(words)
    meaningful = [stem for word, stem in words if word not in stop_words]
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


# English, as the index's `english_text` analyser reads it. Its standard tokenizer follows
# Unicode's word boundaries: a word goes on across an apostrophe, a full stop or a colon between
# two letters (`city's`, `lille.fr`) and across an apostrophe, a full stop or a comma between
# two digits (`1,000.5`). Then `possessive_english` drops a final `'s`, stop words go, and the
# word is folded (`asciifolding` makes every apostrophe ASCII) and stemmed by `minimal_english`.
# Not reproduced: ideographs (a term each there), invisible characters inside a word (the
# soft hyphen), and the letters `fold` leaves and `asciifolding` folds (`ø`, `ł`, `đ`...).
_LETTER_JOINERS = re.escape("'‘’＇.:·\u05f4\u2024\u2027\ufe13\ufe52\ufe55\uff0e\uff1a")
_DIGIT_JOINERS = re.escape(
    "'‘’＇.,;\u037e\u0589\u060c\u060d\u066c\u07f8\u2024\u2044"
    "\ufe10\ufe14\ufe50\ufe52\ufe54\uff0c\uff0e\uff1b"
)
_ENGLISH_WORD = re.compile(
    rf"\w+(?:(?:(?<=[^\W\d_])[{_LETTER_JOINERS}](?=[^\W\d_])|(?<=\d)[{_DIGIT_JOINERS}](?=\d))\w+)*"
)
# The apostrophes Lucene's EnglishPossessiveFilter knows, before an `s` or an `S`.
_POSSESSIVES = tuple(apostrophe + s for apostrophe in "'’＇" for s in "sS")
_ASCII_APOSTROPHES = str.maketrans({"‘": "'", "’": "'", "＇": "'"})


def english_stemmed_text(text: str) -> str:
    """`stemmed_text` for English: `f" {stem} "` in it finds the words of that stem."""
    return f" {' '.join(english_search_terms(text))} "


def english_search_terms(text: str) -> list[str]:
    """The stems of an English text's words, without possessives, in order, once each.

    `search_terms` for English, both for the stored text and (through `english_query_stems`)
    the query: `The city's bicycles` gives `the`, `city`, `bicycle`.
    """
    return _once(stem for _word, stem in _english_stemmed_words(text))


def english_query_stems(query: str) -> list[str]:
    """`english_search_terms` of a query, without English stop words, as Elasticsearch reads it.

    A query of stop words alone keeps them, as `query_stems` does.
    """
    return _meaningful_stems(_english_stemmed_words(query), ENGLISH_STOP_WORDS)


def _english_stemmed_words(text: str) -> Iterator[tuple[str, str]]:
    """Each word lower-cased without its possessive (for stop words) with its folded stem."""
    for token in _ENGLISH_WORD.findall(unicodedata.normalize("NFC", text)):
        word = _without_possessive(token).lower()
        for term in _ENGLISH_WORD.findall(fold(word).translate(_ASCII_APOSTROPHES)):
            yield word, minimal_english_stem(term)


def _without_possessive(token: str) -> str:
    return token[:-2] if token.endswith(_POSSESSIVES) else token


def _english_folded_stem(folded_word: str) -> str:
    """The stem of a word `fold` has already lower-cased and stripped of accents."""
    return minimal_english_stem(_without_possessive(folded_word).translate(_ASCII_APOSTROPHES))


# Lucene's EnglishMinimalStemmer (Harman's "S-stemmer"), which Elasticsearch's
# `minimal_english` runs: plurals only, so `housing` and `living` stay whole. No Python
# library has this stemmer; Snowball's English (Porter 2) would disagree with the index.
# Cached, as `light_french_stem` is.
@lru_cache(maxsize=16_384)
def minimal_english_stem(word: str) -> str:
    """A folded word without its plural: `bicycles` → `bicycle`, `cities` → `city`."""
    # Lucene counts UTF-16 units: a character beyond the BMP is two.
    length = len(word) if word.isascii() else len(word.encode("utf-16-le")) // 2
    if length < 3 or word[-1] != "s":
        return word
    before = word[-2]
    if before in ("u", "s"):
        return word
    if before == "e":
        if length > 3 and word[-3] == "i" and word[-4] not in ("a", "e"):
            return word[:-3] + "y"
        if word[-3] in ("i", "a", "o", "e"):
            return word
    return word[:-1]


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


def highlight_html(text: str, terms: list[str], language: Literal["fr", "en"] = "fr") -> str:
    """`text` escaped, with every word whose stem is a query stem wrapped in <mark>.

    `terms` come from `query_stems` (French) or `english_query_stems` (`language="en"`);
    matching is on folded stems, so `velo` marks `Vélos` and `city` marks `Cities'`; the
    original spelling is kept. Adjacent marked words share one <mark>.
    """
    if not terms:
        return escape(text)
    wanted = set(terms)
    if language == "fr":
        word_pattern, stem = _TERM, light_french_stem
    else:
        word_pattern, stem = _ENGLISH_WORD, _english_folded_stem
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
    for match in word_pattern.finditer(folded):
        if stem(match.group()) not in wanted:
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
