"""A visitor's query string as a `SearchRequest`: every parameter checked before a backend sees it.

The API refuses what it cannot answer (400, naming the parameter); a page drops it and says so.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _

from poc_catalogue.geography import Extent, Point
from poc_catalogue.limits import (
    MAX_PAGE,
    MAX_QUERY_LENGTH,
    MAX_VALUE_LENGTH,
    MAX_VALUES_PER_FACET,
)
from poc_catalogue.translations import active_language

from .types import FACETS, SORTS, InvalidSearchRequest, SearchRequest

# Control characters (NUL above all, which PostgreSQL refuses in text) are never meant.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
_PAGE = re.compile(r"[0-9]{1,6}")
_YEAR = re.compile(r"[0-9]{4}")


def parse_search_request(params: Mapping[str, Any]) -> SearchRequest:
    """A `SearchRequest` from query parameters (a QueryDict, or a dict of lists or strings).

    Raises `InvalidSearchRequest` for the first parameter that cannot be answered.
    """

    def values(name: str) -> list[str]:
        if hasattr(params, "getlist"):
            raw = params.getlist(name)
        else:
            raw = params.get(name, [])
            raw = [raw] if isinstance(raw, str) else list(raw)
        cleaned = (_CONTROL_CHARACTERS.sub("", str(value)).strip() for value in raw)
        return [value for value in cleaned if value]

    def single(name: str) -> str:
        found = values(name)
        return found[-1] if found else ""

    q = " ".join(single("q").split())
    if len(q) > MAX_QUERY_LENGTH:
        raise InvalidSearchRequest(
            _("The search text is too long: at most %(max)d characters.")
            % {"max": MAX_QUERY_LENGTH},
            "q",
        )
    bbox = parse_area(single("bbox"), "bbox") if single("bbox") else None
    near = parse_point(single("near")) if single("near") else None
    sort = single("sort") or "relevance"
    if sort not in SORTS:
        raise InvalidSearchRequest(
            _("Unknown sort order “%(sort)s”: use one of %(sorts)s.")
            % {"sort": sort[:40], "sorts": ", ".join(SORTS)},
            "sort",
        )
    if sort == "distance" and near is None:
        raise InvalidSearchRequest(
            _("Sorting by distance needs a point to measure from: near=latitude,longitude."),
            "sort",
        )
    raw_page = single("page") or "1"
    if not _PAGE.fullmatch(raw_page) or int(raw_page) < 1:
        raise InvalidSearchRequest(_("The page must be a whole number from 1."), "page")
    page = int(raw_page)
    if page > MAX_PAGE:
        raise InvalidSearchRequest(
            _("The page must be at most %(max)d; narrow the search instead.") % {"max": MAX_PAGE},
            "page",
        )
    filters: dict[str, tuple[str, ...]] = {}
    for facet in FACETS:
        selected = tuple(dict.fromkeys(values(facet)))
        if len(selected) > MAX_VALUES_PER_FACET:
            raise InvalidSearchRequest(
                _("Too many values for %(facet)s: at most %(max)d.")
                % {"facet": facet, "max": MAX_VALUES_PER_FACET},
                facet,
            )
        if any(len(value) > MAX_VALUE_LENGTH for value in selected):
            raise InvalidSearchRequest(
                _("A value for %(facet)s is too long: at most %(max)d characters.")
                % {"facet": facet, "max": MAX_VALUE_LENGTH},
                facet,
            )
        if facet == "year" and not all(_YEAR.fullmatch(value) for value in selected):
            raise InvalidSearchRequest(
                _("A year is written with four digits, for example 2020."), "year"
            )
        filters[facet] = selected
    return SearchRequest(
        q=q, bbox=bbox, near=near, sort=sort, page=page, language=active_language(), **filters
    )


def _numbers(raw: str, count: int) -> list[float] | None:
    """`count` finite numbers separated by commas, or None."""
    parts = raw.split(",")
    if len(parts) != count:
        return None
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        return None
    return numbers if all(math.isfinite(number) for number in numbers) else None


def parse_area(raw: str, field: str) -> Extent:
    """An area written `minLon,minLat,maxLon,maxLat` (degrees, GeoJSON's `bbox` order).

    One that crosses the antimeridian (west past east) is refused: the Métropole is far from it.
    """
    numbers = _numbers(raw, 4)
    if numbers is not None:
        west, south, east, north = numbers
        if -180 <= west <= east <= 180 and -90 <= south <= north <= 90:
            return Extent(south=south, west=west, north=north, east=east)
    raise InvalidSearchRequest(
        _(
            "An area is four numbers: minimum longitude, minimum latitude, maximum longitude, "
            "maximum latitude, for example 3.0,50.6,3.1,50.7."
        ),
        field,
    )


def parse_point(raw: str) -> Point:
    """A point written `lat,lon` (degrees)."""
    numbers = _numbers(raw, 2)
    if numbers is not None:
        lat, lon = numbers
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            return Point(lat, lon)
    raise InvalidSearchRequest(
        _("A point is a latitude and a longitude, for example near=50.63,3.06."), "near"
    )


def parse_search_request_leniently(
    params: QueryDict,
) -> tuple[SearchRequest, list[InvalidSearchRequest]]:
    """What a page shows for any URL: the request without the parameters it cannot answer,
    and why each was dropped."""
    params = params.copy()
    dropped: list[InvalidSearchRequest] = []
    while True:
        try:
            return parse_search_request(params), dropped
        except InvalidSearchRequest as error:
            if error.field not in params:
                raise
            dropped.append(error)
            params.pop(error.field)


def clean_text(text: str) -> str:
    """Typed text without control characters, trimmed to what a search may hold."""
    return _CONTROL_CHARACTERS.sub("", text).strip()[:MAX_QUERY_LENGTH]
