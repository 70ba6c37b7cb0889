"""What a POC page shows besides its own fields: its stage, its position, related POCs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings

from search.catalogue import related_pocs

from .models import Stage

if TYPE_CHECKING:
    from .models import POCPage

RELATED_COUNT = 4


def stage_steps(current: str) -> list[dict]:
    """The four WDC steps, marking those the POC has reached."""
    values = list(Stage.values)
    reached = values.index(current) if current in values else -1
    return [
        {"value": value, "label": label, "reached": index <= reached, "current": index == reached}
        for index, (value, label) in enumerate(Stage.choices)
    ]


def poc_context(poc: POCPage, *, with_related: bool = True) -> dict:
    location = poc.location
    return {
        "stages": stage_steps(poc.stage),
        "related": related_pocs(poc, limit=RELATED_COUNT) if with_related and poc.pk else [],
        "map_point": {"lat": location[0], "lon": location[1]} if location else None,
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
