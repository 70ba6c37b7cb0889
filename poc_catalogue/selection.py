"""A visitor's selection: POCs kept without an account, shared as `/selection/?poc=1&poc=2`.

Nothing is stored on the server. The browser keeps the ids (`static/js/selection.js`) and the
address carries them, so a link opens the same selection on any device, without JavaScript
too. Threat model: the address is anyone's to write. An id only ever names a published, public
POC (its French page, `POCPageQuerySet.published()`); anything else (unknown, draft, private,
a translation's id, not a number, out of the database's range) is dropped without a word, so a
link reveals nothing of what is not public.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from .limits import MAX_SELECTION_SIZE
from .models import POCCard, POCPage

# Page ids are PostgreSQL `integer`s: a larger number would fail the query, not match nothing.
_LARGEST_ID = 2**31 - 1
_ID = re.compile(r"[0-9]{1,10}")

# The open-data exports of a catalogue state (the search app's, which the catalogue cannot
# import): a selection is the state `poc=<id>&poc=<id>`, downloaded in the same formats.
EXPORT_FORMATS = (
    ("CSV", "/api/catalogue/export.csv"),
    ("GeoJSON", "/api/catalogue/export.geojson"),
)


def selected_ids(values: Iterable[str]) -> list[int]:
    """The POC ids an address asks for, in its order, each once, at most `MAX_SELECTION_SIZE`;
    what is not an id at all is skipped."""
    ids: dict[int, None] = {}
    for value in values:
        value = value.strip()
        if not _ID.fullmatch(value) or not 0 < int(value) <= _LARGEST_ID:
            continue
        ids[int(value)] = None
        if len(ids) == MAX_SELECTION_SIZE:
            break
    return list(ids)


@dataclass(frozen=True)
class Selection:
    """The POCs of a selection visitors may see, in the order they were kept."""

    cards: tuple[POCCard, ...]

    @property
    def ids(self) -> list[int]:
        return [card.page_id for card in self.cards]

    @property
    def query(self) -> str:
        """`poc=1&poc=2`: the selection as an address's query string."""
        return urlencode([("poc", page_id) for page_id in self.ids])

    def exports(self, language: str) -> list[tuple[str, str]]:
        """Each export format's name and the address downloading this selection in it."""
        query = f"{self.query}&{urlencode({'lang': language})}"
        return [(name, f"{path}?{query}") for name, path in EXPORT_FORMATS]


def read_selection(values: Iterable[str], language: str | None = None) -> Selection:
    """The published POCs among the ids in `values` (an address's `poc` parameters), as cards
    to show in `language` (the visitor's by default)."""
    ids = selected_ids(values)
    if not ids:
        return Selection(cards=())
    return Selection(cards=tuple(POCPage.objects.published().cards_in_order(ids, language)))
