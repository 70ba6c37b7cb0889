"""The catalogue search: one entry point, answered by Elasticsearch or the database.

Views, templates and the JSON API call only these functions; which backend answered is
told in `SearchResult.backend`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import urlencode

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
    InvalidSearchRequest,
    SearchHit,
    SearchRequest,
    SearchResult,
    Suggestion,
)
from .vocabulary import vocabulary

logger = logging.getLogger(__name__)

ELASTICSEARCH_FAILURES = (TransportError, ApiError)
Answer = TypeVar("Answer")


def parse_search_request(params: Mapping[str, Any]) -> SearchRequest:
    """A `SearchRequest` from query parameters (a QueryDict, or a dict of lists or strings)."""

    def values(name: str) -> list[str]:
        if hasattr(params, "getlist"):
            raw = params.getlist(name)
        else:
            raw = params.get(name, [])
            raw = [raw] if isinstance(raw, str) else list(raw)
        return [str(value).strip() for value in raw if str(value).strip()]

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
    if not raw_page.isdigit() or int(raw_page) < 1:
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
        filters[facet] = selected
    return SearchRequest(q=q, sort=sort, page=page, **filters)


def _elasticsearch_backend():
    from .faceted import ElasticsearchCatalogueSearch

    return ElasticsearchCatalogueSearch()


def _with_fallback(
    on_elasticsearch: Callable[[Any], Answer], on_database: Callable[[Any], Answer]
) -> Answer:
    """Ask Elasticsearch when configured and reachable, else (and on failure) the database."""
    if elasticsearch_configured() and not cooling_down():
        try:
            answer = on_elasticsearch(_elasticsearch_backend())
        except ELASTICSEARCH_FAILURES as error:
            mark_unavailable()
            logger.warning(
                "Elasticsearch did not answer (%s); the database answers the catalogue search.",
                error.__class__.__name__,
            )
        else:
            mark_available()
            return answer
    return on_database(DatabaseCatalogueSearch())


def search_catalogue(request: SearchRequest) -> SearchResult:
    return _with_fallback(
        lambda backend: backend.search(request), lambda backend: backend.search(request)
    )


def autocomplete(q: str, limit: int = 8) -> list[Suggestion]:
    """POC titles, then makers and tags, whose words start with what the visitor typed."""
    q = q.strip()[:MAX_QUERY_LENGTH]
    if not query_terms(q):
        return []
    titles = _with_fallback(
        lambda backend: backend.autocomplete_titles(q, limit),
        lambda backend: backend.autocomplete_titles(q, limit),
    )
    others = _vocabulary_suggestions(q, limit=max(2, limit // 2))
    poc_suggestions = [Suggestion("poc", title, url) for title, url in titles]
    keep_titles = max(limit - len(others), limit // 2)
    return (poc_suggestions[:keep_titles] + others)[:limit]


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


def related_pocs(page: POCPage, limit: int = 4) -> list[SearchHit]:
    """POCs to read next: more-like-this on Elasticsearch, shared themes and tags otherwise."""
    return _with_fallback(
        lambda backend: backend.related(page, limit), lambda backend: backend.related(page, limit)
    )
