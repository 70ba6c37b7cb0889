"""What search shows and matches of a published POC, shared by both backends."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace
from typing import Any, NamedTuple

from django.db.models import JSONField, Prefetch, QuerySet
from django.db.models.functions import Cast
from django.urls import reverse
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.images.models import Filter
from wagtail.models import Site

from poc_catalogue.images import CARD_THUMBNAIL, rendition_url
from poc_catalogue.models import Commune, Maker, POCMaker, POCPage, POCPageTag, Stage, Theme

from .models import POCSearchText
from .text import streamfield_text, word_text
from .vocabulary import ThemeEntry

THUMBNAIL_SPEC = CARD_THUMBNAIL


def published_pocs() -> QuerySet[POCPage]:
    """Live POC pages with everything a search card or document needs, in a few queries."""
    # Prefetched into plain lists: reading them through modelcluster's managers costs a
    # queryset per call, which dominates a 10,000-POC rebuild.
    return (
        POCPage.objects.published()
        .select_related("commune", "hero_image")
        .prefetch_related(
            Prefetch("themes", to_attr="search_themes"),
            Prefetch(
                "poc_makers",
                queryset=POCMaker.objects.select_related("maker"),
                to_attr="search_makers",
            ),
            Prefetch(
                "tagged_items",
                queryset=POCPageTag.objects.select_related("tag"),
                to_attr="search_tags",
            ),
            "hero_image__renditions",
        )
    )


class MakerLink(NamedTuple):
    maker: Maker
    sort_order: int | None
    pk: int


class TagLink(NamedTuple):
    tag: Tag


class RawBody(NamedTuple):
    raw_data: list[Any]


@dataclass(slots=True)
class PublishedPOC:
    """A live POC as plain values: what `document_source` and `searchable_parts` read.

    Building full page instances (Wagtail and modelcluster set up every child relation
    per page) was most of a rebuild's time; these rows cost a tuple each.
    """

    pk: int
    title: str
    summary: str
    body: RawBody
    url_path: str
    stage: str
    year: int
    latitude: float | None
    longitude: float | None
    first_published_at: datetime | None
    hero_image_id: int | None
    commune_id: int | None
    commune: Commune | None
    search_thumbnail: str | None
    search_themes: list[Theme]
    search_makers: list[MakerLink]
    search_tags: list[TagLink]

    @property
    def location(self) -> tuple[float, float] | None:
        """Same rule as `POCPage.location`."""
        if self.latitude is not None and self.longitude is not None:
            return (self.latitude, self.longitude)
        if self.commune is not None:
            return (self.commune.latitude, self.commune.longitude)
        return None

    def get_url(self) -> str | None:
        """The page's own lookup, for the rare site layouts `PageUrls` does not shortcut."""
        return POCPage.objects.get(pk=self.pk).get_url()


_ROW_FIELDS = (
    "pk",
    "title",
    "summary",
    "url_path",
    "stage",
    "year",
    "latitude",
    "longitude",
    "first_published_at",
    "hero_image_id",
    "commune_id",
)


def _thumbnail_urls(image_ids: set[int]) -> dict[int, str]:
    """Each image's card thumbnail URL, from the stored renditions in two queries.

    A rendition counts only with the focal point key `get_rendition` would look for;
    an image without one gets it rendered through Wagtail, as before (none if its file
    cannot be read).
    """
    if not image_ids:
        return {}
    Image = get_image_model()
    Rendition = Image.get_rendition_model()
    spec = Filter(spec=THUMBNAIL_SPEC)
    focal_fields = ("focal_point_x", "focal_point_y", "focal_point_width", "focal_point_height")
    wanted_keys = {
        row["pk"]: spec.get_cache_key(SimpleNamespace(**row))
        for row in Image.objects.filter(pk__in=image_ids).values("pk", *focal_fields)
    }
    storage = Rendition._meta.get_field("file").storage
    urls: dict[int, str] = {}
    for image_id, focal_point_key, name in Rendition.objects.filter(
        image_id__in=wanted_keys, filter_spec=THUMBNAIL_SPEC
    ).values_list("image_id", "focal_point_key", "file"):
        if wanted_keys[image_id] == focal_point_key:
            urls[image_id] = storage.url(name)
    for image in Image.objects.filter(pk__in=set(wanted_keys) - set(urls)):
        url = rendition_url(image, THUMBNAIL_SPEC)
        if url:
            urls[image.pk] = url
    return urls


