"""The catalogue as open data: CSV and GeoJSON files of the public fields of POCs.

Files are written as they are sent, line by line from cards read a batch at a time
(`catalogue.export_cards`), so a download of the whole catalogue costs the same memory as one
of ten POCs. A row holds only what a card shows a visitor (`POCCard`, read from published POCs
only): never a draft, a private POC, an unpublished translation or a submitter's contact.
Pictures are left out: their credits and rights are their authors', not the licence's.
"""

from __future__ import annotations

import csv
import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from poc_catalogue.models import POCCard
from poc_catalogue.supports.counting import counts_of

LICENCE_NAME = "Licence Ouverte / Open Licence 2.0"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
PUBLISHER = "Métropole Européenne de Lille"
# Lists in a CSV cell, the way the staff's import reads them.
LIST_SEPARATOR = "; "


@dataclass(frozen=True)
class ExportField:
    """One column of the CSV and one property of the GeoJSON features."""

    name: str
    description: Promise
    # The property's JSON Schema (the GeoJSON's; the CSV writes lists joined).
    schema: dict[str, Any]
    # Of the card, the function making a path absolute, and the POC's support count.
    value: Callable[[POCCard, Callable[[str], str], int], Any]


def _labels(items: Iterable[Any]) -> list[str]:
    return [item.label for item in items]


def _published(card: POCCard) -> str | None:
    return card.first_published_at.date().isoformat() if card.first_published_at else None


_TEXT = {"type": "string"}
_TEXTS = {"type": "array", "items": {"type": "string"}}
_MAYBE_NUMBER = {"type": ["number", "null"]}

# The documented fields, in their order: the open-data page lists them from here.
EXPORT_FIELDS: tuple[ExportField, ...] = (
    ExportField(
        "id", _("The POC's number, stable."), {"type": "integer"}, lambda c, u, s: c.page_id
    ),
    ExportField("title", _("Its title."), _TEXT, lambda c, u, s: c.title),
    ExportField("summary", _("One or two sentences about it."), _TEXT, lambda c, u, s: c.summary),
    ExportField("url", _("The address of its page."), _TEXT, lambda c, u, s: u(c.url)),
    ExportField(
        "language",
        _("The language of its title and summary: fr, or en when translated."),
        _TEXT,
        lambda c, u, s: c.text_language or "fr",
    ),
    ExportField(
        "themes", _("Its themes (one to three)."), _TEXTS, lambda c, u, s: _labels(c.themes)
    ),
    ExportField(
        "theme_slugs",
        _("The same themes as the catalogue's filters name them."),
        _TEXTS,
        lambda c, u, s: [theme.slug for theme in c.themes],
    ),
    ExportField("makers", _("Who made it."), _TEXTS, lambda c, u, s: _labels(c.makers)),
    ExportField(
        "commune",
        _("The commune where it stands."),
        {"type": ["string", "null"]},
        lambda c, u, s: c.commune.label if c.commune else None,
    ),
    ExportField("tags", _("Its keywords."), _TEXTS, lambda c, u, s: _labels(c.tags)),
    ExportField(
        "stage",
        _("Its stage: understand, imagine, experiment or deploy."),
        _TEXT,
        lambda c, u, s: c.stage,
    ),
    ExportField(
        "year", _("The year it was tried out."), {"type": "integer"}, lambda c, u, s: c.year
    ),
    ExportField(
        "latitude",
        _("Where it stands (WGS 84), else its commune's centre; empty when unknown."),
        _MAYBE_NUMBER,
        lambda c, u, s: c.location.lat if c.location else None,
    ),
    ExportField(
        "longitude",
        _("Where it stands (WGS 84), else its commune's centre; empty when unknown."),
        _MAYBE_NUMBER,
        lambda c, u, s: c.location.lon if c.location else None,
    ),
    ExportField(
        "published",
        _("The date it was first published (YYYY-MM-DD)."),
        {"type": ["string", "null"], "format": "date"},
        lambda c, u, s: _published(c),
    ),
    ExportField(
        "supports",
        _("How many visitors support it (“Je soutiens”), when the file was made."),
        {"type": "integer"},
        lambda c, u, s: s,
    ),
)
CSV_LICENCE_COLUMN = "licence"


def _with_supports(cards: Iterable[POCCard], batch: int = 500) -> Iterator[tuple[POCCard, int]]:
    """Each card with its support count, read a batch of cards at a time."""
    chunk: list[POCCard] = []
    for card in itertools.chain(cards, [None]):
        if card is not None:
            chunk.append(card)
            if len(chunk) < batch:
                continue
        counts = counts_of(c.page_id for c in chunk)
        yield from ((c, counts[c.page_id]) for c in chunk)
        chunk = []


class _Line:
    """What `csv.writer` writes to: it hands back each line instead of keeping it."""

    def write(self, line: str) -> str:
        return line


def csv_lines(cards: Iterable[POCCard], absolute: Callable[[str], str]) -> Iterator[str]:
    """The CSV file, line by line: a byte order mark (Excel then reads UTF-8), the header,
    a POC a line, lists joined with "; ", and the licence's name and address on every row
    so no copy of a row travels without it."""
    writer = csv.writer(_Line())
    licence = f"{LICENCE_NAME} ({LICENCE_URL})"
    yield "\ufeff" + writer.writerow([field.name for field in EXPORT_FIELDS] + [CSV_LICENCE_COLUMN])
    for card, supports in _with_supports(cards):
        row = []
        for field in EXPORT_FIELDS:
            value = field.value(card, absolute, supports)
            if isinstance(value, list):
                value = LIST_SEPARATOR.join(value)
            row.append("" if value is None else value)
        yield writer.writerow([*row, licence])


def feature(card: POCCard, absolute: Callable[[str], str], supports: int = 0) -> dict[str, Any]:
    """A POC as a GeoJSON feature: its point (longitude first) and its public fields."""
    location = card.location
    return {
        "type": "Feature",
        "id": card.page_id,
        "geometry": (
            {"type": "Point", "coordinates": [location.lon, location.lat]} if location else None
        ),
        "properties": {
            field.name: field.value(card, absolute, supports) for field in EXPORT_FIELDS
        },
    }


def geojson_chunks(
    cards: Iterable[POCCard], absolute: Callable[[str], str], source: str
) -> Iterator[str]:
    """The GeoJSON FeatureCollection, a feature at a time; the licence, the publisher and
    the catalogue address it came from stand at its top, beside `features`."""
    head = {
        "type": "FeatureCollection",
        "name": "poc-showcase",
        "licence": {"name": LICENCE_NAME, "url": LICENCE_URL},
        "publisher": PUBLISHER,
        "source": source,
    }
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "features": ['
    separator = ""
    for card, supports in _with_supports(cards):
        yield separator + json.dumps(feature(card, absolute, supports), ensure_ascii=False)
        separator = ",\n"
    yield "]}\n"
