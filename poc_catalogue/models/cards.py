"""What a card shows of a POC: one representation for every listing, both search backends,
the search index and the API.

`read_cards` reads them for a queryset of POC pages in a fixed number of queries, as plain
rows: building page instances (Wagtail and modelcluster set up every child relation per page)
cost most of an index rebuild's time. Labels that depend on the visitor's language (theme
names, the stage) are chosen when the card is shown, not when it is read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import override
from wagtail.models import Page, Site

from ..geography import Point, poc_location
from ..images import card_thumbnails
from ..translations import active_language, source_language, url_in_language
from .links import POCMaker, POCPageTag
from .taxonomy import Stage, Theme, theme_label


@dataclass(frozen=True)
class ThemeLabel:
    slug: str
    name: str
    name_en: str
    colour: str

    @property
    def label(self) -> str:
        return theme_label(self.name, self.name_en)

    def as_dict(self) -> dict[str, str]:
        return {"slug": self.slug, "label": self.label, "colour": self.colour}


@dataclass(frozen=True)
class MakerLabel:
    slug: str
    label: str
    kind: str

    def as_dict(self) -> dict[str, str]:
        return {"slug": self.slug, "label": self.label}


@dataclass(frozen=True)
class Label:
    """A commune or a tag: a slug for filters, a name for people."""

    slug: str
    label: str

    def as_dict(self) -> dict[str, str]:
        return {"slug": self.slug, "label": self.label}


@dataclass(frozen=True)
class POCCard:
    page_id: int
    title: str
    url: str
    summary: str
    thumbnail: str | None
    themes: tuple[ThemeLabel, ...]
    makers: tuple[MakerLabel, ...]
    tags: tuple[Label, ...]
    commune: Label | None
    stage: str
    year: int
    location: Point | None
    first_published_at: datetime | None
    # The English translation's text and address, empty while the POC has none.
    title_en: str = ""
    summary_en: str = ""
    url_en: str = ""
    # The language of `title` and `summary` once `in_language()` chose them ("" before).
    text_language: str = ""

    def in_language(self, language: str) -> POCCard:
        """The card as a visitor reading `language` sees it: the translation's title, summary
        and address when there is one, else the French text at its address in `language`.
        Cards are stored with both languages; the language is chosen when one is shown."""
        if self.text_language:
            return self
        if language == source_language():
            return replace(self, text_language=language)
        if self.title_en:
            return replace(
                self,
                title=self.title_en,
                summary=self.summary_en or self.summary,
                url=self.url_en or self.url,
                text_language=language,
            )
        return replace(
            self, url=url_in_language(self.url, language), text_language=source_language()
        )

    @property
    def stage_label(self) -> str:
        return str(Stage(self.stage).label) if self.stage in Stage.values else self.stage

    def as_dict(self) -> dict[str, Any]:
        """The shape of one result in the JSON API."""
        return {
            "id": self.page_id,
            "title": self.title,
            "url": self.url,
            "summary": self.summary,
            "thumbnail": self.thumbnail,
            "themes": [theme.as_dict() for theme in self.themes],
            "makers": [maker.as_dict() for maker in self.makers],
            "commune": self.commune.as_dict() if self.commune else None,
            "stage": {"value": self.stage, "label": self.stage_label},
            "year": self.year,
            "location": self.location.as_dict() if self.location else None,
            "language": self.text_language or source_language(),
        }

    def as_record(self) -> dict[str, Any]:
        """Everything the card holds as plain JSON, both languages included: what the search
        index stores to show the card again without the database."""
        return {
            "page_id": self.page_id,
            "title": self.title,
            "url": self.url,
            "summary": self.summary,
            "thumbnail": self.thumbnail,
            "themes": [vars(theme) for theme in self.themes],
            "makers": [vars(maker) for maker in self.makers],
            "tags": [vars(tag) for tag in self.tags],
            "commune": vars(self.commune) if self.commune else None,
            "stage": self.stage,
            "year": self.year,
            "location": self.location.as_dict() if self.location else None,
            "first_published_at": (
                self.first_published_at.isoformat() if self.first_published_at else None
            ),
            "title_en": self.title_en,
            "summary_en": self.summary_en,
            "url_en": self.url_en,
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> POCCard:
        location = record.get("location")
        published = record.get("first_published_at")
        commune = record.get("commune")
        return cls(
            page_id=record["page_id"],
            title=record["title"],
            url=record["url"],
            summary=record["summary"],
            thumbnail=record.get("thumbnail"),
            themes=tuple(ThemeLabel(**theme) for theme in record.get("themes") or ()),
            makers=tuple(MakerLabel(**maker) for maker in record.get("makers") or ()),
            tags=tuple(Label(**tag) for tag in record.get("tags") or ()),
            commune=Label(**commune) if commune else None,
            stage=record["stage"],
            year=record["year"],
            location=Point(location["lat"], location["lon"]) if location else None,
            first_published_at=parse_datetime(published) if published else None,
            title_en=record.get("title_en", ""),
            summary_en=record.get("summary_en", ""),
            url_en=record.get("url_en", ""),
        )


class PageUrls:
    """Page URLs for a batch of POCs, resolving the site's roots once instead of per page.

    With one site, a page's URL is its path below the home page of its language (French
    `/home/`, English `/home-en/`), after that language's prefix (none for French, `/en/`).
    """

    def __init__(self) -> None:
        self._roots: list[tuple[str, str]] | None = None

    def __call__(self, page_id: int, url_path: str) -> str:
        if self._roots is None:
            paths = list(Site.get_site_root_paths())
            one_site = len({root.site_id for root in paths}) == 1
            self._roots = [
                (root.root_path, self._prefix(root.language_code)) for root in paths if one_site
            ]
        for root_path, prefix in self._roots:
            if url_path.startswith(root_path):
                return prefix + url_path[len(root_path) :]
        return Page.objects.get(pk=page_id).get_url() or ""

    @staticmethod
    def _prefix(language: str) -> str:
        with override(language):
            return reverse("wagtail_serve", args=("",))


_ROW_FIELDS = (
    "pk",
    "translation_key",
    "title",
    "summary",
    "url_path",
    "stage",
    "year",
    "latitude",
    "longitude",
    "first_published_at",
    "hero_image_id",
    "commune__slug",
    "commune__name",
    "commune__latitude",
    "commune__longitude",
)


class CardReader:
    """Reads cards batch after batch in six queries a batch, however many POCs it holds.

    Every relation is read joined to what the card shows of it (a theme's names and colour, a
    maker's name), as plain rows: one query per relation, never one per POC or per label.
    """

    def __init__(self, *, thumbnails: bool = True, english: bool | None = None) -> None:
        self.urls = PageUrls()
        # Text-only readers (the database backend's stored text) skip the thumbnails: a first
        # read makes each rendition, which costs more than everything else a card holds.
        self.thumbnails = thumbnails
        # The translations' text is read for what shows or searches every language (the
        # index, the stored text); cards shown to a French visitor never show it, so by
        # default only cards read for another language look it up (two queries a batch).
        self.english = english

    def read(self, pages: QuerySet) -> list[POCCard]:
        """The cards of these POC pages, in the queryset's order."""
        rows = list(pages.values(*_ROW_FIELDS))
        if not rows:
            return []
        ids = [row["pk"] for row in rows]
        themes, makers, tags = _theme_links(ids), _maker_links(ids), _tag_links(ids)
        english = (
            self._english([row["translation_key"] for row in rows]) if self._reads_english() else {}
        )
        thumbnails = (
            card_thumbnails({row["hero_image_id"] for row in rows} - {None})
            if self.thumbnails
            else {}
        )
        return [
            POCCard(
                page_id=row["pk"],
                title=row["title"],
                url=self.urls(row["pk"], row["url_path"]),
                summary=row["summary"],
                thumbnail=thumbnails.get(row["hero_image_id"]),
                themes=tuple(themes[row["pk"]]),
                makers=tuple(makers[row["pk"]]),
                tags=tuple(tags[row["pk"]]),
                commune=(
                    Label(row["commune__slug"], row["commune__name"])
                    if row["commune__slug"]
                    else None
                ),
                stage=row["stage"],
                year=row["year"],
                location=poc_location(
                    row["latitude"],
                    row["longitude"],
                    row["commune__latitude"],
                    row["commune__longitude"],
                ),
                first_published_at=row["first_published_at"],
                **english.get(row["translation_key"], {}),
            )
            for row in rows
        ]

    def _reads_english(self) -> bool:
        if self.english is not None:
            return self.english
        return active_language() != source_language()

    def _english(self, keys: list) -> dict[Any, dict[str, str]]:
        """The published English translations of these POCs: title, summary and address."""
        rows = (
            # Public ones only: a translation behind a privacy restriction shows nowhere.
            Page.objects.live()
            .public()
            .filter(translation_key__in=keys, locale__language_code="en")
            .order_by("pk")
            .values_list("pk", "translation_key", "title", "pocpage__summary", "url_path")
        )
        return {
            key: {"title_en": title, "summary_en": summary or "", "url_en": self.urls(pk, path)}
            for pk, key, title, summary, path in rows
        }


def _theme_links(ids: list[int]) -> dict[int, list[ThemeLabel]]:
    links: dict[int, list[ThemeLabel]] = defaultdict(list)
    for page_id, slug, name, name_en, colour in (
        Theme.pocs.through.objects.filter(pocpage_id__in=ids)
        .order_by("pocpage_id", "theme__sort_order", "theme__name")
        .values_list("pocpage_id", "theme__slug", "theme__name", "theme__name_en", "theme__colour")
    ):
        links[page_id].append(ThemeLabel(slug, name, name_en, colour))
    return links


def _maker_links(ids: list[int]) -> dict[int, list[MakerLabel]]:
    links: dict[int, list[MakerLabel]] = defaultdict(list)
    for page_id, slug, name, kind in (
        POCMaker.objects.filter(page_id__in=ids)
        .order_by("page_id", "sort_order", "pk")
        .values_list("page_id", "maker__slug", "maker__name", "maker__kind")
    ):
        links[page_id].append(MakerLabel(slug, name, kind))
    return links


def _tag_links(ids: list[int]) -> dict[int, list[Label]]:
    links: dict[int, list[Label]] = defaultdict(list)
    for page_id, slug, name in (
        POCPageTag.objects.filter(content_object_id__in=ids)
        .order_by("tag__name")
        .values_list("content_object_id", "tag__slug", "tag__name")
    ):
        links[page_id].append(Label(slug, name))
    return links


def read_cards(pages: QuerySet, language: str | None = None) -> list[POCCard]:
    """The cards of these POC pages, in the queryset's order (one reader, no memory kept),
    to show in `language` (the visitor's by default)."""
    english = None if language is None else language != source_language()
    return CardReader(english=english).read(pages)


def cards_in_order(
    pages: QuerySet, ids: Sequence[int], language: str | None = None
) -> list[POCCard]:
    """The cards of the pages among `ids` that `pages` holds, in the order of `ids`."""
    cards = {card.page_id: card for card in read_cards(pages.filter(pk__in=list(ids)), language)}
    return [cards[page_id] for page_id in ids if page_id in cards]
