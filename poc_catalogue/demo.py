"""A realistic demo catalogue, built from a seed: makers, tags, images and POC pages.

Two halves: `plan_catalogue` composes every maker and POC from the seed alone (pure, no
database), and `load_demo_catalogue` writes what is missing. POC number n always gets the same
title, slug and pictures for a given seed, whatever the count, so loading 12 then 600 adds the
588 others; already loaded POCs (found by slug) are left as they are.

Pages are written in bulk, bypassing `Page.add_child` (one tree lock, one revision and several
queries per page would take minutes for 600): we compute the treebeard paths ourselves and
insert the page rows, then their related rows, a batch at a time. The pages have no revision,
which Wagtail treats as "the live page is the latest version": they stay editable in the admin.
"""

from __future__ import annotations

import hashlib
import random
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils.html import escape
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, ReferenceIndex
from wagtail.search.backends import get_search_backends

from . import demo_vocabulary as words
from .demo_images import IMAGE_SIZE, LOGO_SIZE, render_logo, render_picture
from .geography import METROPOLE_EXTENT
from .models import (
    CatalogueIndexPage,
    Commune,
    HomePage,
    HomePageFeaturedPOC,
    Maker,
    MakerKind,
    MakerRole,
    POCGalleryImage,
    POCMaker,
    POCPage,
    POCPageTag,
    Stage,
    Theme,
)
from .signals import pocs_bulk_published

MAKER_COUNTS = {
    MakerKind.DESIGNER: 34,
    MakerKind.STUDIO: 28,
    MakerKind.COMPANY: 16,
    MakerKind.ASSOCIATION: 18,
    MakerKind.SCHOOL: 12,
    MakerKind.PUBLIC_BODY: 18,
    MakerKind.CULTURAL_VENUE: 12,
    MakerKind.COLLECTIVE: 12,
}
HOLDER_KINDS = (
    MakerKind.COMPANY,
    MakerKind.ASSOCIATION,
    MakerKind.SCHOOL,
    MakerKind.CULTURAL_VENUE,
    MakerKind.COLLECTIVE,
)
DESIGNER_KINDS = (MakerKind.DESIGNER, MakerKind.STUDIO)
STAGE_WEIGHTS = {Stage.UNDERSTAND: 15, Stage.IMAGINE: 20, Stage.EXPERIMENT: 40, Stage.DEPLOY: 25}
STAGE_ORDER = list(Stage)
YEAR_WEIGHTS = {2019: 15, 2020: 65, 2021: 20}
YEAR_SPANS = {
    2019: (datetime(2019, 9, 2, tzinfo=UTC), datetime(2019, 12, 31, tzinfo=UTC)),
    2020: (datetime(2020, 1, 6, tzinfo=UTC), datetime(2020, 12, 18, tzinfo=UTC)),
    2021: (datetime(2021, 1, 11, tzinfo=UTC), datetime(2021, 6, 30, tzinfo=UTC)),
}
GALLERY_CAPTIONS = [
    "Atelier de co-conception avec les usagers",
    "Premier prototype en carton",
    "Installation sur site",
    "Restitution publique",
    "Test en conditions réelles",
    "Maquette à l'échelle 1",
    "Inauguration du dispositif",
    "Carnet de terrain",
]
FEATURED_COUNT = 6
# Beyond this many POCs (benchmarks), pictures come from a small shared pool per theme.
UNIQUE_PICTURE_LIMIT = 1000
SHARED_PICTURES_PER_THEME = 8
BATCH_SIZE = 100
IMAGE_FOLDER = "original_images/demo"


@dataclass(frozen=True)
class ThemeRef:
    slug: str
    name: str
    colour: str


@dataclass(frozen=True)
class CommuneRef:
    insee_code: str
    name: str
    latitude: float
    longitude: float
    population: int


@dataclass(frozen=True)
class MakerPlan:
    name: str
    slug: str
    kind: str
    bio: str
    website: str
    commune_insee: str
    has_logo: bool = False

    @property
    def logo_file_name(self) -> str:
        # Image.file holds 100 characters: a short, unique name rather than the whole slug.
        digest = hashlib.md5(self.slug.encode(), usedforsecurity=False).hexdigest()[:8]
        return f"{IMAGE_FOLDER}/logos/{self.slug[:40]}-{digest}.png"


