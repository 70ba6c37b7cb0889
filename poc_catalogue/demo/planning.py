"""Planning the demo catalogue: pure functions of the seed, no database.

POC number n always gets the same title, slug and pictures for a given seed, whatever the
count, so loading 12 then 600 adds the 588 others.

English texts come from `words_en`, at the index of the French words drawn: they take no draw
of their own, so adding them left the French plan as it was.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import timedelta
from typing import NamedTuple

from django.utils.html import escape

from ..geography import METROPOLE_EXTENT
from ..limits import MAX_SUMMARY_LENGTH
from ..models import MakerKind, MakerRole, Stage
from ..slugs import free_slug, slug_base
from . import words, words_en
from .plans import (
    DESIGNER_KINDS,
    ENGLISH_EVERY,
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
    EnglishGalleryText,
    EnglishPOCText,
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


class Wording(NamedTuple):
    fr: str
    en: str


def _pick(rng: random.Random, french: Sequence, english: Sequence) -> Wording:
    """The draw `rng.choice(french)` makes, with its English counterpart."""
    index = rng.choice(range(len(french)))
    return Wording(french[index], english[index])


def _fit_summary(summary: str, place: str) -> str:
    """`summary`, then `place` if both fit on a card, cut to the card's length at most."""
    if len(summary) + len(place) <= MAX_SUMMARY_LENGTH:
        summary += place
    if len(summary) > MAX_SUMMARY_LENGTH:
        summary = summary[: MAX_SUMMARY_LENGTH - 1].rstrip() + "…"
    return summary[0].upper() + summary[1:]


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
            field = _pick(rng, words.BIO_FIELDS, words_en.BIO_FIELDS)
            closing = _pick(rng, words.BIO_CLOSINGS, words_en.BIO_CLOSINGS)
            bio = " ".join(
                [
                    words.BIO_OPENINGS[kind].format(
                        at_commune=_at_commune(commune.name),
                        of_commune=_of_commune(commune.name),
                        pronoun=pronoun,
                        field=field.fr,
                    ),
                    closing.fr.format(pronoun=pronoun),
                ]
            )
            pronoun_en = (
                words_en.BIO_PRONOUNS[pronoun]
                if kind == MakerKind.DESIGNER
                else words_en.ORGANISATION_PRONOUN
            )
            bio_en = " ".join(
                [
                    words_en.BIO_OPENINGS[kind].format(commune=commune.name, field=field.en),
                    closing.en.format(pronoun=pronoun_en),
                ]
            )
            slug = _unique_slug(name, 190, used_slugs)
            website = f"https://{slug}.example" if kind in DESIGNER_KINDS + HOLDER_KINDS else ""
            has_logo = kind not in (MakerKind.DESIGNER, MakerKind.COLLECTIVE) and rng.random() < 0.6
            makers.append(
                MakerPlan(name, slug, kind, bio, website, commune.insee_code, has_logo, bio_en)
            )
            made += 1
    return makers


def _plan_body(
    rng: random.Random, stage: str, subject: Wording, public: Wording, designer: str
) -> tuple[list[dict], list[dict]]:
    """The French body and its English translation, block for block with the same ids."""
    french: list[dict] = []
    english: list[dict] = []
    reached = STAGE_ORDER.index(Stage(stage))

    def add(block_type: str, value, value_en) -> None:
        block_id = stable_uuid(rng.random())
        french.append({"type": block_type, "value": value, "id": block_id})
        english.append({"type": block_type, "value": value_en, "id": block_id})

    def paragraph(sentences: list[str], indices: list[int], subject: str, public: str) -> str:
        text = " ".join(sentences[i].format(subject=subject, public=public) for i in indices)
        return f"<p>{escape(text)}</p>"

    for position, step in enumerate(STAGE_ORDER[: reached + 1]):
        add("heading", words.STEP_HEADINGS[step.value], words_en.STEP_HEADINGS[step.value])
        sentences = words.STEP_SENTENCES[step.value]
        # The same draws as sampling the sentences themselves, kept as indices.
        indices = rng.sample(range(len(sentences)), k=rng.randint(2, 3))
        add(
            "paragraph",
            paragraph(sentences, indices, subject.fr, public.fr),
            paragraph(words_en.STEP_SENTENCES[step.value], indices, subject.en, public.en),
        )
        if position == min(1, reached):
            quote = _pick(rng, words.QUOTES, words_en.QUOTES)
            add(
                "quote",
                {"text": quote.fr, "attribution": f"{designer}, designer"},
                {"text": quote.en, "attribution": words_en.QUOTE_BY.format(designer=designer)},
            )
    return french, english


