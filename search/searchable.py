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
from poc_catalogue.supports.counting import counts_of

from .text import streamfield_text

BATCH = 500


@dataclass(frozen=True)
class SearchablePOC:
    card: POCCard
    body: str
    # The English translation's body, empty while the POC has none.
    body_en: str = ""
    # Its support count when read ("Je soutiens"); kept up to date in the index by
    # `support_counts`, not by the drift check.
    supports: int = 0

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

    def english_parts(self) -> dict[str, str]:
        """The English translation's text (empty while there is none): title, summary, body."""
        card = self.card
        return {"title": card.title_en, "summary": card.summary_en, "body": self.body_en}


def read_searchable(
    pages: QuerySet[POCPage], reader: CardReader | None = None
) -> list[SearchablePOC]:
    """These pages' cards and body text, in the queryset's order."""
    cards = (reader or CardReader(english=True)).read(pages)
    # The body as plain JSON: StreamField's converter builds a field object per row.
    raw_bodies = pages.order_by().annotate(body_data=Cast("body", JSONField()))
    bodies = {
        pk: (key, body)
        for pk, key, body in raw_bodies.values_list("pk", "translation_key", "body_data")
    }
    english: dict = {}
    if any(card.title_en for card in cards):  # read only when some are translated
        translations = POCPage.objects.filter(
            translation_key__in=[key for key, _body in bodies.values()],
            locale__language_code="en",
            live=True,
        )
        raw_english = translations.order_by().annotate(body_data=Cast("body", JSONField()))
        english = dict(raw_english.values_list("translation_key", "body_data"))
    supports = counts_of(card.page_id for card in cards)
    searchable = []
    for card in cards:
        key, body = bodies.get(card.page_id, (None, None))
        body_en = english.get(key) if card.title_en else None
        searchable.append(
            SearchablePOC(
                card,
                streamfield_text(body or []),
                streamfield_text(body_en or []),
                supports[card.page_id],
            )
        )
    return searchable


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
    reader = CardReader(thumbnails=thumbnails, english=True)
    for start in range(0, len(ids), BATCH):
        first, last = ids[start], ids[min(start + BATCH, len(ids)) - 1]
        batch = pages.filter(pk__gte=first, pk__lte=last).order_by("pk")
        yield from read_searchable(batch, reader)
