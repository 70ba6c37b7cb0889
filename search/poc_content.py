"""What search shows and matches of a published POC, shared by both backends."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from poc_catalogue.models import POCPage, Stage

from .models import POCSearchText
from .text import fold, streamfield_text
from .vocabulary import ThemeEntry

THUMBNAIL_SPEC = "fill-480x320"


def published_pocs() -> QuerySet[POCPage]:
    """Live POC pages with everything a search card or document needs, in a few queries."""
    return (
        POCPage.objects.live()
        .select_related("commune", "hero_image")
        .prefetch_related(
            "themes",
            "poc_makers__maker",
            "tagged_items__tag",
            "hero_image__renditions",
        )
    )


def thumbnail_url(page: POCPage) -> str | None:
    if page.hero_image is None:
        return None
    return page.hero_image.get_rendition(THUMBNAIL_SPEC).url


def poc_themes(page: POCPage) -> list[ThemeEntry]:
    themes = sorted(page.themes.all(), key=lambda theme: (theme.sort_order, theme.name))
    return [ThemeEntry(theme.slug, theme.name, theme.name_en, theme.colour) for theme in themes]


def poc_makers(page: POCPage) -> list[dict[str, str]]:
    roles = sorted(page.poc_makers.all(), key=lambda role: (role.sort_order or 0, role.pk or 0))
    return [
        {"slug": role.maker.slug, "label": role.maker.name, "kind": role.maker.kind}
        for role in roles
    ]


def poc_tags(page: POCPage) -> list[dict[str, str]]:
    tags = sorted((item.tag for item in page.tagged_items.all()), key=lambda tag: tag.name)
    return [{"slug": tag.slug, "label": tag.name} for tag in tags]


def stage_dict(value: str) -> dict[str, str]:
    labels = dict(Stage.choices)
    return {"value": value, "label": str(labels.get(value, value))}


def location_dict(page: POCPage) -> dict[str, float] | None:
    location = page.location
    if location is None:
        return None
    return {"lat": location[0], "lon": location[1]}


def searchable_parts(page: POCPage) -> dict[str, str]:
    """The text visitors search, field by field, as written (never the contact email)."""
    return {
        "title": page.title,
        "summary": page.summary,
        "body": streamfield_text(page.body.raw_data),
        "makers": " ".join(maker["label"] for maker in poc_makers(page)),
        "tags": " ".join(tag["label"] for tag in poc_tags(page)),
        "themes": " ".join(f"{theme.name} {theme.name_en}" for theme in poc_themes(page)),
        "commune": page.commune.name if page.commune_id else "",
    }


def save_search_text(pages: Iterable[POCPage]) -> int:
    """Store the folded text of these (live) POCs for the database backend."""
    rows = [
        POCSearchText(
            page_id=page.pk,
            title=fold(page.title),
            text=fold(" ".join(searchable_parts(page).values())),
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
