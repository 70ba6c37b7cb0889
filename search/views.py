"""The catalogue's JSON API: thin views over `search.catalogue`."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_GET

from poc_catalogue.limits import MAX_QUERY_LENGTH

from .catalogue import autocomplete, map_clusters, search_catalogue
from .map_grid import parse_map_view
from .parameters import parse_search_request
from .statistics import mark_search
from .types import InvalidSearchRequest

AUTOCOMPLETE_LIMIT = 8


def in_requested_language(view: Callable[[HttpRequest], JsonResponse]):
    """Answer in the language `lang` names (`fr`, `en`), whatever the browser asks: the
    catalogue's scripts pass their page's, so an English page gets English titles and
    addresses. Without it, Django's choice (the browser's language, else French)."""

    @wraps(view)
    def answer(request: HttpRequest) -> JsonResponse:
        language = request.GET.get("lang", "")
        if language not in dict(settings.LANGUAGES):
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
    q = request.GET.get("q", "").strip()
    if len(q) > MAX_QUERY_LENGTH:
        return _bad_request(
            InvalidSearchRequest(
                _("The search text is too long: at most %(max)d characters.")
                % {"max": MAX_QUERY_LENGTH},
                "q",
            )
        )
    suggestions = autocomplete(q, limit=AUTOCOMPLETE_LIMIT)
    return JsonResponse(
        {
            "q": q,
            "backend": suggestions.backend,
            "suggestions": [item.as_dict() for item in suggestions],
        }
    )
