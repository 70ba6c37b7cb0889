"""Planning the demo catalogue: pure functions of the seed, no database.

POC number n always gets the same title, slug and pictures for a given seed, whatever the
count, so loading 12 then 600 adds the 588 others.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import timedelta

from django.utils.html import escape

from ..geography import METROPOLE_EXTENT
from ..limits import MAX_SUMMARY_LENGTH
from ..models import MakerKind, MakerRole, Stage
from ..slugs import free_slug, slug_base
from . import words
from .plans import (
    DESIGNER_KINDS,
    FEATURED_COUNT,
    GALLERY_CAPTIONS,
    HOLDER_KINDS,
    IMAGE_FOLDER,
    MAKER_COUNTS,
    SHARED_PICTURES_PER_THEME,
    STAGE_ORDER,
    STAGE_WEIGHTS,
    UNIQUE_PICTURE_LIMIT,
    YEAR_SPANS,
    YEAR_WEIGHTS,
    CataloguePlan,
    CommuneRef,
    GalleryItemPlan,
    MakerPlan,
    PicturePlan,
    POCPlan,
    ThemeRef,
    stable_uuid,
)


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


def _unique_slug(name: str, max_length: int, used: set[str]) -> str:
    slug = free_slug(slug_base(name, max_length, "poc"), used)
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
            slug = _unique_slug(name, 190, used_slugs)
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
        blocks.append({"type": block_type, "value": value, "id": stable_uuid(rng.random())})

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
    slug = _unique_slug(title, 240, used_slugs)
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
    if len(summary) + len(second) <= MAX_SUMMARY_LENGTH:
        summary += second
    if len(summary) > MAX_SUMMARY_LENGTH:
        summary = summary[: MAX_SUMMARY_LENGTH - 1].rstrip() + "…"
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
