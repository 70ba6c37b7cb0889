"""The benchmark's peer: Wagtail's own Elasticsearch 8 backend on the same cluster and POCs.

Queried the way Wagtail's documentation shows it: `.search()` on the live POCs, then
`.facet()` once per facet, each one more request. Its facets are the POC's filter fields
(stage, year, commune); themes, makers and tags are many-to-many and beyond its filters and
facets. The backend is configured here for the benchmark only, under an index prefix of its
own: the site's `default` stays Wagtail's database backend, which the admin searches.

`.facet()` counts under every filter, its own facet's included: once a visitor ticks two
stages, the other stages count nothing. `check_multiselect_counts` shows it on any backend
whose answers it is given.
"""

from __future__ import annotations

import dataclasses
import io
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from unittest import mock

from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings
from modelsearch.backends import get_search_backend
from modelsearch.index import get_indexed_models
from modelsearch.management.commands import rebuild_modelsearch_index as update_index
from modelsearch.query import MATCH_ALL
from wagtail.models import Page

from poc_catalogue.models import Commune, POCPage
from search.types import CatalogueBackend, SearchRequest

if TYPE_CHECKING:
    from tests.benchmarks.catalogue_search import Timing

PEER = "wagtail-peer"
PEER_FACETS: tuple[str, ...] = ("stage", "year", "commune")
# Requests of the mix whose multi-select counts are checked, on both backends.
PROBES = 6

Counts = dict[str, dict[str, int]]


@dataclass(frozen=True)
class PeerIndex:
    objects: int
    seconds: float


@dataclass(frozen=True)
class PeerAnswer:
    hits: list[POCPage]
    facets: Counts


@dataclass
class CountCheck:
    """Facet counts compared with what ticking that value alone finds."""

    requests: int = 0
    values: int = 0
    wrong: list[str] = dataclasses.field(default_factory=list)

    def summary(self) -> str:
        return f"{len(self.wrong)} wrong of {self.values} counts in {self.requests} requests"


def peer_settings() -> dict:
    return {
        "BACKEND": "modelsearch.backends.elasticsearch8",
        "URLS": settings.ELASTICSEARCH_URL.split(","),
        "INDEX_PREFIX": f"{settings.ELASTICSEARCH_INDEX_PREFIX}-wagtail-peer-",
        "TIMEOUT": 30,
        # Indexed by `update_index` only: publishing in the benchmark must not write to it.
        "AUTO_UPDATE": False,
    }


class WagtailPeer:
    """Wagtail's Elasticsearch 8 backend as the search backend `PEER`, until `close()`.

    One backend instance answers every request, so it keeps its connections as a site's
    process would: `queryset.search()` would build a new client at each call.
    """

    def __init__(self) -> None:
        backends = {**settings.WAGTAILSEARCH_BACKENDS, PEER: peer_settings()}
        self._settings = override_settings(WAGTAILSEARCH_BACKENDS=backends)
        self._settings.enable()
        self.backend = get_search_backend(PEER)
        self.communes = dict(Commune.objects.values_list("slug", "pk"))
        self.commune_slugs = {pk: slug for slug, pk in self.communes.items()}

    def index(self) -> PeerIndex:
        """`update_index` for the peer, on the pages' index only (the POCs and their pages).

        Its mapping of the theme, commune and maker snippets fails: their `folded_name`
        comes from a mixin that is not a model, which Wagtail's Elasticsearch mapping cannot
        name (the database backend can). Images and documents are not the peer's question.
        """
        out = io.StringIO()
        pages = [model for model in get_indexed_models() if issubclass(model, Page)]
        started = time.perf_counter()
        with mock.patch(f"{update_index.__name__}.get_indexed_models", return_value=pages):
            call_command("update_index", backend_name=PEER, stdout=out)
        seconds = time.perf_counter() - started
        objects = sum(int(count) for count in re.findall(r"indexed (\d+) objects", out.getvalue()))
        return PeerIndex(objects=objects, seconds=seconds)

    def close(self) -> None:
        prefix = peer_settings()["INDEX_PREFIX"]
        names = list(self.backend.es.indices.get(index=f"{prefix}*", expand_wildcards="all"))
        if names:
            self.backend.es.indices.delete(index=",".join(names), ignore_unavailable=True)
        self._settings.disable()

    def queryset(self, request: SearchRequest):
        pocs = POCPage.objects.published()
        if request.stage:
            pocs = pocs.filter(stage__in=request.stage)
        if request.year:
            pocs = pocs.filter(year__in=[int(year) for year in request.year if year.isdigit()])
        if request.commune:
            pocs = pocs.filter(commune__in=[self.communes.get(slug, 0) for slug in request.commune])
        if request.sort == "newest":
            pocs = pocs.order_by("-first_published_at")
        elif request.sort == "title":
            pocs = pocs.order_by("title")
        return pocs

    def results(self, request: SearchRequest):
        return self.backend.search(
            request.q or MATCH_ALL,
            self.queryset(request),
            operator="and",
            order_by_relevance=request.sort == "relevance" and bool(request.q),
        )

    def search(self, request: SearchRequest) -> PeerAnswer:
        """A page of POCs (Wagtail reads them from the database), then one request per facet."""
        results = self.results(request)
        hits = list(results[request.offset : request.offset + request.page_size])
        return PeerAnswer(hits, {facet: self._facet(results, facet) for facet in PEER_FACETS})

    def total(self, request: SearchRequest) -> int:
        return self.results(request).count()

    def _facet(self, results, facet: str) -> dict[str, int]:
        if facet == "commune":
            # Facets are named by attribute: a foreign key's, by its id.
            counts = results.facet("commune_id")
            return {self.commune_slugs.get(key, str(key)): n for key, n in counts.items() if key}
        counts = results.facet(facet)
        return {str(key): count for key, count in counts.items() if key is not None}


