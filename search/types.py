"""Values crossing the search boundary: what visitors ask for and what they get back.

Both backends (Elasticsearch and the database) have the shape of `CatalogueBackend`: they take a
`SearchRequest` and answer a `SearchResult`, so views, templates and the JSON API never know
which one answered. A hit is a POC's card (`poc_catalogue.models.POCCard`, the one
representation of a card) with the words that matched.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, Protocol, TypeVar

from poc_catalogue.geography import Extent, Point
from poc_catalogue.limits import PAGE_SIZE
from poc_catalogue.models import POCCard

FACETS: tuple[str, ...] = ("theme", "maker", "commune", "tag", "stage", "year")
# "distance" needs `SearchRequest.near`: nearest first from that point.
# "supported": the most supported first ("les plus soutenus"), ties newest first.
SORTS: tuple[str, ...] = ("relevance", "newest", "title", "distance", "supported")

Backend = Literal["elasticsearch", "database"]
Item = TypeVar("Item")


class InvalidSearchRequest(ValueError):
    """A parameter a visitor sent cannot be answered; `field` names it for the error message."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class SynonymGroup:
    """A word of the query and the synonyms staff declared for it (`search.steering`): a
    POC matches the word when it matches any of them (all the words of a multi-word one)."""

    word: str
    synonyms: tuple[str, ...]

    @property
    def alternatives(self) -> tuple[str, ...]:
        return (self.word, *self.synonyms)


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    theme: tuple[str, ...] = ()
    maker: tuple[str, ...] = ()
    commune: tuple[str, ...] = ()
    tag: tuple[str, ...] = ()
    stage: tuple[str, ...] = ()
    year: tuple[str, ...] = ()
    # "Rechercher dans cette zone": only POCs whose map position (`poc_location`) lies in this
    # area, edges included; the facets count within it too.
    bbox: Extent | None = None
    # "Autour de moi": the point each hit's distance is measured from (`sort="distance"`).
    near: Point | None = None
    sort: str = "relevance"
    page: int = 1
    page_size: int = PAGE_SIZE
    # The visitor's language: under /en/, English text is searched first, French as fallback.
    language: str = "fr"
    # Set by `search.steering`, not by visitors: the query's words that have synonyms, and
    # the POCs a promotion shows first, which the backends leave out of their hits.
    synonyms: tuple[SynonymGroup, ...] = ()
    pinned: tuple[int, ...] = ()

    def selected(self, facet: str) -> tuple[str, ...]:
        return getattr(self, facet)

    @property
    def filters(self) -> dict[str, tuple[str, ...]]:
        """The active filters only, facet name to selected values."""
        return {facet: self.selected(facet) for facet in FACETS if self.selected(facet)}

    @property
    def offset(self) -> int:
        """Where the backend's page of hits starts: the pinned POCs come before them."""
        return max(0, (self.page - 1) * self.page_size - len(self.pinned))

    @property
    def hits_wanted(self) -> int:
        """How many hits the backend gives: the first page makes room for the pinned POCs."""
        return self.page_size - len(self.pinned) if self.page == 1 else self.page_size


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "label": self.label,
            "count": self.count,
            "selected": self.selected,
        }


@dataclass(frozen=True)
class SearchHit:
    """A POC's card, with its title and summary as HTML marking the matched words."""

    card: POCCard
    highlight: dict[str, str] = field(default_factory=dict)
    score: float | None = None
    # Metres from the POC a "nearby" list was asked about, or from the search's `near` point;
    # None in other lists.
    distance: float | None = None
    # Pinned first by a promotion for the query (`search.steering`).
    promoted: bool = False
    # "Je soutiens": the POC's support count as the backend knows it (the index's lags by a
    # batch, `search.support_counts`).
    supports: int = 0

    def as_dict(self) -> dict[str, Any]:
        """The shape of one result in the JSON API."""
        return {
            **self.card.as_dict(),
            "highlight": self.highlight,
            "promoted": self.promoted,
            "distance": None if self.distance is None else round(self.distance),
            "supports": self.supports,
        }


