"""The folded and stemmed copy of each published POC's text that the database backend searches.

Written when a POC is published and when a maker, theme, commune or tag it shows is renamed,
so the database backend matches accents the same way on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from poc_catalogue.models import POCPage

from .models import POCSearchText
from .searchable import SearchablePOC, iter_searchable
from .text import english_stemmed_text, stemmed_text, word_text


def search_text_row(poc: SearchablePOC) -> POCSearchText:
    card, parts = poc.card, poc.parts()
    english = poc.english_parts()
    shared = (parts["makers"], parts["tags"], parts["themes"], parts["commune"])
    return POCSearchText(
        page_id=card.page_id,
        title=word_text(card.title),
        title_terms=stemmed_text(card.title),
        text=stemmed_text(" ".join(parts.values())),
        title_en=word_text(card.title_en or card.title),
        title_terms_en=english_stemmed_text(card.title_en) if card.title_en else " ",
        text_en=english_stemmed_text(" ".join((*english.values(), *shared))),
    )


def save_search_text(pocs: Iterable[SearchablePOC]) -> int:
    """Store the folded text of these published POCs; returns how many."""
    rows = [search_text_row(poc) for poc in pocs]
    POCSearchText.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["page"],
        update_fields=[
            "title",
            "title_terms",
            "text",
            "title_en",
            "title_terms_en",
            "text_en",
            "updated_at",
        ],
        batch_size=500,
    )
    return len(rows)


def refresh_search_text(pages: QuerySet[POCPage] | None = None) -> int:
    """Store the folded text of every published POC, or of `pages` (published ones)."""
    return save_search_text(iter_searchable(pages, thumbnails=False))


def save_search_text_of(page_ids: Iterable[int]) -> int:
    """Store the folded text of these POCs, those that are published."""
    return refresh_search_text(POCPage.objects.published().filter(pk__in=list(page_ids)))


def fill_missing_search_text(published: QuerySet[POCPage] | None = None) -> int:
    """Write the folded text of published POCs that have none (loaded without signals).

    `published` is `POCPage.objects.published()` when the caller has built it already.
    """
    published = POCPage.objects.published() if published is None else published
    missing = published.filter(search_text__isnull=True)
    if not missing.exists():
        return 0
    return refresh_search_text(missing)
