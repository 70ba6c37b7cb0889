"""`make bench`: how fast the catalogue search answers, against its floor and its peers.

    python -m tests.benchmarks.catalogue_search --count 10000 --report bench-report.md

Measured in one run on the same catalogue: the search layer on Elasticsearch, the raw
Elasticsearch round trip for the very same request body (the floor), the database backend,
Wagtail's own Elasticsearch 8 backend doing `.search()` then `.facet()` per facet on the same
cluster (the peer, `wagtail_peer`), the index rebuild rate, and SQL queries per search. Not a
test: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "showcase.settings.dev")
django.setup()

from django.conf import settings  # noqa: E402 - Django is set up first
from django.core.cache import caches  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from poc_catalogue.demo import load_demo_catalogue  # noqa: E402
from poc_catalogue.images import card_thumbnails  # noqa: E402
from poc_catalogue.models import Commune, Maker, POCPage, Theme  # noqa: E402
from poc_catalogue.progress import progress_bar  # noqa: E402
from search.connection import alias_name, elasticsearch_configured, get_client  # noqa: E402
from search.database_backend import DatabaseCatalogueSearch  # noqa: E402
from search.elasticsearch_backend import (  # noqa: E402
    ElasticsearchCatalogueSearch,
    build_request_body,
)
from search.indexing import rebuild_index  # noqa: E402
from search.stored_text import refresh_search_text  # noqa: E402
from search.types import FACETS, SearchRequest  # noqa: E402
from tests.benchmarks import wagtail_peer  # noqa: E402
from tests.benchmarks.database_fallback import fallback_report  # noqa: E402

Progress = Callable[[int, int], None]


@dataclass
class Timing:
    label: str
    samples: list[float] = field(default_factory=list)

    def percentile(self, percent: int) -> float:
        """The `percent`-th percentile in milliseconds."""
        if len(self.samples) < 2:
            return self.samples[0] * 1000 if self.samples else float("nan")
        cuts = statistics.quantiles(self.samples, n=100, method="inclusive")
        return cuts[percent - 1] * 1000

    @property
    def p50(self) -> float:
        return self.percentile(50)

    @property
    def p95(self) -> float:
        return self.percentile(95)


@dataclass
class BenchReport:
    pocs: int
    database: str
    requests: int
    load_seconds: float
    loader: str
    rebuild_rate: float
    rebuild_seconds: float
    timings: dict[str, Timing]
    queries: dict[str, float]
    peer_facets: list[str]
    pages: dict[str, Timing] = field(default_factory=dict)
    peer: wagtail_peer.PeerReport | None = None
    page_queries: dict[str, float] = field(default_factory=dict)

    def markdown(self) -> str:
        layer = self.timings["layer"]
        raw = self.timings["raw"]
        database = self.timings["database"]
        ratio_floor = layer.p95 / raw.p95 if raw.p95 else float("nan")
        peer = self.timings["peer"]
        peer_ratio = peer.p95 / layer.p95 if layer.p95 else float("nan")
        rows = "\n".join(
            f"| {timing.label} | {timing.p50:.1f} | {timing.p95:.1f} | {len(timing.samples)} |"
            for timing in self.timings.values()
        )

        def verdict(ok: bool) -> str:
            return "met" if ok else "**missed**"

        return f"""# Catalogue search benchmark

- POCs: {self.pocs} published ({self.loader}, {self.load_seconds:.1f} s to load)
- Database: {self.database}; Elasticsearch alias `{alias_name()}`
- Requests: {self.requests} per measure (a fixed mix of text, facets, sorts and pages)
- Machine: {platform.machine()}, Python {platform.python_version()}

| Measure | p50 (ms) | p95 (ms) | samples |
|---|---:|---:|---:|
{rows}

