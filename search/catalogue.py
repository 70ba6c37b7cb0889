"""The catalogue search: one entry point, answered by Elasticsearch or the database.

Views, templates and the JSON API call only these functions; which backend answered is told
in the answer (`SearchResult.backend`, `Suggestions.backend`, `RelatedPOCs.backend`).
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar
from urllib.parse import urlencode

from django.urls import reverse
from elastic_transport import TransportError
from elasticsearch import ApiError

from poc_catalogue.geography import Point
from poc_catalogue.models import CatalogueIndexPage, POCCard
from poc_catalogue.translations import active_language

from .connection import cooling_down, elasticsearch_configured, mark_available, mark_unavailable
from .database_backend import DatabaseCatalogueSearch
from .facet_labels import facet_labels
from .parameters import clean_text
from .steering import pinned_first, pinned_pocs, promoted_pocs, steering_rules, with_synonyms
from .text import fold, query_terms
from .types import (
    Backend,
    CatalogueBackend,
    MapArea,
    MapClusters,
    NearbyPOCs,
    RelatedPOCs,
    SearchRequest,
    SearchResult,
    Suggestion,
    Suggestions,
)

logger = logging.getLogger(__name__)

ELASTICSEARCH_FAILURES = (TransportError, ApiError)
Answer = TypeVar("Answer")


def cluster_failed(error: Exception) -> bool:
    """Whether an Elasticsearch error means the cluster is away (connection, timeout, 5xx).

    Only those trip the breaker: a 4xx answer is about one request, and one visitor's odd
    request must not send every visitor to the slow path.
    """
    if isinstance(error, ApiError):
        return error.meta.status >= 500 or error.meta.status == 429
    return isinstance(error, TransportError)


def _elasticsearch_backend() -> CatalogueBackend:
    from .elasticsearch_backend import ElasticsearchCatalogueSearch

    return ElasticsearchCatalogueSearch()


def _ask(question: Callable[[CatalogueBackend], Answer]) -> tuple[Answer, Backend]:
    """Ask Elasticsearch when configured and reachable, else (and on failure) the database.

    Both backends have the shape of `CatalogueBackend`: the same question goes to either.
    """
    if elasticsearch_configured() and not cooling_down():
        try:
            answer = question(_elasticsearch_backend())
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
    return question(DatabaseCatalogueSearch()), "database"


def search_catalogue(request: SearchRequest) -> SearchResult:
    """The catalogue's results, steered by staff's synonyms and promotions (`search.steering`)."""
    rules = steering_rules()
    request = with_synonyms(request, rules)
    promoted = promoted_pocs(request, rules)
    if promoted:
        request = dataclasses.replace(request, pinned=pinned_pocs(request, promoted))
    result, _backend = _ask(lambda backend: backend.search(request))
    result = pinned_first(result) if request.pinned else result
    return with_distances(result, request.near) if request.near else result


def with_distances(result: SearchResult, near: Point) -> SearchResult:
    """Each hit with its distance from `near` (the request's), measured here for both
    backends alike (`Point.metres_to`, Elasticsearch's `arc`); None for a POC with no place."""
    hits = [
        dataclasses.replace(
            hit, distance=near.metres_to(hit.card.location) if hit.card.location else None
        )
        for hit in result.hits
    ]
    return dataclasses.replace(result, hits=hits)


def autocomplete(q: str, limit: int = 8) -> Suggestions:
    """POC titles, then makers and tags, whose words start with what the visitor typed."""
    q = clean_text(q)
    if not query_terms(q):
        return Suggestions([], "database")
    language = active_language()
    titles, backend = _ask(lambda backend: backend.autocomplete_titles(q, limit, language))
    others = _label_suggestions(q, limit=max(2, limit // 2))
    poc_suggestions = [Suggestion("poc", title, url) for title, url in titles]
    keep_titles = max(limit - len(others), limit // 2)
    return Suggestions((poc_suggestions[:keep_titles] + others)[:limit], backend)


def related_pocs(page_id: int, limit: int = 4) -> RelatedPOCs:
    """POCs to read next: more-like-this on Elasticsearch, shared themes and tags otherwise."""
    hits, backend = _ask(lambda backend: backend.related(page_id, limit))
    return RelatedPOCs(hits, backend)


def nearby_pocs(page_id: int, limit: int = 4) -> NearbyPOCs:
    """The published POCs nearest to this one, with their distance (none without a position)."""
    hits, backend = _ask(lambda backend: backend.nearby(page_id, limit))
    return NearbyPOCs(hits, backend)


def map_clusters(request: SearchRequest, zoom: int, area: MapArea) -> MapClusters:
    """The POCs matching `request` counted per map tile, for maps of too many to mark each."""
    request = with_synonyms(request, steering_rules())
    cells, backend = _ask(lambda backend: backend.map_cells(request, zoom, area))
    return MapClusters(cells, backend)


# Cards read per Elasticsearch page or database batch of an export: what it holds in memory.
EXPORT_BATCH_SIZE = 500


def export_cards(
    request: SearchRequest, selection: Sequence[int] = ()
) -> tuple[Iterator[POCCard], Backend]:
    """Every POC matching `request` (not a page of them), or those of a visitor's
    `selection` in its order, read lazily a batch at a time, and which backend answers.

    The first batch is read here, so an Elasticsearch outage found then falls back to the
    database like a search; one during the download ends the file early (the breaker then
    sends the next download to the database). Promotions do not apply: a file is the data.
    """
    request = with_synonyms(request, steering_rules())
    if selection:
        # A selection holds at most `MAX_SELECTION_SIZE` POCs, read in one go from the database.
        return DatabaseCatalogueSearch().selected_cards(request, selection), "database"

    def started(backend: CatalogueBackend) -> Iterator[POCCard]:
        cards = backend.all_cards(request, EXPORT_BATCH_SIZE)
        first = next(cards, None)
        return iter(()) if first is None else itertools.chain([first], cards)

    return _ask(started)


def _label_suggestions(q: str, limit: int) -> list[Suggestion]:
    """Makers with a published POC and tags whose words start with the typed words."""
    terms = query_terms(q)
    known = facet_labels()

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
    return CatalogueIndexPage.url_for_visitor()