@dataclass(frozen=True)
class PicturePlan:
    """A generated picture; `file_name` identifies it, so shared pictures are written once.

    File names stay short (Image.file holds 100 characters) and follow the POC number, which
    the seed ties to one title.
    """

    file_name: str
    title: str
    seed: str
    colour: str
    kicker: str = ""
    caption_text: str = ""
    footer: str = ""


@dataclass(frozen=True)
class GalleryItemPlan:
    picture: PicturePlan
    alt_text: str
    caption: str
    credit: str


@dataclass(frozen=True)
class POCPlan:
    number: int
    title: str
    slug: str
    summary: str
    theme_slugs: tuple[str, ...]
    makers: tuple[tuple[str, str], ...]  # (maker slug, role)
    tags: tuple[str, ...]
    commune_insee: str
    stage: str
    year: int
    address: str
    latitude: float
    longitude: float
    body: list[dict]
    hero: PicturePlan
    hero_alt_text: str
    hero_credit: str
    gallery: tuple[GalleryItemPlan, ...]
    contact_email: str
    first_published_at: datetime
    last_published_at: datetime


@dataclass
class CataloguePlan:
    makers: list[MakerPlan]
    tags: list[str]
    pocs: list[POCPlan]
    featured_slugs: list[str]


@dataclass
class LoadReport:
    pocs_created: int = 0
    pocs_existing: int = 0
    makers_created: int = 0
    tags_created: int = 0
    images_created: int = 0
    featured: int = 0


ProgressCallback = Callable[[int, int], None]


# --- Planning: pure functions of the seed ----------------------------------------------------


def _at_commune(name: str) -> str:
    if name.startswith("Le "):
        return f"au {name[3:]}"
    if name.startswith("Les "):
        return f"aux {name[4:]}"
    return f"à {name}"


def _of_commune(name: str) -> str:
    """ "de Lille", "d'Armentières", "du Maisnil"."""
    if name.startswith("Le "):
        return f"du {name[3:]}"
    if name[0] in "AEIOUYÉÈÊ":
        return f"d'{name}"
    return f"de {name}"


def _of(subject: str) -> str:
    """French contraction of "de" + article: "de les arrêts" → "des arrêts"."""
    if subject.startswith("le "):
        return f"du {subject[3:]}"
    if subject.startswith("les "):
        return f"des {subject[4:]}"
    return f"de {subject}"


def _stable_uuid(*parts: object) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "poc-showcase-demo:" + ":".join(map(str, parts))))


def _unique_slug(base: str, used: set[str]) -> str:
    slug, suffix = base, 2
    while slug in used:
        slug = f"{base}-{suffix}"
        suffix += 1
    used.add(slug)
    return slug


def _plan_makers(seed: int, communes: Sequence[CommuneRef]) -> list[MakerPlan]:
    rng = random.Random(f"{seed}:makers")
    weights = [c.population for c in communes]
    used_names: set[str] = set()
    used_slugs: set[str] = set()
    makers: list[MakerPlan] = []

    def commune_for(kind: str) -> CommuneRef:
        # Public bodies spread over many communes; others gather where people live.
        if kind == MakerKind.PUBLIC_BODY:
            return rng.choice(communes)
        return rng.choices(communes, weights=weights)[0]

    def name_for(kind: str, commune: CommuneRef) -> str:
        if kind == MakerKind.DESIGNER:
            return f"{rng.choice(words.FIRST_NAMES)} {rng.choice(words.LAST_NAMES)}"
        if kind == MakerKind.STUDIO:
            return f"{rng.choice(words.STUDIO_PREFIXES)} {rng.choice(words.STUDIO_WORDS)}"
        templates = {
            MakerKind.COMPANY: words.COMPANY_NAMES,
            MakerKind.ASSOCIATION: words.ASSOCIATION_NAMES,
            MakerKind.SCHOOL: words.SCHOOL_NAMES,
            MakerKind.PUBLIC_BODY: words.PUBLIC_BODY_NAMES,
            MakerKind.CULTURAL_VENUE: words.CULTURAL_VENUE_NAMES,
            MakerKind.COLLECTIVE: words.COLLECTIVE_NAMES,
        }[kind]
        return rng.choice(templates).format(
            last=rng.choice(words.LAST_NAMES), of_commune=_of_commune(commune.name)
        )

    for kind, count in MAKER_COUNTS.items():
        made = 0
        while made < count:
            commune = commune_for(kind)
            name = name_for(kind, commune)
            if name in used_names:
                continue
            used_names.add(name)
            pronoun = "elle" if kind == MakerKind.DESIGNER and rng.random() < 0.5 else "il"
            if kind != MakerKind.DESIGNER:
                pronoun = "elle" if kind in (MakerKind.ASSOCIATION, MakerKind.SCHOOL) else "il"
            bio = " ".join(
                [
                    words.BIO_OPENINGS[kind].format(
                        at_commune=_at_commune(commune.name),
                        of_commune=_of_commune(commune.name),
                        pronoun=pronoun,
                        field=rng.choice(words.BIO_FIELDS),
                    ),
                    rng.choice(words.BIO_CLOSINGS).format(pronoun=pronoun),
                ]
            )
            slug = _unique_slug(slugify(name)[:190], used_slugs)
            website = f"https://{slug}.example" if kind in DESIGNER_KINDS + HOLDER_KINDS else ""
            has_logo = kind not in (MakerKind.DESIGNER, MakerKind.COLLECTIVE) and rng.random() < 0.6
            makers.append(MakerPlan(name, slug, kind, bio, website, commune.insee_code, has_logo))
            made += 1
    return makers


