"""What a POC page shows besides its own fields, fetched in a fixed number of queries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings

from .models import POCGalleryImage, POCMaker, Stage

try:
    from search.catalogue import related_pocs
except ImportError:  # until the search branch lands
    from .interim_search import related_pocs

if TYPE_CHECKING:
    from .models import POCPage

RELATED_COUNT = 4


def poc_context(poc: POCPage) -> dict:
    location = poc.location
    stage_values = list(Stage.values)
    reached = stage_values.index(poc.stage) if poc.stage in stage_values else -1
    return {
        "stages": [
            {
                "value": value,
                "label": label,
                "reached": index <= reached,
                "current": index == reached,
            }
            for index, (value, label) in enumerate(Stage.choices)
        ],
        "poc_makers": list(
            POCMaker.objects.filter(page=poc).select_related("maker").order_by("sort_order")
        ),
        "gallery": list(
            POCGalleryImage.objects.filter(page=poc)
            .select_related("image")
            .prefetch_related("image__renditions")
            .order_by("sort_order")
        ),
        "themes": list(poc.themes.all()),
        "tags": list(poc.tags.all()),
        "related": related_pocs(poc, limit=RELATED_COUNT) if poc.pk else [],
        "map_point": {"lat": location[0], "lon": location[1], "title": poc.title}
        if location
        else None,
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