- Index rebuild: {self.rebuild_rate:.0f} POCs/s ({self.rebuild_seconds:.1f} s for {self.pocs})
- SQL queries per search: Elasticsearch {self.queries["layer"]:.1f}, database \
{self.queries["database"]:.1f}
{self.peer.markdown(layer, self.timings["peer"]) if self.peer else ""}
{self.pages_markdown()}
| Target | Figure | Verdict |
|---|---|---|
| search layer p95 within 1.5x raw round trip | {ratio_floor:.2f}x | {verdict(ratio_floor <= 1.5)} |
| ours at least 2x faster than the peer (p95) | {peer_ratio:.2f}x | {verdict(peer_ratio >= 2)} |
| database backend p95 at most 150 ms (set at 10,000 POCs) | {database.p95:.1f} ms | \
{verdict(database.p95 <= 150)} |
| rebuild at least 2,000 POCs/s (set at 100,000: `make bench-scale`) | \
{self.rebuild_rate:.0f}/s | {verdict(self.rebuild_rate >= 2000)} |
{self.page_targets(verdict)}
Throughput under gunicorn (2 workers) is measured on the production stack: `make production`,
then `make load`."""

    def pages_markdown(self) -> str:
        if not self.pages:
            return ""
        rows = "\n".join(
            f"| {timing.label} | {timing.p50:.1f} | {timing.p95:.1f} | {len(timing.samples)} | "
            f"{self.page_queries.get(name, float('nan')):.1f} |"
            for name, timing in self.pages.items()
        )
        return f"""Whole pages, through Django's WSGI handler and middleware, HTML included (home
and POC pages stored after one visit each, "rendered" with the cache emptied first; the
catalogue rendered for each request, its fragments cached, and "stored" on a second visit):

