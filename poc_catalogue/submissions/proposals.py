"""What a valid submission form hands over to the intake: plain values, already cleaned."""

from __future__ import annotations

from dataclasses import dataclass, field

from poc_catalogue.models import Commune, Maker, Theme

from .uploads import CleanImage


@dataclass(frozen=True)
class ProposedImage:
    image: CleanImage
    alt_text: str
    credit: str


@dataclass(frozen=True)
class NewMaker:
    name: str
    kind: str
    website: str = ""


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    phone: str = ""


@dataclass(frozen=True)
class Proposal:
    title: str
    summary: str
    description: str
    themes: list[Theme]
    stage: str
    year: int
    commune: Commune
    images: list[ProposedImage]
    contact: Contact
    existing_maker: Maker | None = None
    new_maker: NewMaker | None = None
    address: str = ""
    tags: list[str] = field(default_factory=list)
    video_url: str = ""


@dataclass(frozen=True)
class DraftImage:
    """An image the draft already holds, kept by the maker, maybe with new words."""

    image_id: int
    alt_text: str
    credit: str


@dataclass(frozen=True)
class ProposalRevision:
    """What a maker changed when a moderator asked: the project, and its images in order."""

    title: str
    summary: str
    description: str
    themes: list[Theme]
    stage: str
    year: int
    commune: Commune
    images: list[DraftImage | ProposedImage]
    address: str = ""
    tags: list[str] = field(default_factory=list)
    video_url: str = ""
