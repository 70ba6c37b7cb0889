"""A visitor's query string as a `SearchRequest`: every parameter checked before a backend sees it.

The parameters are declared once, in `SEARCH_PARAMETERS` and `EXPORT_PARAMETERS`: each
`Parameter` says its name, its description, its bounds and how its value is read. The same
entries validate the requests here and describe them in the OpenAPI document
(`search.openapi`), so the published description cannot drift from what is accepted. A new
parameter is one entry (and a `SearchRequest` field of the same name).

The API refuses what it cannot answer (400, naming the parameter); a page drops it and says so.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import QueryDict
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from poc_catalogue.geography import Extent, Point
from poc_catalogue.limits import (
    MAX_PAGE,
    MAX_QUERY_LENGTH,
    MAX_SELECTION_SIZE,
    MAX_VALUE_LENGTH,
    MAX_VALUES_PER_FACET,
)
from poc_catalogue.translations import active_language

from .types import SORTS, InvalidSearchRequest, SearchRequest

# Control characters (NUL above all, which PostgreSQL refuses in text) are never meant.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def _whole_number(raw: str) -> int:
    if not re.fullmatch(r"[0-9]{1,10}", raw):
        raise ValueError(raw)
    return int(raw)


# A decimal number as maps, phones and Python's str() write coordinates (no exponent, up to
# 17 decimals); the bounds are checked once read.
_NUMBER = r"-?[0-9]{1,3}(\.[0-9]{1,17})?"


def _numbers(raw: str, count: int) -> list[float]:
    numbers = [float(part) for part in raw.split(",")]
    if len(numbers) != count or not all(math.isfinite(number) for number in numbers):
        raise ValueError(raw)
    return numbers


def _area(raw: str) -> Extent:
    """`minLon,minLat,maxLon,maxLat` (GeoJSON's `bbox` order). One that crosses the
    antimeridian (west past east) is refused: the Métropole is far from it."""
    west, south, east, north = _numbers(raw, 4)
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise ValueError(raw)
    return Extent(south=south, west=west, north=north, east=east)


def _point(raw: str) -> Point:
    lat, lon = _numbers(raw, 2)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(raw)
    return Point(lat, lon)


@dataclass(frozen=True)
class Parameter:
    """One query parameter: what it means, what it accepts, and how it is read.

    `repeated` parameters select several values (`theme=a&theme=b`); the others keep their
    last value. `read` turns one cleaned value into what `SearchRequest` holds (a `ValueError`
    refuses it with `invalid`). The bounds (`max_length`, `choices`, `pattern`, `minimum`,
    `maximum`, `max_items`) are checked here and published in the schema.
    """

    name: str
    description: Promise
    repeated: bool = False
    required: bool = False
    type: str = "string"
    default: Any = None
    choices: tuple[str, ...] = ()
    pattern: str = ""
    max_length: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    max_items: int | None = None
    read: Callable[[str], Any] = str
    invalid: Promise | None = None
    too_long: Promise | None = None
    too_many: Promise | None = None
    out_of_range: Promise | None = None
    # Per item for repeated parameters, in the description's schema.
    example: Any = None

    def parse(self, values: list[str]) -> Any:
        """The value `SearchRequest` holds for these cleaned values of the parameter."""
        if self.repeated:
            selected = tuple(dict.fromkeys(values))
            if self.max_items is not None and len(selected) > self.max_items:
                raise self.refusal(self.too_many, max=self.max_items)
            return tuple(self.one(value) for value in selected)
        if not values:
            if self.required:
                raise self.refusal(self.invalid)
            return self.default
        return self.one(values[-1])

    def one(self, raw: str) -> Any:
        if self.max_length is not None and len(raw) > self.max_length:
            raise self.refusal(self.too_long, max=self.max_length)
        if self.choices and raw not in self.choices:
            raise self.refusal(self.invalid, value=raw[:40], choices=", ".join(self.choices))
        if self.pattern and not re.fullmatch(self.pattern, raw):
            raise self.refusal(self.invalid)
        try:
            value = self.read(raw)
        except ValueError:
            raise self.refusal(self.invalid) from None
        if self.minimum is not None and value < self.minimum:
            raise self.refusal(self.invalid)
        if self.maximum is not None and value > self.maximum:
            raise self.refusal(self.out_of_range or self.invalid, max=self.maximum)
        return value

    def refusal(
        self, message: Promise | None, value: str = "", choices: str = "", max: int | None = None
    ) -> InvalidSearchRequest:
        """The refusal naming this parameter; messages name it `name` or `facet`, the value
        `value` or `sort`, the accepted ones `choices` or `sorts`."""
        text = str(message or _("Invalid value for %(name)s.")) % {
            "name": self.name,
            "facet": self.name,
            "value": value,
            "sort": value,
            "choices": choices,
            "sorts": choices,
            "max": self.maximum if max is None else max,
        }
        return InvalidSearchRequest(text, self.name)

    def value_schema(self) -> dict[str, Any]:
        """The JSON Schema of one value, from the same bounds `one()` checks."""
        schema: dict[str, Any] = {"type": self.type}
        if self.choices:
            schema["enum"] = list(self.choices)
        if self.pattern:
            schema["pattern"] = f"^{self.pattern}$"
        if self.max_length is not None:
            schema["maxLength"] = self.max_length
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        if self.example is not None:
            schema["examples"] = [self.example]
        return schema

    def schema(self) -> dict[str, Any]:
        if not self.repeated:
            default = {} if self.default in (None, "") else {"default": self.default}
            return {**self.value_schema(), **default}
        schema: dict[str, Any] = {"type": "array", "items": self.value_schema()}
        if self.max_items is not None:
            schema["maxItems"] = self.max_items
        return schema


def _facet(name: str, description: Promise, **bounds: Any) -> Parameter:
    return Parameter(
        name,
        description,
        repeated=True,
        max_length=MAX_VALUE_LENGTH,
        max_items=MAX_VALUES_PER_FACET,
        too_long=gettext_lazy("A value for %(facet)s is too long: at most %(max)d characters."),
        too_many=gettext_lazy("Too many values for %(facet)s: at most %(max)d."),
        **bounds,
    )


FACET_PARAMETERS: tuple[Parameter, ...] = (
    _facet("theme", gettext_lazy("Themes (slugs), any of which a POC has."), example="mobilite"),
    _facet("maker", gettext_lazy("Makers (slugs), any of whom made the POC."), example="atelier"),
    _facet("commune", gettext_lazy("Communes (slugs), the POC in any of them."), example="lille"),
    _facet("tag", gettext_lazy("Tags (slugs), any of which the POC carries."), example="velo"),
    _facet(
        "stage",
        gettext_lazy("Stages: understand, imagine, experiment, deploy."),
        example="experiment",
    ),
    _facet(
        "year",
        gettext_lazy("Years, four digits each."),
        pattern="[0-9]{4}",
        invalid=gettext_lazy("A year is written with four digits, for example 2020."),
        example="2020",
    ),
)

QUERY = Parameter(
    "q",
    gettext_lazy("Words to search for, every one of which a POC must match."),
    default="",
    max_length=MAX_QUERY_LENGTH,
    read=lambda raw: " ".join(raw.split()),
    too_long=gettext_lazy("The search text is too long: at most %(max)d characters."),
    example="vélo",
)
AREA = Parameter(
    "bbox",
    gettext_lazy(
        "Only the POCs placed within this area (“Search this area”): minLon,minLat,"
        "maxLon,maxLat in degrees (WGS 84, GeoJSON's order), west not past east, south not "
        "past north. A POC's place is its position, else its commune's centre."
    ),
    pattern=rf"{_NUMBER}(,{_NUMBER}){{3}}",
    read=_area,
    invalid=gettext_lazy(
        "An area is four numbers: minimum longitude, minimum latitude, maximum longitude, "
        "maximum latitude, for example 3.0,50.6,3.1,50.7."
    ),
    example="3.0,50.6,3.1,50.7",
)
NEAR = Parameter(
    "near",
    gettext_lazy(
        "A point, lat,lon in degrees: each result gives its distance from it in metres, and "
        "sort=distance puts the nearest first."
    ),
    pattern=rf"{_NUMBER},{_NUMBER}",
    read=_point,
    invalid=gettext_lazy("A point is a latitude and a longitude, for example near=50.63,3.06."),
    example="50.63,3.06",
)
SORT = Parameter(
    "sort",
    gettext_lazy(
        "Order of the results; distance needs near; supported puts the POCs with the most "
        "supports (“Je soutiens”) first."
    ),
    default="relevance",
    choices=SORTS,
    invalid=gettext_lazy("Unknown sort order “%(sort)s”: use one of %(sorts)s."),
)
PAGE = Parameter(
    "page",
    gettext_lazy("Page of results, from 1."),
    type="integer",
    default=1,
    minimum=1,
    maximum=MAX_PAGE,
    read=_whole_number,
    invalid=gettext_lazy("The page must be a whole number from 1."),
    out_of_range=gettext_lazy("The page must be at most %(max)d; narrow the search instead."),
)
SELECTION = Parameter(
    "poc",
    gettext_lazy(
        "POC ids (a visitor's selection): only these, in this order. Unknown or non-public ids"
        " are left out."
    ),
    repeated=True,
    type="integer",
    minimum=1,
    maximum=2**31 - 1,
    max_items=MAX_SELECTION_SIZE,
    read=_whole_number,
    invalid=gettext_lazy("A POC id is a whole number."),
    too_many=gettext_lazy("Too many POCs: at most %(max)d."),
    example=42,
)

LANGUAGE = Parameter(
    "lang",
    gettext_lazy("The language of the answer's texts and addresses; else the browser's."),
    choices=tuple(code for code, _name in settings.LANGUAGES),
    invalid=gettext_lazy("Unknown language “%(value)s”: use one of %(choices)s."),
)
AUTOCOMPLETE_QUERY = dataclasses.replace(
    QUERY, description=gettext_lazy("The words typed so far; the last may be unfinished.")
)
# What `/api/catalogue/search/` and the catalogue page read: a `SearchRequest`'s fields.
SEARCH_PARAMETERS: tuple[Parameter, ...] = (QUERY, *FACET_PARAMETERS, AREA, NEAR, SORT, PAGE)
# The exports answer the whole result, not a page of it, or a selection of POCs.
EXPORT_PARAMETERS: tuple[Parameter, ...] = (
    QUERY,
    *FACET_PARAMETERS,
    AREA,
    NEAR,
    SORT,
    SELECTION,
)
AUTOCOMPLETE_PARAMETERS: tuple[Parameter, ...] = (AUTOCOMPLETE_QUERY,)


def _values(params: Mapping[str, Any], name: str) -> list[str]:
    if hasattr(params, "getlist"):
        raw = params.getlist(name)
    else:
        raw = params.get(name, [])
        raw = [raw] if isinstance(raw, str) else list(raw)
    cleaned = (_CONTROL_CHARACTERS.sub("", str(value)).strip() for value in raw)
    return [value for value in cleaned if value]


def parse_parameters(
    params: Mapping[str, Any], parameters: tuple[Parameter, ...]
) -> dict[str, Any]:
    """Each declared parameter's value, read from query parameters (a QueryDict, or a dict of
    lists or strings). Raises `InvalidSearchRequest` for the first one that cannot be answered.
    """
    return {
        parameter.name: parameter.parse(_values(params, parameter.name)) for parameter in parameters
    }


def parse_search_request(params: Mapping[str, Any]) -> SearchRequest:
    """A `SearchRequest` from query parameters (a QueryDict, or a dict of lists or strings).

    Raises `InvalidSearchRequest` for the first parameter that cannot be answered.
    """
    return search_request_of(parse_parameters(params, SEARCH_PARAMETERS))


def search_request_of(values: dict[str, Any]) -> SearchRequest:
    """The `SearchRequest` for parameters' values read by `parse_parameters`, once what one
    value asks of another holds: sorting by distance needs the point to measure from."""
    if values.get("sort") == "distance" and values.get("near") is None:
        raise InvalidSearchRequest(
            _("Sorting by distance needs a point to measure from: near=latitude,longitude."),
            "sort",
        )
    return SearchRequest(language=active_language(), **values)


def parse_area(raw: str, field: str = AREA.name) -> Extent:
    """An area written as `bbox` is (also the map's `visible` area, named `field`)."""
    return dataclasses.replace(AREA, name=field).one(raw)


def parse_point(raw: str) -> Point:
    """A point written as `near` is."""
    return NEAR.one(raw)


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
