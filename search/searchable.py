"""What visitors search of a published POC: its card and the text of its body.

Read the way cards are read (rows, a fixed number of queries per batch), for the index, the
database backend's stored text and the drift check alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import JSONField, QuerySet
from django.db.models.functions import Cast

from poc_catalogue.models import CardReader, POCCard, POCPage

from .text import streamfield_text

BATCH = 500


@dataclass(frozen=True)
class SearchablePOC:
    card: POCCard
    body: str

    def parts(self) -> dict[str, str]:
        """The searchable text field by field, as written (never the contact email)."""
        card = self.card
        return {
            "title": card.title,
            "summary": card.summary,
            "body": self.body,
            "makers": " ".join(maker.label for maker in card.makers),
            "tags": " ".join(tag.label for tag in card.tags),
            "themes": " ".join(f"{theme.name} {theme.name_en}" for theme in card.themes),
            "commune": card.commune.label if card.commune else "",
        }


def read_searchable(
    pages: QuerySet[POCPage], reader: CardReader | None = None
) -> list[SearchablePOC]:
    """These pages' cards and body text, in the queryset's order."""
    cards = (reader or CardReader()).read(pages)
    # The body as plain JSON: StreamField's converter builds a field object per row.
    raw_bodies = pages.order_by().annotate(body_data=Cast("body", JSONField()))
    bodies = dict(raw_bodies.values_list("pk", "body_data"))
    return [SearchablePOC(card, streamfield_text(bodies.get(card.page_id) or [])) for card in cards]


def iter_searchable(
    pages: QuerySet[POCPage] | None = None, *, thumbnails: bool = True
) -> Iterator[SearchablePOC]:
    """Every published POC (or every one of `pages`), batch after batch, by id.

    `thumbnails=False` leaves the cards' thumbnails out, for what only reads the text.

    Batches are id ranges rather than lists of ids: Django compiles a 500-parameter IN clause
    more slowly than the whole query takes to run.
    """
    pages = POCPage.objects.published() if pages is None else pages
    ids = list(pages.order_by("pk").values_list("pk", flat=True))
    reader = CardReader(thumbnails=thumbnails)
    for start in range(0, len(ids), BATCH):
        first, last = ids[start], ids[min(start + BATCH, len(ids)) - 1]
        batch = pages.filter(pk__gte=first, pk__lte=last).order_by("pk")
        yield from read_searchable(batch, reader)
