"""POC cards: what a listing shows of a POC, whether it came from search or the database.

Search hits already carry card data; POC pages listed by theme, commune or maker are turned
into the same shape so one card template serves every listing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .images import CARD_THUMBNAIL, rendition_url
from .models import POCPage


@dataclass(frozen=True)
class POCCard:
    title: str
    url: str
    summary: str
    thumbnail: str | None
    themes: list[dict]
    makers: list[dict]
    commune: dict
    stage: dict
    year: int
    location: dict | None = None
    highlight: dict = field(default_factory=dict)


def card_for(poc: POCPage) -> POCCard:
    """Expects the relations `published_pocs()` prefetches."""
    thumbnail = rendition_url(poc.hero_image, CARD_THUMBNAIL)
    location = poc.location
    return POCCard(
        title=poc.title,
        url=poc.url,
        summary=poc.summary,
        thumbnail=thumbnail,
        themes=[{"slug": t.slug, "label": t.label, "colour": t.colour} for t in poc.themes.all()],
        makers=[
            {"slug": role.maker.slug, "label": role.maker.name} for role in poc.poc_makers.all()
        ],
        commune={"slug": poc.commune.slug, "label": poc.commune.name},
        stage={"value": poc.stage, "label": poc.get_stage_display()},
        year=poc.year,
        location={"lat": location[0], "lon": location[1]} if location else None,
    )


def cards_for(pocs: Iterable[POCPage]) -> list[POCCard]:
    return [card_for(poc) for poc in pocs]
