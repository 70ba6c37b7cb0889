"""The OpenAPI 3.1 description of the catalogue's API, served at `/api/schema/`.

Its parameters are written from the declarations that validate the requests
(`search.parameters`, `search.map_grid`), and the exports' properties from the fields the
files hold (`search.open_data.EXPORT_FIELDS`): changing what the API accepts or exports
changes its description. The answers' shapes are declared here, beside the `as_dict()`
methods that make them; the schemathesis test (`tests/search/test_openapi.py`) calls the live
API with requests generated from this document and checks every answer against it.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from poc_catalogue.limits import PAGE_SIZE

from .map_grid import MAP_VIEW_PARAMETERS
from .open_data import EXPORT_FIELDS, LICENCE_NAME, LICENCE_URL
from .parameters import (
    AUTOCOMPLETE_PARAMETERS,
    EXPORT_PARAMETERS,
    FACET_PARAMETERS,
    LANGUAGE,
    QUERY,
    SEARCH_PARAMETERS,
    Parameter,
)
from .types import FACETS

OPENAPI_VERSION = "3.1.0"
API_VERSION = "1.0"


def _object(properties: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """An object with exactly these properties, all present."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
        **extra,
    }


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


_STRING = {"type": "string"}
_INTEGER = {"type": "integer"}
_NUMBER = {"type": "number"}
_BACKEND = {"type": "string", "enum": ["elasticsearch", "database"]}
_LABEL = _object({"slug": _STRING, "label": _STRING})
_POINT = _object({"lat": _NUMBER, "lon": _NUMBER})


def _component(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def components() -> dict[str, Any]:
    """The answers' shapes: `SearchResult.as_dict()`, `SearchHit.as_dict()` (a
    `POCCard.as_dict()` with its highlights), `Suggestion`, `MapCell`, the errors and the
    GeoJSON export."""
    card = {
        "id": _INTEGER,
        "title": _STRING,
        "url": _STRING,
        "summary": _STRING,
        "thumbnail": _nullable(_STRING),
        "themes": {
            "type": "array",
            "items": _object({"slug": _STRING, "label": _STRING, "colour": _STRING}),
        },
        "makers": {"type": "array", "items": _LABEL},
        "commune": _nullable(_LABEL),
        "stage": _object({"value": _STRING, "label": _STRING}),
        "year": _INTEGER,
        "location": _nullable(_POINT),
        "language": {"type": "string", "enum": ["fr", "en"]},
    }
    hit = {
        **card,
        "highlight": {"type": "object", "additionalProperties": _STRING},
        "promoted": {"type": "boolean"},
        # Metres from `near`, when the request gives it.
        "distance": _nullable(_INTEGER),
        # "Je soutiens": as of the index's last batch of counts.
        "supports": _INTEGER,
    }
    facet_value = _object(
        {"value": _STRING, "label": _STRING, "count": _INTEGER, "selected": {"type": "boolean"}}
    )
    facets = _object({facet: {"type": "array", "items": facet_value} for facet in FACETS})
    properties = {field.name: field.schema for field in EXPORT_FIELDS}
    feature = _object(
        {
            "type": {"const": "Feature"},
            "id": _INTEGER,
            "geometry": _nullable(
                _object(
                    {
                        "type": {"const": "Point"},
                        "coordinates": {
                            "type": "array",
                            "items": _NUMBER,
                            "minItems": 2,
                            "maxItems": 2,
                        },
                    }
                )
            ),
            "properties": _object(properties),
        }
    )
    return {
        "SearchResult": _object(
            {
                "total": _INTEGER,
                "page": _INTEGER,
                "page_size": {"type": "integer", "const": PAGE_SIZE},
                "num_pages": _INTEGER,
                "backend": _BACKEND,
                "suggestion": _nullable(_STRING),
                "results": {"type": "array", "items": _object(hit)},
                "facets": facets,
            }
        ),
        "Suggestions": _object(
            {
                "q": _STRING,
                "backend": _BACKEND,
                "suggestions": {
                    "type": "array",
                    "items": _object(
                        {
                            "kind": {"type": "string", "enum": ["poc", "maker", "tag"]},
                            "label": _STRING,
                            "url": _STRING,
                            "value": _STRING,
                        }
                    ),
                },
            }
        ),
        "MapClusters": _object(
            {
                "zoom": _INTEGER,
                "backend": _BACKEND,
                "clusters": {
                    "type": "array",
                    "items": _object(
                        {
                            "key": _STRING,
                            "lat": _NUMBER,
                            "lon": _NUMBER,
                            "count": _INTEGER,
                            "bounds": {
                                "type": "array",
                                "items": _NUMBER,
                                "minItems": 4,
                                "maxItems": 4,
                            },
                        }
                    ),
                },
            }
        ),
        "Error": _object(
            {"error": _STRING, "field": _STRING},
            description=_("The parameter that could not be answered, and why."),
        ),
        "FeatureCollection": _object(
            {
                "type": {"const": "FeatureCollection"},
                "name": _STRING,
                "licence": _object({"name": _STRING, "url": _STRING}),
                "publisher": _STRING,
                "source": _STRING,
                "features": {"type": "array", "items": feature},
            }
        ),
    }


def _parameter(parameter: Parameter) -> dict[str, Any]:
    described = {
        "name": parameter.name,
        "in": "query",
        "required": parameter.required,
        "description": str(parameter.description),
        "schema": parameter.schema(),
    }
    if not parameter.required:
        # `q=&theme=` is what an empty form sends: an empty value counts as none.
        described["allowEmptyValue"] = True
    if parameter.repeated:
        # `theme=a&theme=b`: OpenAPI's default for query arrays, said out loud.
        described |= {"style": "form", "explode": True}
    return described


def _answer(description: str, media_type: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {media_type: {"schema": schema}}}


def _operation(
    operation_id: str,
    summary: str,
    parameters: tuple[Parameter, ...],
    answer: dict[str, Any],
) -> dict[str, Any]:
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "parameters": [_parameter(parameter) for parameter in (*parameters, LANGUAGE)],
            "responses": {
                "200": answer,
                "400": _answer(
                    _("A parameter cannot be answered: `field` names it."),
                    "application/json",
                    _component("Error"),
                ),
            },
        }
    }