def _plan_poc(
    number: int,
    seed: int,
    themes: Sequence[ThemeRef],
    communes: Sequence[CommuneRef],
    commune_order: Sequence[CommuneRef],
    makers_by_kind: dict[str, list[MakerPlan]],
    used_slugs: set[str],
    used_english_slugs: set[str],
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
    subject_key = primary.slug if primary.slug in words.SUBJECTS_BY_THEME else "habiter"
    subject = _pick(
        rng, words.SUBJECTS_BY_THEME[subject_key], words_en.SUBJECTS_BY_THEME[subject_key]
    )
    opening_index = rng.choice(range(len(words.TITLE_OPENINGS)))
    opening, join = words.TITLE_OPENINGS[opening_index]
    phrase = _of(subject.fr) if join == "de" else subject.fr
    title = f"{opening} {phrase} {_at_commune(commune.name)}"
    title_en = words_en.TITLE_PLACE.format(
        title=words_en.TITLE_TEMPLATES[opening_index].format(subject=subject.en),
        commune=commune.name,
    )
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

    public = _pick(rng, words.PUBLICS, words_en.PUBLICS)
    outcome = _pick(rng, words.OUTCOMES, words_en.OUTCOMES)
    verb = _pick(rng, words.SUMMARY_VERBS, words_en.SUMMARY_VERBS)
    summary = _fit_summary(
        f"{holder.name} et {designers[0].name} {verb.fr} {subject.fr} "
        f"avec {public.fr} : {outcome.fr}.",
        f" Une preuve de concept menée {_at_commune(commune.name)} en {year}.",
    )
    summary_en = _fit_summary(
        words_en.SUMMARY.format(
            holder=holder.name,
            designer=designers[0].name,
            verb=verb.en,
            subject=subject.en,
            public=public.en,
            outcome=outcome.en,
        ),
        words_en.SUMMARY_PLACE.format(commune=commune.name, year=year),
    )

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
    credit_en = words_en.CREDIT.format(
        designer=designers[0].name, title=title_en, commune=commune.name, year=year
    )
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
    gallery_en = []
    for position in range(rng.choices((0, 1, 2, 3, 4), weights=(15, 20, 30, 20, 15))[0]):
        captions = _pick(rng, GALLERY_CAPTIONS, words_en.GALLERY_CAPTIONS)
        caption = captions.fr
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
        gallery_en.append(
            EnglishGalleryText(
                alt_text=words_en.GALLERY_ALT_TEXT.format(
                    caption=captions.en, title=title_en, commune=commune.name
                ),
                caption=captions.en,
                credit=credit_en,
            )
        )
    # The tags, then the body: the order these draws were always made in.
    tags = tuple(rng.sample(words.TAGS, k=rng.randint(2, 5)))
    body, body_en = _plan_body(rng, stage, subject, public, designers[0].name)
    english = None
    if number % ENGLISH_EVERY == 0:
        english = EnglishPOCText(
            title=title_en,
            slug=_unique_slug(title_en, 240, used_english_slugs),
            summary=summary_en,
            body=body_en,
            hero_alt_text=words_en.HERO_ALT_TEXT.format(
                title=title_en, theme=primary.name_en or primary.name, commune=commune.name
            ),
            hero_credit=credit_en,
            gallery=tuple(gallery_en),
        )
    return POCPlan(
        number=number,
        title=title,
        slug=slug,
        summary=summary,
        theme_slugs=tuple(t.slug for t in chosen_themes),
        makers=makers,
        tags=tags,
        commune_insee=commune.insee_code,
        stage=stage,
        year=year,
        address=address,
        latitude=latitude,
        longitude=longitude,
        body=body,
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
        english=english,
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
    used_english_slugs: set[str] = set()
    pocs = [
        _plan_poc(
            number,
            seed,
            themes,
            communes,
            commune_order,
            makers_by_kind,
            used_slugs,
            used_english_slugs,
        )
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
