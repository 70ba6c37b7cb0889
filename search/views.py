"""The catalogue's JSON API: thin views over `search.catalogue`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import wraps

from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override
from django.views.decorators.http import require_GET

from poc_catalogue.translations import active_language

from .catalogue import autocomplete, export_cards, map_clusters, search_catalogue
from .map_grid import parse_map_view
from .open_data import (
    EXPORT_FIELDS,
    LICENCE_NAME,
    LICENCE_URL,
    PUBLISHER,
    csv_lines,
    geojson_chunks,
)
from .openapi import openapi_document
from .parameters import (
    AUTOCOMPLETE_PARAMETERS,
    EXPORT_PARAMETERS,
    LANGUAGE,
    parse_parameters,
    parse_search_request,
    search_request_of,
)
from .statistics import mark_search
from .types import InvalidSearchRequest

AUTOCOMPLETE_LIMIT = 8


def in_requested_language(view: Callable[[HttpRequest], HttpResponse]):
    """Answer in the language `lang` names (`fr`, `en`), whatever the browser asks: the
    catalogue's scripts pass their page's, so an English page gets English titles and
    addresses. Without it, Django's choice (the browser's language, else French); another
    one is refused (400), as the description says."""

    @wraps(view)
    def answer(request: HttpRequest) -> HttpResponse:
        try:
            language = parse_parameters(request.GET, (LANGUAGE,))["lang"]
        except InvalidSearchRequest as error:
            return _bad_request(error)
        if language is None:
            return view(request)
        with override(language):
            response = view(request)
        response.headers["Content-Language"] = language
        return response

    return answer


def _bad_request(error: InvalidSearchRequest) -> JsonResponse:
    return JsonResponse({"error": error.message, "field": error.field}, status=400)


@require_GET
@in_requested_language
def search_api(request: HttpRequest) -> JsonResponse:
    try:
        search_request = parse_search_request(request.GET)
    except InvalidSearchRequest as error:
        return _bad_request(error)
    result = search_catalogue(search_request)
    return mark_search(JsonResponse(result.as_dict()), result)


@require_GET
@in_requested_language
def map_clusters_api(request: HttpRequest) -> JsonResponse:
    """The matching POCs counted per tile of the visible map (`zoom`, `visible`)."""
    try:
        search_request = parse_search_request(request.GET)
        zoom, area = parse_map_view(request.GET)
    except InvalidSearchRequest as error:
        return _bad_request(error)
    clusters = map_clusters(search_request, zoom, area)
    return JsonResponse(
        {
            "zoom": zoom,
            "backend": clusters.backend,
            "clusters": [cell.as_dict() for cell in clusters],
        }
    )


@require_GET
@in_requested_language
def autocomplete_api(request: HttpRequest) -> JsonResponse:
    try:
        q = parse_parameters(request.GET, AUTOCOMPLETE_PARAMETERS)["q"]
    except InvalidSearchRequest as error:
        return _bad_request(error)
    suggestions = autocomplete(q, limit=AUTOCOMPLETE_LIMIT)
    return JsonResponse(
        {
            "q": q,
            "backend": suggestions.backend,
            "suggestions": [item.as_dict() for item in suggestions],
        }
    )


def _export(request: HttpRequest, file_lines: Callable, content_type: str, extension: str):
    """The whole matching catalogue (or a visitor's selection, `poc`) as a file, streamed."""
    try:
        values = parse_parameters(request.GET, EXPORT_PARAMETERS)
        selection = values.pop("poc")
        search_request = search_request_of(values)
    except InvalidSearchRequest as error:
        return _bad_request(error)
    cards, backend = export_cards(search_request, selection)
    lines: Iterator[str] = file_lines(cards, request.build_absolute_uri)
    response = StreamingHttpResponse(lines, content_type=f"{content_type}; charset=utf-8")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="poc-showcase-{day}.{extension}"'
    response["Link"] = f'<{LICENCE_URL}>; rel="license"'
    response["X-Catalogue-Backend"] = backend
    return response


@require_GET
@in_requested_language
def export_csv(request: HttpRequest) -> HttpResponse:
    return _export(request, csv_lines, "text/csv", "csv")


@require_GET
@in_requested_language
def export_geojson(request: HttpRequest) -> HttpResponse:
    def features(cards, absolute):
        return geojson_chunks(cards, absolute, source=request.build_absolute_uri())

    return _export(request, features, "application/geo+json", "geojson")


@require_GET
@in_requested_language
def schema_api(request: HttpRequest) -> JsonResponse:
    """The OpenAPI description of this API, built from the parameters' declarations."""
    return JsonResponse(openapi_document(request.build_absolute_uri("/")))


@require_GET
def open_data_page(request: HttpRequest) -> TemplateResponse:
    """What the files hold, field by field, how to ask for part of the catalogue, and the
    licence: the page the files and the catalogue's download links point to."""
    whole = f"?lang={active_language()}"
    return TemplateResponse(
        request,
        "search/open_data.html",
        {
            "fields": EXPORT_FIELDS,
            "parameters": (*EXPORT_PARAMETERS, LANGUAGE),
            "licence_name": LICENCE_NAME,
            "licence_url": LICENCE_URL,
            "publisher": PUBLISHER,
            "csv_url": reverse("search:api_export_csv") + whole,
            "geojson_url": reverse("search:api_export_geojson") + whole,
            "schema_url": reverse("api_schema"),
        },
    )
