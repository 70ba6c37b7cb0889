"""Writing POC pages into the tree in bulk, with Wagtail's private tree API.

`Page.add_child` takes a tree lock, writes a revision and runs several queries per page: minutes
for 600 POCs. Here the treebeard paths are computed and the page rows inserted a batch at a
time, then their related rows. The pages have no revision, which Wagtail treats as "the live
page is the latest version": they stay editable in the admin. What depends on Wagtail's
internals (`Page._get_path`, `_str2int`, the base manager's `_insert`) is in this module alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from wagtail.models import Page, ReferenceIndex

from ..admin_search import index_for_admin_search
from ..models import POCGalleryImage, POCMaker, POCPage, POCPageTag
from .plans import UNIQUE_PICTURE_LIMIT, POCPlan, stable_uuid


@dataclass(frozen=True)
class Lookups:
    themes: dict[str, int]
    communes: dict[str, int]
    makers: dict[str, int]
    tags: dict[str, int]
    content_type_id: int
    collection_id: int


def insert_pocs(
    batch: list[POCPlan], catalogue_id: int, lookups: Lookups, image_ids: dict[str, int]
) -> list[int]:
    # Lock the catalogue row and read its latest state: paths continue after its last child.
    catalogue = Page.objects.select_for_update().get(pk=catalogue_id)
    last_child = catalogue.get_last_child()
    next_step = Page._str2int(last_child.path[-Page.steplen :]) + 1 if last_child else 1
    pages = []
    for offset, plan in enumerate(batch):
        path = Page._get_path(catalogue.path, catalogue.depth + 1, next_step + offset)
        pages.append(
            POCPage(
                path=path,
                depth=catalogue.depth + 1,
                numchild=0,
                # A translation shares its French page's key (wagtail-localize's link).
                translation_key=stable_uuid("page", plan.translation_of or plan.slug),
                locale_id=catalogue.locale_id,
                live=True,
                has_unpublished_changes=False,
                first_published_at=plan.first_published_at,
                last_published_at=plan.last_published_at,
                title=plan.title,
                draft_title=plan.title,
                slug=plan.slug,
                content_type_id=lookups.content_type_id,
                url_path=f"{catalogue.url_path}{plan.slug}/",
                summary=plan.summary,
                body=plan.body,
                hero_image_id=image_ids[plan.hero.file_name],
                hero_alt_text=plan.hero_alt_text[:255],
                hero_credit=plan.hero_credit[:255],
                commune_id=lookups.communes[plan.commune_insee],
                address=plan.address,
                latitude=plan.latitude,
                longitude=plan.longitude,
                stage=plan.stage,
                year=plan.year,
                contact_email=plan.contact_email,
            )
        )
    _bulk_insert_pages(pages)
    Page.objects.filter(pk=catalogue.pk).update(numchild=catalogue.numchild + len(pages))

    page_ids = {page.slug: page.pk for page in pages}
    ThemeLink = POCPage.themes.through
    ThemeLink.objects.bulk_create(
        [
            ThemeLink(pocpage_id=page_ids[p.slug], theme_id=lookups.themes[slug])
            for p in batch
            for slug in p.theme_slugs
        ]
    )
    POCPageTag.objects.bulk_create(
        [
            POCPageTag(content_object_id=page_ids[p.slug], tag_id=lookups.tags[name])
            for p in batch
            for name in p.tags
        ]
    )
    POCMaker.objects.bulk_create(
        [
            POCMaker(
                page_id=page_ids[p.slug],
                maker_id=lookups.makers[slug],
                role=role,
                sort_order=order,
            )
            for p in batch
            for order, (slug, role) in enumerate(p.makers)
        ]
    )
    POCGalleryImage.objects.bulk_create(
        [
            POCGalleryImage(
                page_id=page_ids[p.slug],
                image_id=image_ids[item.picture.file_name],
                alt_text=item.alt_text[:255],
                caption=item.caption,
                credit=item.credit[:255],
                sort_order=order,
            )
            for p in batch
            for order, item in enumerate(p.gallery)
        ]
    )
    new_pages = list(POCPage.objects.filter(pk__in=page_ids.values()))
    index_for_admin_search(POCPage, new_pages)
    _index_references(
        [p for p, plan in zip(pages, batch, strict=True) if plan.number < UNIQUE_PICTURE_LIMIT]
    )
    return list(page_ids.values())


def _index_references(pages: list[POCPage]) -> None:
    """Record what each page uses (images, makers…), for the admin's usage counts.

    Benchmark padding beyond UNIQUE_PICTURE_LIMIT is skipped: it would add a minute at 10,000
    POCs; `manage.py rebuild_references_index` completes it if ever needed.
    """
    for page in pages:
        ReferenceIndex.create_or_update_for_object(page)


def _bulk_insert_pages(pages: list[POCPage]) -> None:
    """Insert the Page rows, then the POCPage rows that extend them (multi-table inheritance).

    Django's bulk_create refuses multi-table models, so this does its two steps by hand.
    """
    page_fields = [f for f in Page._meta.local_concrete_fields if not f.primary_key]
    returned = Page._base_manager._insert(
        pages,
        fields=page_fields,
        returning_fields=[Page._meta.pk],
        using=connection.alias,
    )
    for page, (pk,) in zip(pages, returned, strict=True):
        page.id = page.page_ptr_id = pk
        page._state.adding = False
    POCPage._base_manager._insert(
        pages, fields=POCPage._meta.local_concrete_fields, using=connection.alias
    )
