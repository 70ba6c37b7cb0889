"""Map clusters: the matching POCs counted per map tile, for catalogues too big for a marker each.

Both backends cut the world the way Elasticsearch's `geotile_grid` does: Web Mercator tiles
(the map's own), `CELL_ZOOM_OFFSET` levels finer than the map's zoom so a cell spans about
64 pixels on screen, and only the tiles meeting the visible area, so the answer stays a few
hundred cells at any zoom. Elasticsearch adds a `geo_centroid` per tile; the database reads
each matching POC's position (`poc_location`, the one rule) and averages per tile here.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext_lazy

from poc_catalogue.geography import poc_location

from .parameters import AREA, Parameter, parse_parameters
from .types import MapArea, MapCell

MAX_MAP_ZOOM = 18
# Four cells per 256-pixel tile side: clusters about 64 pixels apart.
CELL_ZOOM_OFFSET = 2
# Web Mercator stops here; Elasticsearch clamps latitudes to it too.
MAX_LATITUDE = 85.0511287798066
# More tiles than a screen shows at any zoom, fewer than Elasticsearch's bucket limit.
MAX_CELLS = 5000
# A POC's own position and its commune's centre, as `poc_location` takes them.
Row = tuple[float | None, float | None, float | None, float | None]


def precision(zoom: int) -> int:
    return zoom + CELL_ZOOM_OFFSET


def tile_x(lon: float, tiles: int) -> int:
    return min(tiles - 1, max(0, math.floor((lon + 180.0) / 360.0 * tiles)))


def tile_y(lat: float, tiles: int) -> int:
    lat = min(MAX_LATITUDE, max(-MAX_LATITUDE, lat))
    sine = math.sin(math.radians(lat))
    y = (0.5 - math.log((1.0 + sine) / (1.0 - sine)) / (4.0 * math.pi)) * tiles
    return min(tiles - 1, max(0, math.floor(y)))


def tile_area(zoom: int, x: int, y: int) -> MapArea:
    tiles = 2**zoom

    def latitude(row: int) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * row / tiles))))

    return MapArea(
        south=latitude(y + 1),
        west=x / tiles * 360.0 - 180.0,
        north=latitude(y),
        east=(x + 1) / tiles * 360.0 - 180.0,
    )


ZOOM = Parameter(
    "zoom",
    gettext_lazy("The map's zoom level."),
    required=True,
    type="integer",
    minimum=0,
    maximum=MAX_MAP_ZOOM,
    read=int,
    pattern="[0-9]{1,2}",
    invalid=gettext_lazy("The zoom must be a whole number from 0 to %(max)d."),
)
VISIBLE = dataclasses.replace(
    AREA,
    name="visible",
    description=gettext_lazy(
        "The map's visible area, written as bbox is: minLon,minLat,maxLon,maxLat in degrees."
    ),
    required=True,
    example="2.76,50.46,3.29,50.83",
)
MAP_VIEW_PARAMETERS: tuple[Parameter, ...] = (ZOOM, VISIBLE)


def parse_map_view(params: Mapping[str, Any]) -> tuple[int, MapArea]:
    """The map's zoom and visible area from `zoom` and `visible`, an area written as the
    search's `bbox` is (minLon,minLat,maxLon,maxLat); `bbox` stays the search's filter."""
    view = parse_parameters(params, MAP_VIEW_PARAMETERS)
    visible = view["visible"]
    return view["zoom"], MapArea(visible.south, visible.west, visible.north, visible.east)


def grid_request_body(search_body: dict[str, Any], zoom: int, area: MapArea) -> dict[str, Any]:
    """The catalogue request's query and filters, counted per tile instead of listed."""
    filters = [search_body.get("query", {"match_all": {}})]
    if "post_filter" in search_body:
        filters.append(search_body["post_filter"])
    return {
        "size": 0,
        "track_total_hits": False,
        "query": {"bool": {"filter": filters}},
        "aggs": {
            "cells": {
                "geotile_grid": {
                    "field": "location",
                    "precision": precision(zoom),
                    "size": MAX_CELLS,
                    "bounds": {
                        "top_left": {"lat": area.north, "lon": area.west},
                        "bottom_right": {"lat": area.south, "lon": area.east},
                    },
                },
                "aggs": {"centre": {"geo_centroid": {"field": "location"}}},
            }
        },
    }


def _cell(key: str, lat: float, lon: float, count: int) -> MapCell:
    zoom, x, y = (int(part) for part in key.split("/"))
    return MapCell(key, lat, lon, count, tile_area(zoom, x, y))


def cells_from_response(response: dict[str, Any]) -> list[MapCell]:
    cells = [
        _cell(
            bucket["key"],
            bucket["centre"]["location"]["lat"],
            bucket["centre"]["location"]["lon"],
            bucket["doc_count"],
        )
        for bucket in response["aggregations"]["cells"]["buckets"]
    ]
    return sorted(cells, key=lambda cell: cell.key)


def count_cells(rows: Iterable[Row], zoom: int, area: MapArea) -> list[MapCell]:
    """The database's grid: rows of (latitude, longitude, commune latitude, commune
    longitude), each placed by `poc_location`, counted and averaged per tile meeting `area`."""
    level = precision(zoom)
    tiles = 2**level
    columns = range(tile_x(area.west, tiles), tile_x(area.east, tiles) + 1)
    lines = range(tile_y(area.north, tiles), tile_y(area.south, tiles) + 1)
    sums: dict[tuple[int, int], list[float]] = {}
    for row in rows:
        location = poc_location(*row)
        if location is None:
            continue
        x, y = tile_x(location.lon, tiles), tile_y(location.lat, tiles)
        if x not in columns or y not in lines:
            continue
        total = sums.setdefault((x, y), [0.0, 0.0, 0])
        total[0] += location.lat
        total[1] += location.lon
        total[2] += 1
    cells = [
        _cell(f"{level}/{x}/{y}", lat / count, lon / count, int(count))
        for (x, y), (lat, lon, count) in sums.items()
    ]
    # Elasticsearch keeps the fullest cells when there are more than it may return.
    fullest = sorted(cells, key=lambda cell: (-cell.count, cell.key))[:MAX_CELLS]
    return sorted(fullest, key=lambda cell: cell.key)
