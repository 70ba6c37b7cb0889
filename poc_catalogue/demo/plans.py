"""The demo catalogue's plan: what it holds, as plain values decided by the seed alone."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from ..models import MakerKind, Stage

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
# Every POC whose number is even also gets an English text: half the catalogue, and the same
# POCs whatever the count.
ENGLISH_EVERY = 2
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
    name_en: str = ""


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
    bio_en: str = ""

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
class EnglishGalleryText:
    """The English of the `GalleryItemPlan` at the same position."""

    alt_text: str
    caption: str
    credit: str


@dataclass(frozen=True)
class EnglishPOCText:
    """A POC's English translation.

    `body` has the French body's blocks in the same order with the same ids, so a translation
    maps block to block; `slug` is unique among the English slugs.
    """

    title: str
    slug: str
    summary: str
    body: list[dict]
    hero_alt_text: str
    hero_credit: str
    gallery: tuple[EnglishGalleryText, ...]


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
    english: EnglishPOCText | None = None
    # For a translation's plan (`in_english()`): the slug of the French POC it translates.
    translation_of: str = ""

    def in_english(self) -> POCPlan:
        """This POC's English translation as a plan of its own: the same POC (themes,
        makers, place, pictures) with the English text, for the English catalogue."""
        english = self.english
        if english is None:
            raise ValueError(f"POC {self.slug} has no English text in the plan.")
        gallery = tuple(
            replace(item, alt_text=text.alt_text, caption=text.caption, credit=text.credit)
            for item, text in zip(self.gallery, english.gallery, strict=True)
        )
        return replace(
            self,
            title=english.title,
            slug=english.slug,
            summary=english.summary,
            body=english.body,
            hero_alt_text=english.hero_alt_text,
            hero_credit=english.hero_credit,
            gallery=gallery,
            english=None,
            translation_of=self.slug,
        )


@dataclass
class CataloguePlan:
    makers: list[MakerPlan]
    tags: list[str]
    pocs: list[POCPlan]
    featured_slugs: list[str]


def stable_uuid(*parts: object) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "poc-showcase-demo:" + ":".join(map(str, parts))))
