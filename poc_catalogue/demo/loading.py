"""Loading the demo catalogue: write what the plan holds and the database lacks.

Already loaded POCs (found by slug) are left as they are. Pages are written in bulk by
`page_tree`, which bypasses `Page.add_child`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page

from ..admin_search import index_for_admin_search
from ..logos import makers_collection
from ..models import (
    CatalogueIndexPage,
    Commune,
    HomePage,
    HomePageFeaturedPOC,
    Maker,
    POCPage,
    Theme,
)
from ..signals import pocs_bulk_published
from ..translations import source_language, translate_page
from . import words_en
from .page_tree import Lookups, insert_pocs
from .pictures import IMAGE_SIZE, LOGO_SIZE, render_logo, render_picture
from .planning import plan_catalogue
from .plans import (
    BATCH_SIZE,
    CommuneRef,
    MakerPlan,
    PicturePlan,
    POCPlan,
    ThemeRef,
    stable_uuid,
)
from .trails import ensure_demo_trails

ProgressCallback = Callable[[int, int], None]


@dataclass
class LoadReport:
    pocs_created: int = 0
    pocs_existing: int = 0
    makers_created: int = 0
    tags_created: int = 0
    images_created: int = 0
    featured: int = 0
    translations_created: int = 0
    trails_created: int = 0


def load_demo_catalogue(
    count: int = 600, seed: int = 2020, progress: ProgressCallback | None = None
) -> LoadReport:
    """Create the demo catalogue's missing makers, tags, images and POC pages."""
    report = LoadReport()
    themes = list(Theme.objects.order_by("sort_order", "slug"))
    communes = list(Commune.objects.order_by("insee_code"))
    plan = plan_catalogue(
        count,
        seed,
        [ThemeRef(t.slug, t.name, t.colour, t.name_en) for t in themes],
        [CommuneRef(c.insee_code, c.name, c.latitude, c.longitude, c.population) for c in communes],
    )
    catalogue = CatalogueIndexPage.in_source_language()
    existing_slugs = set(Page.objects.child_of(catalogue).values_list("slug", flat=True))
    missing = [p for p in plan.pocs if p.slug not in existing_slugs]
    report.pocs_existing = len(plan.pocs) - len(missing)
    english_catalogue = _english_pages(catalogue)
    translated_keys = {
        str(key)
        for key in Page.objects.child_of(english_catalogue).values_list(
            "translation_key", flat=True
        )
    }
    untranslated = [
        p
        for p in plan.pocs
        if p.english is not None and stable_uuid("page", p.slug) not in translated_keys
    ]

    collection_id = Collection.get_first_root_node().pk
    with transaction.atomic():
        maker_ids, report.makers_created, logos = _ensure_makers(
            plan.makers, communes, makers_collection().pk, seed
        )
        report.images_created += logos
        tag_ids, report.tags_created = _ensure_tags(plan.tags)

    lookups = Lookups(
        themes={t.slug: t.pk for t in themes},
        communes={c.insee_code: c.pk for c in communes},
        makers=maker_ids,
        tags=tag_ids,
        content_type_id=ContentType.objects.get_for_model(POCPage).pk,
        collection_id=collection_id,
    )
    done, total = 0, len(missing) + len(untranslated)
    created_ids: list[int] = []
    if progress:
        progress(done, total)
    for start in range(0, len(missing), BATCH_SIZE):
        batch = missing[start : start + BATCH_SIZE]
        with transaction.atomic():
            image_ids, created = _ensure_pictures(batch, lookups.collection_id)
            report.images_created += created
            created_ids += insert_pocs(batch, catalogue.pk, lookups, image_ids)
        done += len(batch)
        report.pocs_created += len(batch)
        if progress:
            progress(done, total)

    for start in range(0, len(untranslated), BATCH_SIZE):
        batch = untranslated[start : start + BATCH_SIZE]
        with transaction.atomic():
            image_ids, _created = _ensure_pictures(batch, lookups.collection_id)
            english = [poc.in_english() for poc in batch]
            insert_pocs(english, english_catalogue.pk, lookups, image_ids)
        done += len(batch)
        report.translations_created += len(batch)
        if progress:
            progress(done, total)

    report.featured = _feature_on_home(plan.featured_slugs, catalogue)
    report.trails_created = ensure_demo_trails(plan.pocs, catalogue)
    # Every POC whose text changed: new ones, and those given a translation.
    translated_slugs = {poc.slug for poc in untranslated}
    changed = set(created_ids) | set(
        Page.objects.child_of(catalogue)
        .filter(slug__in=translated_slugs)
        .values_list("pk", flat=True)
    )
    if changed:
        pocs_bulk_published.send(sender=POCPage, page_ids=sorted(changed))
    return report


def _english_pages(catalogue: CatalogueIndexPage) -> Page:
    """The English home and catalogue pages (made with wagtail-localize, as staff would),
    created when missing; returns the English catalogue."""
    english = Locale.objects.get(language_code="en")
    home = catalogue.get_parent().specific
    if home.get_translation_or_none(english) is None:
        translate_page(home, "en", words_en.HOME_PAGE)
    translation = catalogue.get_translation_or_none(english)
    if translation is None:
        translation = translate_page(catalogue, "en", words_en.CATALOGUE_PAGE)
    return translation