def iter_published_pocs(chunk_size: int = 500) -> Iterator[PublishedPOC]:
    """Every live POC, ready for `document_source`, at a rebuild's pace.

    Same data as `published_pocs()`, but read as plain rows: themes, makers, tags and
    communes come from small vocabularies read once, attached by id from the link
    tables, and thumbnails from the stored renditions, a few set-based queries per chunk.
    """
    themes = {theme.pk: theme for theme in Theme.objects.all()}
    makers = {maker.pk: maker for maker in Maker.objects.all()}
    communes = {commune.pk: commune for commune in Commune.objects.all()}
    tags = {
        tag.pk: tag
        for tag in Tag.objects.filter(poc_catalogue_pocpagetag_items__isnull=False).distinct()
    }
    ids = list(POCPage.objects.published().order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), chunk_size):
        chunk = ids[start : start + chunk_size]
        # Ranges of ids, not lists of 500 parameters: Django spends longer compiling those.
        first, last = chunk[0], chunk[-1]
        rows = list(
            POCPage.objects.published()
            .filter(pk__gte=first, pk__lte=last)
            .order_by("pk")
            # The body as plain JSON: StreamField's converter builds a field per row.
            .annotate(body_data=Cast("body", JSONField()))
            .values(*_ROW_FIELDS, "body_data")
        )
        theme_links: dict[int, list[Theme]] = defaultdict(list)
        for page_id, theme_id in POCPage.themes.through.objects.filter(
            pocpage_id__gte=first, pocpage_id__lte=last
        ).values_list("pocpage_id", "theme_id"):
            theme_links[page_id].append(themes[theme_id])
        maker_links: dict[int, list[MakerLink]] = defaultdict(list)
        for page_id, maker_id, sort_order, pk in POCMaker.objects.filter(
            page_id__gte=first, page_id__lte=last
        ).values_list("page_id", "maker_id", "sort_order", "pk"):
            maker_links[page_id].append(MakerLink(makers[maker_id], sort_order, pk))
        tag_links: dict[int, list[TagLink]] = defaultdict(list)
        for page_id, tag_id in POCPageTag.objects.filter(
            content_object_id__gte=first, content_object_id__lte=last
        ).values_list("content_object_id", "tag_id"):
            if tag_id in tags:
                tag_links[page_id].append(TagLink(tags[tag_id]))
        thumbnails = _thumbnail_urls({row["hero_image_id"] for row in rows if row["hero_image_id"]})
        for row in rows:
            page_id = row["pk"]
            body_data = row.pop("body_data")
            yield PublishedPOC(
                **row,
                body=RawBody(body_data or []),
                commune=communes.get(row["commune_id"]),
                search_thumbnail=thumbnails.get(row["hero_image_id"]),
                search_themes=theme_links[page_id],
                search_makers=maker_links[page_id],
                search_tags=tag_links[page_id],
            )


class PageUrls:
    """Page URLs for a batch of POCs, resolving the site root once instead of per page."""

    def __init__(self) -> None:
        self._roots: list | None = None
        self._prefix = "/"

    def __call__(self, page: POCPage) -> str:
        if self._roots is None:
            self._roots = list(Site.get_site_root_paths())
            self._prefix = reverse("wagtail_serve", args=("",))
        if len(self._roots) == 1 and page.url_path.startswith(self._roots[0].root_path):
            return self._prefix + page.url_path[len(self._roots[0].root_path) :]
        return page.get_url() or ""


def thumbnail_url(page: POCPage, known: dict[int, str] | None = None) -> str | None:
    """The card image's URL; `known` remembers it per image across a batch of POCs.

    POCs often share a picture, and each page holds its own copy of the image object,
    so without it a batch would look up (or even render) the same thumbnail again and again.
    """
    if page.hero_image_id is None:
        return None
    if isinstance(page, PublishedPOC):
        return page.search_thumbnail
    if known is not None and page.hero_image_id in known:
        return known[page.hero_image_id]
    url = rendition_url(page.hero_image, THUMBNAIL_SPEC)
    if known is not None:
        known[page.hero_image_id] = url
    return url


def poc_themes(page: POCPage) -> list[ThemeEntry]:
    themes = getattr(page, "search_themes", None)
    if themes is None:
        themes = page.themes.all()
    themes = sorted(themes, key=lambda theme: (theme.sort_order, theme.name))
    return [ThemeEntry(theme.slug, theme.name, theme.name_en, theme.colour) for theme in themes]


def poc_makers(page: POCPage) -> list[dict[str, str]]:
    roles = getattr(page, "search_makers", None)
    if roles is None:
        roles = page.poc_makers.all()
    roles = sorted(roles, key=lambda role: (role.sort_order or 0, role.pk or 0))
    return [
        {"slug": role.maker.slug, "label": role.maker.name, "kind": role.maker.kind}
        for role in roles
    ]


def poc_tags(page: POCPage) -> list[dict[str, str]]:
    items = getattr(page, "search_tags", None)
    if items is None:
        items = page.tagged_items.all()
    tags = sorted((item.tag for item in items), key=lambda tag: tag.name)
    return [{"slug": tag.slug, "label": tag.name} for tag in tags]


def stage_dict(value: str) -> dict[str, str]:
    labels = dict(Stage.choices)
    return {"value": value, "label": str(labels.get(value, value))}


def location_dict(page: POCPage) -> dict[str, float] | None:
    location = page.location
    if location is None:
        return None
    return {"lat": location[0], "lon": location[1]}


def searchable_parts(
    page: POCPage,
    themes: list[ThemeEntry] | None = None,
    makers: list[dict[str, str]] | None = None,
    tags: list[dict[str, str]] | None = None,
) -> dict[str, str]:
    """The text visitors search, field by field, as written (never the contact email)."""
    themes = poc_themes(page) if themes is None else themes
    makers = poc_makers(page) if makers is None else makers
    tags = poc_tags(page) if tags is None else tags
    return {
        "title": page.title,
        "summary": page.summary,
        "body": streamfield_text(page.body.raw_data),
        "makers": " ".join(maker["label"] for maker in makers),
        "tags": " ".join(tag["label"] for tag in tags),
        "themes": " ".join(f"{theme.name} {theme.name_en}" for theme in themes),
        "commune": page.commune.name if page.commune_id else "",
    }


def save_search_text(pages: Iterable[POCPage]) -> int:
    """Store the folded text of these (live) POCs for the database backend."""
    rows = [
        POCSearchText(
            page_id=page.pk,
            title=word_text(page.title),
            text=word_text(" ".join(searchable_parts(page).values())),
        )
        for page in pages
    ]
    POCSearchText.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["page"],
        update_fields=["title", "text", "updated_at"],
        batch_size=500,
    )
    return len(rows)


def fill_missing_search_text() -> int:
    """Write the folded text of live POCs that have none (loaded in bulk, without signals)."""
    missing = published_pocs().filter(search_text__isnull=True)
    if not missing.exists():
        return 0
    return save_search_text(missing.iterator(chunk_size=500))