| Page | p50 (ms) | p95 (ms) | samples | SQL queries |
|---|---:|---:|---:|---:|
{rows}
"""

    def page_targets(self, verdict: Callable[[bool], str]) -> str:
        if not self.pages:
            return ""
        raw = self.timings["raw"].p95
        catalogue = self.pages["catalogue"].p95
        lines = [
            f"| catalogue page, rendered, p95 within 2x raw round trip | {catalogue / raw:.2f}x | "
            f"{verdict(catalogue <= 2 * raw)} |"
        ]
        for name in ("home", "poc"):
            timing = self.pages[name]
            lines.append(
                f"| {timing.label} p95 at most 15 ms | {timing.p95:.1f} ms | "
                f"{verdict(timing.p95 <= 15)} |"
            )
        return "\n".join(lines) + "\n"


def ensure_catalogue(count: int, seed: int, progress: Progress | None) -> tuple[str, float]:
    """At least `count` published POCs, from the demo loader."""
    started = time.perf_counter()
    existing = POCPage.objects.published().count()
    if existing >= count:
        return f"{existing} already there", 0.0
    load_demo_catalogue(count=count, seed=seed, progress=progress)
    return f"load_demo_catalogue --count {count} --seed {seed}", time.perf_counter() - started


def request_mix(total: int, seed: int) -> list[SearchRequest]:
    """A fixed mix: a third text only, a third facets only, a third both; some sorted, paged."""
    rng = random.Random(seed)
    theme_slugs = list(Theme.objects.values_list("slug", flat=True))
    commune_slugs = list(
        Commune.objects.filter(pocs__in=POCPage.objects.published())
        .values_list("slug", flat=True)
        .distinct()
    )
    maker_slugs = list(
        Maker.objects.filter(poc_roles__isnull=False).values_list("slug", flat=True).distinct()
    )
    titles = list(POCPage.objects.published().values_list("title", flat=True)[:2000])
    words = sorted({word for title in titles for word in title.split() if len(word) > 4})
    requests = []
    for number in range(total):
        kind = number % 3
        params: dict = {"sort": rng.choice(["relevance", "relevance", "newest", "title"])}
        if kind in (0, 2) and words:
            params["q"] = " ".join(rng.sample(words, rng.choice([1, 1, 2])))
        if kind in (1, 2):
            params["theme"] = tuple(rng.sample(theme_slugs, rng.choice([1, 2])))
            if rng.random() < 0.5 and commune_slugs:
                params["commune"] = (rng.choice(commune_slugs),)
            if rng.random() < 0.3 and maker_slugs:
                params["maker"] = (rng.choice(maker_slugs),)
            if rng.random() < 0.3:
                params["year"] = (str(rng.randint(2016, 2024)),)
        params["page"] = rng.choice([1, 1, 1, 2, 3])
        requests.append(SearchRequest(**params))
    return requests


def catalogue_url(request: SearchRequest) -> str:
    """The catalogue page's address for this request, as a visitor's browser sends it."""
    params: list[tuple[str, str]] = [("q", request.q)] if request.q else []
    for facet in FACETS:
        params.extend((facet, value) for value in request.selected(facet))
    if request.sort != "relevance":
        params.append(("sort", request.sort))
    if request.page != 1:
        params.append(("page", str(request.page)))
    return "/catalogue/?" + urlencode(params)


def measure_pages(
    mix: list[SearchRequest], warmup: int, progress: Progress | None
) -> tuple[dict[str, Timing], dict[str, float]]:
    """The catalogue page for every request of the mix, the home page, and POC pages.

    The catalogue page is measured rendered (its search, facets, cards) by a client carrying
    a cookie, which keeps `PublishedResponseMiddleware` from serving a stored copy, and stored
    (the same address a second time, by a visitor without a session). POC pages are a fixed
    sample, each visited once first (its renditions are made then, as the worker makes them
    on publication), then measured stored and, with the cache emptied, rendered.
    """
    client = Client(HTTP_HOST="localhost")
    rendering_client = Client(HTTP_HOST="localhost")
    rendering_client.cookies["bench-rendered"] = "1"
    cache = caches[settings.PUBLISHED_CACHE]
    ids = sorted(POCPage.objects.published().values_list("pk", flat=True))
    sample = random.Random(2020).sample(ids, min(50, len(ids)))
    poc_urls = [poc.url for poc in POCPage.objects.filter(pk__in=sample).order_by("pk")]
    timings = {
        "catalogue": Timing("Catalogue page, rendered (the mix's requests)"),
        "catalogue_stored": Timing("Catalogue page, stored (same address again)"),
        "home": Timing("Home page"),
        "poc": Timing("POC page"),
        "home_rendered": Timing("Home page, rendered"),
        "poc_rendered": Timing("POC page, rendered"),
    }
    queries: dict[str, float] = {}

    def get(url: str, by: Client = client) -> None:
        response = by.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")

    def timed(name: str, url: str, keep: bool = True, by: Client = client) -> None:
        started = time.perf_counter()
        get(url, by)
        if keep:
            timings[name].samples.append(time.perf_counter() - started)

    for url in ["/", *poc_urls]:
        get(url)  # renditions and the cache, as after a first visitor
    urls = [catalogue_url(request) for request in mix]
    rounds = warmup + len(mix)
    for index in range(rounds):
        keep = index >= warmup
        url = urls[index % len(urls)]
        timed("catalogue", url, keep, by=rendering_client)
        get(url)
        timed("catalogue_stored", url, keep)
        timed("home", "/", keep)
        timed("poc", poc_urls[index % len(poc_urls)], keep)
        if progress:
            progress(index + 1, 2 * rounds)
    for index in range(rounds):
        keep = index >= warmup
        cache.clear()
        timed("home_rendered", "/", keep)
        cache.clear()
        timed("poc_rendered", poc_urls[index % len(poc_urls)], keep)
        if progress:
            progress(rounds + index + 1, 2 * rounds)

    def count(name: str, sample: list[str], clear: bool, by: Client = client) -> None:
        total = 0
        for url in sample:
            if clear:
                cache.clear()
            else:
                get(url, by)
            with CaptureQueriesContext(connection) as captured:
                get(url, by)
            total += len(captured)
        queries[name] = total / len(sample)

    count("catalogue", urls[:30], clear=False, by=rendering_client)
    count("catalogue_stored", urls[:30], clear=False)
    count("home", ["/"], clear=False)
    count("poc", poc_urls[:30], clear=False)
    count("home_rendered", ["/"], clear=True)
    count("poc_rendered", poc_urls[:30], clear=True)
    return timings, queries


def run_benchmark(
    count: int,
    seed: int = 2020,
    requests: int = 200,
    warmup: int = 20,
    progress: Progress | None = None,
    say: Callable[[str], None] = print,
) -> BenchReport:
    loader, load_seconds = ensure_catalogue(count, seed, progress)
    pocs = POCPage.objects.published().count()
    say(f"Catalogue ready: {pocs} published POCs ({loader}).")
    refresh_search_text()
    # The card thumbnails are made first and timed apart: a site that has served its cards
    # has them, and the rebuild rate measures indexing, not image resizing.
    started = time.perf_counter()
    hero_ids = set(
        POCPage.objects.published().exclude(hero_image=None).values_list("hero_image", flat=True)
    )
    card_thumbnails(hero_ids)
    say(
        f"Card thumbnails of {len(hero_ids)} images ready in {time.perf_counter() - started:.1f} s."
    )
    say("Database search text written; rebuilding the Elasticsearch index...")
    rebuild = rebuild_index(progress=progress)
    say(f"Rebuilt {rebuild.indexed} documents at {rebuild.rate:.0f}/s.")

    mix = request_mix(requests, seed)
    elasticsearch = ElasticsearchCatalogueSearch()
    database = DatabaseCatalogueSearch()
    client = get_client()
    alias = alias_name()
    bodies = [build_request_body(request) for request in mix]
    timings = {
        "layer": Timing("Search layer on Elasticsearch (search_catalogue)"),
        "raw": Timing("Raw Elasticsearch round trip, same body (floor)"),
        "database": Timing("Database backend"),
        "peer": Timing("Wagtail's Elasticsearch 8 backend, .search() + 3 .facet() (peer)"),
    }
    peer_facets = list(wagtail_peer.PEER_FACETS)
    say("Indexing the same POCs with Wagtail's Elasticsearch 8 backend (the peer)...")
    peer = wagtail_peer.WagtailPeer()
    peer_index = peer.index()

    def measure(name: str, action: Callable[[], object], index: int) -> None:
        started = time.perf_counter()
        action()
        if index >= warmup:
            timings[name].samples.append(time.perf_counter() - started)

    for index in range(warmup + len(mix)):
        request = mix[index % len(mix)]
        body = bodies[index % len(mix)]
        measure("raw", lambda body=body: client.search(index=alias, body=body), index)
        measure("layer", lambda request=request: elasticsearch.search(request), index)
        measure("database", lambda request=request: database.search(request), index)
        measure("peer", lambda request=request: peer.search(request), index)
        if progress:
            progress(index + 1, warmup + len(mix))

    peer_report = wagtail_peer.peer_report(peer, peer_index, elasticsearch, mix)
    peer.close()

    say("Measuring whole pages: catalogue, home and POC pages...")
    pages, page_queries = measure_pages(mix, warmup, progress)

    queries: dict[str, float] = {}
    sample = mix[: min(30, len(mix))]
    for name, backend in (("layer", elasticsearch), ("database", database)):
        with CaptureQueriesContext(connection) as captured:
            for request in sample:
                backend.search(request)
        queries[name] = len(captured.captured_queries) / len(sample)

    return BenchReport(
        pocs=pocs,
        database=f"{connection.vendor}",
        requests=len(mix),
        load_seconds=load_seconds,
        loader=loader,
        rebuild_rate=rebuild.rate,
        rebuild_seconds=rebuild.seconds,
        timings=timings,
        queries=queries,
        peer_facets=peer_facets,
        pages=pages,
        page_queries=page_queries,
        peer=peer_report,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="POCs to load (10000).")
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--requests", type=int, default=200, help="Searches per measure.")
    parser.add_argument("--report", default="bench-report.md", help="Markdown report path.")
    options = parser.parse_args(argv)
    if not elasticsearch_configured():
        print("Set ELASTICSEARCH_URL: the benchmark compares both backends.", file=sys.stderr)
        return 2
    with progress_bar("steps") as progress:
        result = run_benchmark(
            count=options.count,
            seed=options.seed,
            requests=options.requests,
            progress=progress,
            say=print,
        )
    markdown = result.markdown()
    database = result.timings["database"]
    markdown += fallback_report(
        database, result.pocs, result.database, options.seed, options.requests
    )
    Path(options.report).write_text(markdown, encoding="utf-8")
    print(markdown)
    print(f"Report written to {options.report}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