def _ensure_makers(
    plans: list[MakerPlan], communes: list[Commune], collection_id: int, seed: int
) -> tuple[dict[str, int], int, int]:
    """Maker ids by slug, creating the missing makers and their logos (in `collection_id`)."""
    commune_ids = {c.insee_code: c.pk for c in communes}
    existing = set(
        Maker.objects.filter(slug__in=[m.slug for m in plans]).values_list("slug", flat=True)
    )
    missing = [m for m in plans if m.slug not in existing]
    logo_ids, logos_created = _ensure_logos([m for m in missing if m.has_logo], collection_id, seed)
    new = [
        Maker(
            name=m.name,
            slug=m.slug,
            kind=m.kind,
            bio=m.bio,
            bio_en=m.bio_en,
            website=m.website,
            commune_id=commune_ids.get(m.commune_insee),
            logo_id=logo_ids.get(m.logo_file_name),
            is_public=True,
        )
        for m in missing
    ]
    Maker.objects.bulk_create(new, batch_size=BATCH_SIZE)
    index_for_admin_search(Maker, Maker.objects.filter(slug__in=[m.slug for m in new]))
    ids = dict(Maker.objects.filter(slug__in=[m.slug for m in plans]).values_list("slug", "pk"))
    return ids, len(new), logos_created


def _ensure_logos(
    plans: list[MakerPlan], collection_id: int, seed: int
) -> tuple[dict[str, int], int]:
    """Logo image ids by file name, and how many were created."""
    Image = get_image_model()
    names = [maker.logo_file_name for maker in plans]
    ids = dict(Image.objects.filter(file__in=names).values_list("file", "pk"))
    images = []
    for maker in plans:
        if maker.logo_file_name in ids:
            continue
        content = render_logo(f"{seed}:logo:{maker.slug}", maker.name)
        images.append(
            _stored_image(maker.logo_file_name, content, f"Logo — {maker.name}", LOGO_SIZE)
        )
        images[-1].description = f"Logo de {maker.name}"[:255]
        images[-1].collection_id = collection_id
    Image.objects.bulk_create(images, batch_size=BATCH_SIZE)
    index_for_admin_search(Image, images)
    return ids | {image.file.name: image.pk for image in images}, len(images)


def _stored_image(name: str, content: bytes, title: str, size: tuple[int, int]):
    """An unsaved image row for a file written to storage under exactly `name`."""
    if default_storage.exists(name):
        default_storage.delete(name)
    stored_name = default_storage.save(name, ContentFile(content))
    return get_image_model()(
        title=title[:255],
        file=stored_name,
        width=size[0],
        height=size[1],
        file_size=len(content),
        file_hash=hashlib.sha1(content, usedforsecurity=False).hexdigest(),
    )


def _ensure_tags(names: list[str]) -> tuple[dict[str, int], int]:
    """Tag ids by name; a tag staff already wrote differently ("Vélo") is reused by slug."""
    slugs = {name: Tag().slugify(name) for name in names}
    existing = Tag.objects.filter(slug__in=slugs.values()).values_list("slug", flat=True)
    new = [Tag(name=name, slug=slug) for name, slug in slugs.items() if slug not in set(existing)]
    Tag.objects.bulk_create(new, batch_size=BATCH_SIZE, ignore_conflicts=True)
    ids_by_slug = dict(Tag.objects.filter(slug__in=slugs.values()).values_list("slug", "pk"))
    return {name: ids_by_slug[slug] for name, slug in slugs.items()}, len(new)


def _ensure_pictures(batch: list[POCPlan], collection_id: int) -> tuple[dict[str, int], int]:
    """Image ids by file name, rendering and storing the pictures not stored yet."""
    Image = get_image_model()
    wanted: dict[str, PicturePlan] = {}
    for poc in batch:
        wanted[poc.hero.file_name] = poc.hero
        for item in poc.gallery:
            wanted[item.picture.file_name] = item.picture
    ids = dict(Image.objects.filter(file__in=list(wanted)).values_list("file", "pk"))
    alt_texts = {poc.hero.file_name: poc.hero_alt_text for poc in batch}
    new_images = []
    for name, picture in wanted.items():
        if name in ids:
            continue
        content = render_picture(
            picture.seed,
            picture.colour,
            title=picture.caption_text,
            kicker=picture.kicker,
            footer=picture.footer,
        )
        image = _stored_image(name, content, picture.title, IMAGE_SIZE)
        image.description = alt_texts.get(name, "")[:255]
        image.collection_id = collection_id
        new_images.append(image)
    Image.objects.bulk_create(new_images, batch_size=BATCH_SIZE)
    index_for_admin_search(Image, new_images)
    ids.update(Image.objects.filter(file__in=list(wanted)).values_list("file", "pk"))
    return ids, len(new_images)


def _feature_on_home(featured_slugs: list[str], catalogue: CatalogueIndexPage) -> int:
    home = HomePage.objects.filter(locale__language_code=source_language()).first()
    if home is None or home.featured_pocs.exists():
        return 0
    pocs = dict(
        Page.objects.child_of(catalogue).filter(slug__in=featured_slugs).values_list("slug", "pk")
    )
    rows = [
        HomePageFeaturedPOC(home_page=home, poc_id=pocs[slug], sort_order=order)
        for order, slug in enumerate(featured_slugs)
        if slug in pocs
    ]
    HomePageFeaturedPOC.objects.bulk_create(rows)
    return len(rows)