@dataclass(frozen=True)
class PeerReport:
    index: PeerIndex
    ours: CountCheck
    peer: CountCheck

    def markdown(self, ours: Timing, peer: Timing) -> str:
        ratio = peer.p95 / ours.p95 if ours.p95 else float("nan")
        verdict = "met" if ratio >= 2 else "**missed**"
        first_per_facet = {line.split("=")[0]: line for line in reversed(self.peer.wrong)}
        examples = "\n".join(f"    - {line}" for line in first_per_facet.values())
        return f"""- The peer, Wagtail's Elasticsearch 8 backend (`modelsearch`'s `elasticsearch8`):
  `update_index` in {self.index.seconds:.1f} s for {self.index.objects} pages (its pages' index
  only: its mapping of our snippets fails); `.search()` then `.facet()` on stage, year and
  commune, one request each. Themes, makers and tags are beyond its filters and facets.
- Ours at p95 is {ratio:.1f}x faster than the peer's search + 3 facets: {verdict} (target 2x),
  for the whole answer (six multi-select facets, highlights, suggestion).
- Multi-select counts, each value's count against a search with that value alone ticked
  (other filters kept), on requests with two stages or two years ticked:
  - ours: {self.ours.summary()};
  - the peer: {self.peer.summary()}. `.facet()` counts under the facet's own filter (and
    lists ten values at most), so the ticked values hide the others:
{examples}
"""


def facet_values() -> dict[str, list[str]]:
    """Every value the peer's three facets can take among live POCs."""
    live = POCPage.objects.published()
    return {
        "stage": sorted(set(live.values_list("stage", flat=True))),
        "year": sorted({str(year) for year in live.values_list("year", flat=True) if year}),
        "commune": sorted(set(live.exclude(commune=None).values_list("commune__slug", flat=True))),
    }


def multiselect_probes(mix: list[SearchRequest], values: dict[str, list[str]]):
    """Requests of the mix the peer can filter in full, with two stages or two years ticked."""
    expressible = [
        request for request in mix if not (request.theme or request.maker or request.tag)
    ]
    probes = []
    for number, request in enumerate(expressible[:PROBES]):
        if number % 2:
            probes.append(dataclasses.replace(request, stage=tuple(values["stage"][:2]), page=1))
        else:
            probes.append(dataclasses.replace(request, year=tuple(values["year"][-2:]), page=1))
    return probes


def check_multiselect_counts(
    probes: list[SearchRequest],
    values: dict[str, list[str]],
    counts_of: Callable[[SearchRequest], Counts],
    total_of: Callable[[SearchRequest], int],
) -> CountCheck:
    """A multi-select facet's count for a value is what ticking that value alone finds, the
    other facets' filters kept: checked for every value of the peer's three facets (a value
    not listed counts 0)."""
    check = CountCheck()
    for request in probes:
        check.requests += 1
        counts = counts_of(request)
        for facet in PEER_FACETS:
            shown = counts.get(facet, {})
            for value in values[facet]:
                alone = total_of(dataclasses.replace(request, **{facet: (value,)}))
                check.values += 1
                if shown.get(value, 0) != alone:
                    check.wrong.append(
                        f"{facet}={value} for {dict(request.filters)} q={request.q!r}: "
                        f"counted {shown.get(value, 0)}, ticked alone {alone}"
                    )
    return check


def peer_report(
    peer: WagtailPeer, index: PeerIndex, ours: CatalogueBackend, mix: list[SearchRequest]
) -> PeerReport:
    """Both backends' multi-select counts checked on the same probes."""
    values = facet_values()
    probes = multiselect_probes(mix, values)

    def our_counts(request: SearchRequest) -> Counts:
        facets = ours.search(request).facets
        return {facet: {item.value: item.count for item in facets[facet]} for facet in facets}

    return PeerReport(
        index=index,
        ours=check_multiselect_counts(
            probes, values, our_counts, lambda request: ours.search(request).total
        ),
        peer=check_multiselect_counts(
            probes, values, lambda request: peer.search(request).facets, peer.total
        ),
    )