def openapi_document(server: str) -> dict[str, Any]:
    """The whole description, its texts in the active language, for the site at `server`."""
    licence = {"name": LICENCE_NAME, "url": LICENCE_URL}
    csv_text = {"type": "string"}
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": _("POC Showcase catalogue API"),
            "version": API_VERSION,
            "description": _(
                "Search the design proofs of concept (POCs) of Lille Métropole, World Design"
                " Capital 2020, and download them as open data. Repeat a filter to select"
                " several values (`theme=a&theme=b`): values of one filter are combined with"
                " OR, filters with AND. Only published, public POCs are ever answered."
            ),
            "license": licence,
        },
        "servers": [{"url": server.rstrip("/")}],
        "paths": {
            reverse("search:api_search"): _operation(
                "searchCatalogue",
                _("A page of matching POCs, with every facet's counts"),
                SEARCH_PARAMETERS,
                _answer(_("The results"), "application/json", _component("SearchResult")),
            ),
            reverse("search:api_autocomplete"): _operation(
                "autocomplete",
                _("POC titles, makers and tags starting with the typed words"),
                AUTOCOMPLETE_PARAMETERS,
                _answer(_("Suggestions"), "application/json", _component("Suggestions")),
            ),
            reverse("search:api_map_clusters"): _operation(
                "mapClusters",
                _("Matching POCs counted per map tile, for a map too full to mark each"),
                (QUERY, *FACET_PARAMETERS, *MAP_VIEW_PARAMETERS),
                _answer(_("Tiles and counts"), "application/json", _component("MapClusters")),
            ),
            reverse("search:api_export_csv"): _operation(
                "exportCsv",
                _("Every matching POC (or a selection) as CSV, not paginated"),
                EXPORT_PARAMETERS,
                _answer(_("UTF-8 CSV, one POC a row"), "text/csv", csv_text),
            ),
            reverse("search:api_export_geojson"): _operation(
                "exportGeoJson",
                _("Every matching POC (or a selection) as GeoJSON points, not paginated"),
                EXPORT_PARAMETERS,
                _answer(
                    _("A GeoJSON FeatureCollection"),
                    "application/geo+json",
                    _component("FeatureCollection"),
                ),
            ),
        },
        "components": {"schemas": components()},
    }
