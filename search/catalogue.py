"""The catalogue search: one entry point, answered by Elasticsearch or the database.

Views, templates and the JSON API call only these functions; which backend answered is
told in `SearchResult.backend`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from elastic_transport import TransportError
from elasticsearch import ApiError

from poc_catalogue.models import CatalogueIndexPage, POCPage

from .connection import cooling_down, elasticsearch_configured, mark_available, mark_unavailable
from .database import DatabaseCatalogueSearch
from .text import fold, query_terms
from .types import (
    FACETS,
    MAX_PAGE,
    MAX_QUERY_LENGTH,
    MAX_VALUES_PER_FACET,
    SORTS,
    Backend,
    InvalidSearchRequest,
    RelatedPOCs,
    SearchRequest,
    SearchResult,
    Suggestion,
    Suggestions,
)
from .vocabulary import vocabulary

logger = logging.getLogger(__name__)

ELASTICSEARCH_FAILURES = (TransportError, ApiError)
Answer = TypeVar("Answer")


# Control characters (NUL above all, which PostgreSQL refuses in text) are never meant.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
_PAGE = re.compile(r"[0-9]{1,6}")
_YEAR = re.compile(r"[0-9]{4}")
MAX_VALUE_LENGTH = 100


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
    sort = single("sort") or "relevance"
    if sort not in SORTS:
        raise InvalidSearchRequest(
            _("Unknown sort order “%(sort)s”: use one of %(sorts)s.")
            % {"sort": sort[:40], "sorts": ", ".join(SORTS)},
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
    return SearchRequest(q=q, sort=sort, page=page, **filters)


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


def _elasticsearch_backend():
    from .faceted import ElasticsearchCatalogueSearch

    return ElasticsearchCatalogueSearch()


def cluster_failed(error: Exception) -> bool:
    """Whether an Elasticsearch error means the cluster is away (connection, timeout, 5xx).

    Only those trip the breaker: a 4xx answer is about one request, and one visitor's odd
    request must not send every visitor to the slow path.
    """
    if isinstance(error, ApiError):
        return error.meta.status >= 500 or error.meta.status == 429
    return isinstance(error, TransportError)


def _with_fallback(
    on_elasticsearch: Callable[[Any], Answer], on_database: Callable[[Any], Answer]
) -> tuple[Answer, Backend]:
    """Ask Elasticsearch when configured and reachable, else (and on failure) the database."""
    if elasticsearch_configured() and not cooling_down():
        try:
            answer = on_elasticsearch(_elasticsearch_backend())
        except ELASTICSEARCH_FAILURES as error:
            if cluster_failed(error):
                mark_unavailable()
                logger.warning(
                    "Elasticsearch did not answer (%s); the database answers the catalogue search.",
                    error.__class__.__name__,
                )
            else:
                logger.exception("Elasticsearch refused a catalogue request; the database answers.")
        else:
            mark_available()
            return answer, "elasticsearch"
    return on_database(DatabaseCatalogueSearch()), "database"


def search_catalogue(request: SearchRequest) -> SearchResult:
    result, _backend = _with_fallback(
        lambda backend: backend.search(request), lambda backend: backend.search(request)
    )
    return result


def autocomplete(q: str, limit: int = 8) -> Suggestions:
    """POC titles, then makers and tags, whose words start with what the visitor typed."""
    q = _CONTROL_CHARACTERS.sub("", q).strip()[:MAX_QUERY_LENGTH]
    if not query_terms(q):
        return Suggestions([], "database")
    titles, backend = _with_fallback(
        lambda backend: backend.autocomplete_titles(q, limit),
        lambda backend: backend.autocomplete_titles(q, limit),
    )
    others = _vocabulary_suggestions(q, limit=max(2, limit // 2))
    poc_suggestions = [Suggestion("poc", title, url) for title, url in titles]
    keep_titles = max(limit - len(others), limit // 2)
    return Suggestions((poc_suggestions[:keep_titles] + others)[:limit], backend)


def _vocabulary_suggestions(q: str, limit: int) -> list[Suggestion]:
    """Makers with a published POC and tags whose words start with the typed words."""
    terms = query_terms(q)
    known = vocabulary()

    def matches(label: str) -> bool:
        words = query_terms(label)
        return all(any(word.startswith(term) for word in words) for term in terms)

    def by_label(entries: dict[str, str]) -> list[tuple[str, str]]:
        found = [(slug, label) for slug, label in entries.items() if matches(label)]
        return sorted(found, key=lambda entry: fold(entry[1]))[:limit]

    published_makers = {slug: known.makers[slug] for slug in known.published_makers}
    catalogue_url = _catalogue_url()
    return [
        Suggestion("maker", label, reverse("poc_catalogue:maker", args=[slug]), slug)
        for slug, label in by_label(published_makers)
    ] + [
        Suggestion("tag", label, f"{catalogue_url}?{urlencode({'tag': slug})}", slug)
        for slug, label in by_label(known.tags)
    ]


def _catalogue_url() -> str:
    catalogue = CatalogueIndexPage.objects.live().first()
    return (catalogue.get_url() if catalogue else None) or "/catalogue/"


def related_pocs(page: POCPage, limit: int = 4) -> RelatedPOCs:
    """POCs to read next: more-like-this on Elasticsearch, shared themes and tags otherwise."""
    hits, backend = _with_fallback(
        lambda backend: backend.related(page, limit), lambda backend: backend.related(page, limit)
    )
    return RelatedPOCs(hits, backend)