@dataclass
class SearchResult:
    request: SearchRequest
    total: int
    hits: list[SearchHit]
    facets: dict[str, list[FacetValue]]
    suggestion: str | None
    backend: Backend

    @property
    def page(self) -> int:
        return self.request.page

    @property
    def page_size(self) -> int:
        return self.request.page_size

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))

    def as_dict(self) -> dict[str, Any]:
        """The JSON API's answer."""
        return {
            "total": self.total,
            "page": self.page,
            "page_size": self.page_size,
            "num_pages": self.num_pages,
            "backend": self.backend,
            "suggestion": self.suggestion,
            "results": [hit.as_dict() for hit in self.hits],
            "facets": {
                facet: [value.as_dict() for value in values]
                for facet, values in self.facets.items()
            },
        }


@dataclass(frozen=True)
class Suggestion:
    """One autocomplete entry: a POC title, a maker or a tag."""

    kind: Literal["poc", "maker", "tag"]
    label: str
    url: str
    value: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "label": self.label, "url": self.url, "value": self.value}


@dataclass(frozen=True)
class BackendAnswer(Generic[Item]):
    """A list of answers, and which backend gave them (`Suggestions`, `RelatedPOCs`)."""

    items: list[Item]
    backend: Backend

    def __iter__(self) -> Iterator[Item]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


# Autocomplete's answer: the backend is the one that found the POC titles in it.
Suggestions = BackendAnswer[Suggestion]
# POCs to read next, and which backend chose them.
RelatedPOCs = BackendAnswer[SearchHit]
# The published POCs nearest to one, each with its distance.
NearbyPOCs = BackendAnswer[SearchHit]


class CatalogueBackend(Protocol):
    """What `search.catalogue` asks of a backend; both answer the same contract suite."""

    name: Backend

    def search(self, request: SearchRequest) -> SearchResult: ...

    def autocomplete_titles(
        self, q: str, limit: int, language: str = "fr"
    ) -> list[tuple[str, str]]:
        """(title, URL) of published POCs whose title words start with the typed words, as
        read in `language` (an English title when translated, else the French one)."""
        ...

    def related(self, page_id: int, limit: int) -> list[SearchHit]:
        """POCs to read after this one, best first."""
        ...

    def nearby(self, page_id: int, limit: int) -> list[SearchHit]:
        """The published POCs nearest to this one (`poc_location`), nearest first, with
        `distance` set; none when this POC has no position or is not published."""
        ...

    def all_cards(self, request: SearchRequest, batch_size: int) -> Iterator[POCCard]:
        """Every POC matching `request`, not a page of them, in its order and language,
        read `batch_size` at a time (the open-data exports)."""
        ...

    def map_cells(self, request: SearchRequest, zoom: int, area: MapArea) -> list[MapCell]:
        """The POCs matching `request` counted per map tile at this zoom (`search.map_grid`),
        tiles meeting `area` only, ordered by key."""
        ...


@dataclass(frozen=True)
class MapArea:
    """The part of the map a visitor sees, in degrees."""

    south: float
    west: float
    north: float
    east: float


@dataclass(frozen=True)
class MapCell:
    """The matching POCs of one map tile: how many, and where their centre stands.

    `key` is the tile as Elasticsearch's `geotile_grid` names it (`zoom/x/y`); `bounds` is the
    tile's own area, for a click to zoom into.
    """

    key: str
    lat: float
    lon: float
    count: int
    bounds: MapArea

    def as_dict(self) -> dict[str, Any]:
        bounds = self.bounds
        return {
            "key": self.key,
            "lat": self.lat,
            "lon": self.lon,
            "count": self.count,
            "bounds": [bounds.south, bounds.west, bounds.north, bounds.east],
        }


# The matching POCs counted per tile, and which backend counted them.
MapClusters = BackendAnswer[MapCell]