def _plan_body(
    rng: random.Random, stage: str, subject: str, public: str, quote_by: str
) -> list[dict]:
    blocks: list[dict] = []
    reached = STAGE_ORDER.index(Stage(stage))
    block_number = 0

    def add(block_type: str, value) -> None:
        nonlocal block_number
        block_number += 1
        blocks.append({"type": block_type, "value": value, "id": _stable_uuid(rng.random())})

    for position, step in enumerate(STAGE_ORDER[: reached + 1]):
        add("heading", words.STEP_HEADINGS[step.value])
        sentences = rng.sample(words.STEP_SENTENCES[step.value], k=rng.randint(2, 3))
        text = " ".join(s.format(subject=subject, public=public) for s in sentences)
        add("paragraph", f"<p>{escape(text)}</p>")
        if position == min(1, reached):
            add("quote", {"text": rng.choice(words.QUOTES), "attribution": quote_by})
    return blocks


def _plan_poc(
    number: int,
    seed: int,
    themes: Sequence[ThemeRef],
    communes: Sequence[CommuneRef],
    commune_order: Sequence[CommuneRef],
    makers_by_kind: dict[str, list[MakerPlan]],
    used_slugs: set[str],
) -> POCPlan:
    rng = random.Random(f"{seed}:poc:{number}")
    # Every sixth POC visits the next commune in a shuffled round, so all 95 communes have
    # POCs; the others follow the population.
    if number % 6 == 0 and number // 6 < len(commune_order):
        commune = commune_order[number // 6]
    else:
        commune = rng.choices(communes, weights=[c.population for c in communes])[0]
    theme_count = rng.choices((1, 2, 3), weights=(55, 35, 10))[0]
    chosen_themes = rng.sample(list(themes), k=theme_count)
    primary = chosen_themes[0]
    subject = rng.choice(
        words.SUBJECTS_BY_THEME.get(primary.slug, words.SUBJECTS_BY_THEME["habiter"])
    )
    opening, join = rng.choice(words.TITLE_OPENINGS)
    phrase = _of(subject) if join == "de" else subject
    title = f"{opening} {phrase} {_at_commune(commune.name)}"
    slug = _unique_slug(slugify(title)[:240], used_slugs)
    stage = rng.choices(list(STAGE_WEIGHTS), weights=list(STAGE_WEIGHTS.values()))[0].value
    year = rng.choices(list(YEAR_WEIGHTS), weights=list(YEAR_WEIGHTS.values()))[0]

    local_bodies = [
        m for m in makers_by_kind[MakerKind.PUBLIC_BODY] if m.commune_insee == commune.insee_code
    ]
    if local_bodies and rng.random() < 0.6:
        holder = rng.choice(local_bodies)
    elif rng.random() < 0.25:
        holder = rng.choice(makers_by_kind[MakerKind.PUBLIC_BODY])
    else:
        holder = rng.choice(makers_by_kind[rng.choice(HOLDER_KINDS)])
    designers = rng.sample(
        makers_by_kind[MakerKind.DESIGNER] + makers_by_kind[MakerKind.STUDIO],
        k=rng.choices((1, 2), weights=(70, 30))[0],
    )
    partner_pool = [
        m
        for kind in (*HOLDER_KINDS, MakerKind.PUBLIC_BODY)
        for m in makers_by_kind[kind]
        if m is not holder
    ]
    partners = rng.sample(partner_pool, k=rng.choices((0, 1, 2), weights=(45, 40, 15))[0])
    makers = (
        (holder.slug, MakerRole.HOLDER.value),
        *((m.slug, MakerRole.DESIGNER.value) for m in designers),
        *((m.slug, MakerRole.PARTNER.value) for m in partners),
    )

    public = rng.choice(words.PUBLICS)
    outcome = rng.choice(words.OUTCOMES)
    summary = (
        f"{holder.name} et {designers[0].name} {rng.choice(words.SUMMARY_VERBS)} {subject} "
        f"avec {public} : {outcome}."
    )
    second = f" Une preuve de concept menée {_at_commune(commune.name)} en {year}."
    if len(summary) + len(second) <= 280:
        summary += second
    if len(summary) > 280:
        summary = summary[:279].rstrip() + "…"
    summary = summary[0].upper() + summary[1:]

    latitude = min(
        max(round(commune.latitude + rng.gauss(0, 0.004), 5), METROPOLE_EXTENT.south),
        METROPOLE_EXTENT.north,
    )
    longitude = min(
        max(round(commune.longitude + rng.gauss(0, 0.006), 5), METROPOLE_EXTENT.west),
        METROPOLE_EXTENT.east,
    )
    address = f"{rng.randint(1, 180)} {rng.choice(words.STREETS)}" if rng.random() < 0.7 else ""
    start, end = YEAR_SPANS[year]
    first_published_at = start + timedelta(
        seconds=rng.randrange(int((end - start).total_seconds()))
    )
    last_published_at = first_published_at + timedelta(days=rng.choice((0, 0, 3, 12, 40)))

    credit = f"{designers[0].name}, {title}, {commune.name}, {year}"
    if number < UNIQUE_PICTURE_LIMIT:
        hero = PicturePlan(
            file_name=f"{IMAGE_FOLDER}/{seed}/poc-{number:05d}.jpg",
            title=title,
            seed=f"{seed}:hero:{number}",
            colour=primary.colour,
            kicker=primary.name,
            caption_text=title,
            footer=f"{commune.name} · {year}",
        )
    else:
        hero = _shared_picture(seed, primary, number % SHARED_PICTURES_PER_THEME)
    gallery = []
    for position in range(rng.choices((0, 1, 2, 3, 4), weights=(15, 20, 30, 20, 15))[0]):
        caption = rng.choice(GALLERY_CAPTIONS)
        if number < UNIQUE_PICTURE_LIMIT:
            picture = PicturePlan(
                file_name=f"{IMAGE_FOLDER}/{seed}/poc-{number:05d}-{position + 1}.jpg",
                title=f"{title} — {caption}",
                seed=f"{seed}:gallery:{number}:{position}",
                colour=chosen_themes[position % len(chosen_themes)].colour,
            )
        else:
            picture = _shared_picture(seed, primary, (number + position + 1) % 8)
        gallery.append(
            GalleryItemPlan(
                picture=picture,
                alt_text=f"{caption} du projet « {title} », {commune.name}",
                caption=caption,
                credit=credit,
            )
        )
    return POCPlan(
        number=number,
        title=title,
        slug=slug,
        summary=summary,
        theme_slugs=tuple(t.slug for t in chosen_themes),
        makers=makers,
        tags=tuple(rng.sample(words.TAGS, k=rng.randint(2, 5))),
        commune_insee=commune.insee_code,
        stage=stage,
        year=year,
        address=address,
        latitude=latitude,
        longitude=longitude,
        body=_plan_body(rng, stage, subject, public, f"{designers[0].name}, designer"),
        hero=hero,
        hero_alt_text=(
            f"Visuel du projet « {title} » : formes géométriques aux couleurs du thème "
            f"{primary.name}, {commune.name}"
        ),
        hero_credit=credit,
        gallery=tuple(gallery),
        contact_email=f"contact+{number}@{holder.slug}.example",
        first_published_at=first_published_at,
        last_published_at=last_published_at,
    )


def _shared_picture(seed: int, theme: ThemeRef, variant: int) -> PicturePlan:
    return PicturePlan(
        file_name=f"{IMAGE_FOLDER}/{seed}/shared-{theme.slug}-{variant}.jpg",
        title=f"{theme.name} — motif {variant + 1}",
        seed=f"{seed}:shared:{theme.slug}:{variant}",
        colour=theme.colour,
        kicker=theme.name,
    )


def plan_catalogue(
    count: int, seed: int, themes: Sequence[ThemeRef], communes: Sequence[CommuneRef]
) -> CataloguePlan:
    """Everything the demo catalogue holds, decided by the seed alone."""
    themes = sorted(themes, key=lambda t: t.slug)
    communes = sorted(communes, key=lambda c: c.insee_code)
    makers = _plan_makers(seed, communes)
    makers_by_kind: dict[str, list[MakerPlan]] = {kind: [] for kind in MakerKind}
    for maker in makers:
        makers_by_kind[maker.kind].append(maker)
    commune_order = list(communes)
    random.Random(f"{seed}:communes").shuffle(commune_order)
    used_slugs: set[str] = set()
    pocs = [
        _plan_poc(number, seed, themes, communes, commune_order, makers_by_kind, used_slugs)
        for number in range(count)
    ]
    featured_rng = random.Random(f"{seed}:featured")
    featured = featured_rng.sample(pocs[: min(count, 60)], k=min(FEATURED_COUNT, count))
    return CataloguePlan(
        makers=makers,
        tags=list(words.TAGS),
        pocs=pocs,
        featured_slugs=[p.slug for p in featured],
    )


# --- Loading: write what is missing ----------------------------------------------------------


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
        [ThemeRef(t.slug, t.name, t.colour) for t in themes],
        [CommuneRef(c.insee_code, c.name, c.latitude, c.longitude, c.population) for c in communes],
    )
    catalogue = CatalogueIndexPage.objects.get()
    existing_slugs = set(Page.objects.child_of(catalogue).values_list("slug", flat=True))
    missing = [p for p in plan.pocs if p.slug not in existing_slugs]
    report.pocs_existing = len(plan.pocs) - len(missing)

    collection_id = Collection.get_first_root_node().pk
    with transaction.atomic():
        maker_ids, report.makers_created, logos = _ensure_makers(
            plan.makers, communes, collection_id, seed
        )
        report.images_created += logos
        tag_ids, report.tags_created = _ensure_tags(plan.tags)

    lookups = _Lookups(
        themes={t.slug: t.pk for t in themes},
        communes={c.insee_code: c.pk for c in communes},
        makers=maker_ids,
        tags=tag_ids,
        content_type_id=ContentType.objects.get_for_model(POCPage).pk,
        collection_id=collection_id,
    )
    done = 0
    created_ids: list[int] = []
    if progress:
        progress(done, len(missing))
    for start in range(0, len(missing), BATCH_SIZE):
        batch = missing[start : start + BATCH_SIZE]
        with transaction.atomic():
            image_ids, created = _ensure_pictures(batch, lookups.collection_id)
            report.images_created += created
            created_ids += _insert_pocs(batch, catalogue.pk, lookups, image_ids)
        done += len(batch)
        report.pocs_created += len(batch)
        if progress:
            progress(done, len(missing))

    report.featured = _feature_on_home(plan.featured_slugs, catalogue)
    if created_ids:
        pocs_bulk_published.send(sender=POCPage, page_ids=created_ids)
    return report


@dataclass(frozen=True)
class _Lookups:
    themes: dict[str, int]
    communes: dict[str, int]
    makers: dict[str, int]
    tags: dict[str, int]
    content_type_id: int
    collection_id: int


def _ensure_makers(
    plans: list[MakerPlan], communes: list[Commune], collection_id: int, seed: int
) -> tuple[dict[str, int], int, int]:
    """Maker ids by slug, creating the missing makers and their logos; counts what it made."""
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
            website=m.website,
            commune_id=commune_ids.get(m.commune_insee),
            logo_id=logo_ids.get(m.logo_file_name),
            is_public=True,
        )
        for m in missing
    ]
    Maker.objects.bulk_create(new, batch_size=BATCH_SIZE)
    _index_for_search(Maker, Maker.objects.filter(slug__in=[m.slug for m in new]))
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
    _index_for_search(Image, images)
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
    _index_for_search(Image, new_images)
    ids.update(Image.objects.filter(file__in=list(wanted)).values_list("file", "pk"))
    return ids, len(new_images)


def _insert_pocs(
    batch: list[POCPlan], catalogue_id: int, lookups: _Lookups, image_ids: dict[str, int]
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
                translation_key=_stable_uuid("page", plan.slug),
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
    _index_for_search(POCPage, new_pages)
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


def _index_for_search(model, objects) -> None:
    """Add new objects to Wagtail's own search index (the admin's search), which signals skip."""
    objects = list(objects)
    if not objects:
        return
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(model, objects)


def _feature_on_home(featured_slugs: list[str], catalogue: CatalogueIndexPage) -> int:
    home = HomePage.objects.first()
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
