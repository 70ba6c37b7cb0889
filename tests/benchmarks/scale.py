"""`make bench-scale`: the search layer at 100,000 POCs against itself at 10,000.

    python -m tests.benchmarks.scale --count 100000 --base 10000 --report bench-report-scale.md

Creating 100,000 Wagtail pages would take longer than the half hour this may run, so the
database holds the demo catalogue (600 POCs: the themes, communes, makers and tags the
facets label and size) and the larger catalogues are generated documents: the demo
planner's own POCs (`plan_catalogue`, the same vocabulary and distributions as `make bench`)
turned into cards and indexed by `rebuild_index` itself (same mapping, same bulk path, same
alias swap), without the database read. Each size has its own alias, so both are measured
in turns in one run on the same request mix as `make bench`.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "showcase.settings.dev")
django.setup()

from django.conf import settings  # noqa: E402 - Django is set up first
from django.test import override_settings  # noqa: E402
from taggit.models import Tag  # noqa: E402

from poc_catalogue.demo import POCPlan, load_demo_catalogue, plan_catalogue  # noqa: E402
from poc_catalogue.demo.plans import CommuneRef, ThemeRef  # noqa: E402
from poc_catalogue.geography import METROPOLE_CENTRE, METROPOLE_EXTENT, Point  # noqa: E402
from poc_catalogue.images import card_thumbnails  # noqa: E402
from poc_catalogue.models import (  # noqa: E402
    CatalogueIndexPage,
    Commune,
    Maker,
    POCCard,
    POCPage,
    Theme,
)
from poc_catalogue.models.cards import Label, MakerLabel, ThemeLabel  # noqa: E402
from poc_catalogue.progress import progress_bar  # noqa: E402
from search.catalogue import map_clusters, search_catalogue  # noqa: E402
from search.connection import alias_name, elasticsearch_configured, get_client  # noqa: E402
from search.elasticsearch_backend import build_request_body  # noqa: E402
from search.indexing import RebuildSummary, rebuild_index, versioned_indices  # noqa: E402
from search.searchable import SearchablePOC, iter_searchable  # noqa: E402
from search.text import streamfield_text  # noqa: E402
from search.types import FACETS, MapArea, SearchRequest  # noqa: E402
from tests.benchmarks.catalogue_search import Timing, request_mix  # noqa: E402

Progress = Callable[[int, int], None]
DATABASE_POCS = 600
# Generated documents' ids start here, above any page the database may hold.
FIRST_GENERATED_ID = 10_000_000
ROUNDS = 2
# The map's zooms measured in turn: the whole metropole, a few communes, a neighbourhood.
MAP_ZOOMS = (10, 12, 14)
MAP_VIEWPORT = (1000, 600)  # pixels


@dataclass
class CPUSeconds:
    """CPU time spent by this process (every thread) and by the Elasticsearch nodes."""

    python: float
    elasticsearch: float

    @classmethod
    def now(cls) -> CPUSeconds:
        nodes = get_client().nodes.stats(metric="process").body["nodes"].values()
        milliseconds = sum(node["process"]["cpu"]["total_in_millis"] for node in nodes)
        return cls(time.process_time(), milliseconds / 1000)

    def __sub__(self, other: CPUSeconds) -> CPUSeconds:
        return CPUSeconds(self.python - other.python, self.elasticsearch - other.elasticsearch)


@dataclass
class SizeFigures:
    count: int
    rebuild: RebuildSummary
    cpu: CPUSeconds
    layer: Timing
    raw: Timing
    map: Timing
    map_checks: int = 0
    map_miscounts: int = 0
    facet_checks: int = 0
    facets_cut: list[str] = field(default_factory=list)
    distinct: dict[str, int] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)


class GeneratedCatalogue:
    """The demo planner's POCs as the cards and text the index reads, without pages."""

    def __init__(self, count: int, seed: int) -> None:
        themes = list(Theme.objects.order_by("sort_order", "slug"))
        communes = list(Commune.objects.order_by("insee_code"))
        self.plan = plan_catalogue(
            count,
            seed,
            [ThemeRef(t.slug, t.name, t.colour) for t in themes],
            [
                CommuneRef(c.insee_code, c.name, c.latitude, c.longitude, c.population)
                for c in communes
            ],
        )
        self.themes = {t.slug: ThemeLabel(t.slug, t.name, t.name_en, t.colour) for t in themes}
        self.communes = {c.insee_code: Label(c.slug, c.name) for c in communes}
        self.makers = {
            slug: MakerLabel(slug, name, kind)
            for slug, name, kind in Maker.objects.values_list("slug", "name", "kind")
        }
        self.tags = {
            name: Label(slug, name) for name, slug in Tag.objects.values_list("name", "slug")
        }
        catalogue = CatalogueIndexPage.in_source_language()
        self.base_url = catalogue.url or "/catalogue/"
        # Thumbnails of real cards, reused in turn: the documents hold an address like theirs.
        self.thumbnails = [
            poc.card.thumbnail for poc in iter_searchable() if poc.card.thumbnail
        ] or [None]

    def card(self, plan: POCPlan) -> POCCard:
        return POCCard(
            page_id=FIRST_GENERATED_ID + plan.number,
            title=plan.title,
            url=f"{self.base_url}{plan.slug}/",
            summary=plan.summary,
            thumbnail=self.thumbnails[plan.number % len(self.thumbnails)],
            themes=tuple(self.themes[slug] for slug in plan.theme_slugs),
            makers=tuple(self.makers[slug] for slug, _role in plan.makers),
            tags=tuple(self.tags[name] for name in plan.tags),
            commune=self.communes[plan.commune_insee],
            stage=plan.stage,
            year=plan.year,
            location=Point(plan.latitude, plan.longitude),
            first_published_at=plan.first_published_at,
        )

    def pocs(self, count: int) -> Iterator[SearchablePOC]:
        for plan in self.plan.pocs[:count]:
            yield SearchablePOC(self.card(plan), streamfield_text(plan.body))


def map_view(zoom: int) -> MapArea:
    """What a map of `MAP_VIEWPORT` pixels centred on Lille shows at this zoom."""
    lat, lon = METROPOLE_CENTRE
    degrees_per_pixel = 360.0 / (256 * 2**zoom)
    half_width = MAP_VIEWPORT[0] / 2 * degrees_per_pixel
    half_height = MAP_VIEWPORT[1] / 2 * degrees_per_pixel * math.cos(math.radians(lat))
    return MapArea(lat - half_height, lon - half_width, lat + half_height, lon + half_width)


def map_completeness(requests: list[SearchRequest], figures: SizeFigures) -> None:
    """The groups of the whole metropole add up to the search's total: no POC left out."""
    whole = MapArea(
        METROPOLE_EXTENT.south, METROPOLE_EXTENT.west, METROPOLE_EXTENT.north, METROPOLE_EXTENT.east
    )
    for request in requests:
        counted = sum(cell.count for cell in map_clusters(request, MAP_ZOOMS[0], whole))
        figures.map_checks += 1
        if counted != search_catalogue(request).total:
            figures.map_miscounts += 1


def facet_completeness(requests: list[SearchRequest], figures: SizeFigures) -> None:
    """Every facet of every request lists all its values: no bucket left out by `size`."""
    client = get_client()
    for request in requests:
        body = build_request_body(request)
        response = client.search(index=alias_name(), body=body).body
        for facet in FACETS:
            aggregation = response["aggregations"][f"_filter_{facet}"][facet]
            figures.facet_checks += 1
            if aggregation["sum_other_doc_count"]:
                figures.facets_cut.append(f"{facet} in {request}")
    everything = client.search(
        index=alias_name(),
        size=0,
        aggs={facet: {"cardinality": {"field": facet}} for facet in FACETS},
    ).body
    figures.distinct = {facet: everything["aggregations"][facet]["value"] for facet in FACETS}
    figures.sizes = {
        facet: body["aggs"][f"_filter_{facet}"]["aggs"][facet]["terms"]["size"] for facet in FACETS
    }


def measure(
    prefixes: dict[int, str],
    mix: list[SearchRequest],
    figures: dict[int, SizeFigures],
    warmup: int,
    progress: Progress | None,
) -> None:
    """The mix on each size in turn, `ROUNDS` times (ABAB), so drift hits both alike."""
    client = get_client()
    bodies = {}
    steps = ROUNDS * len(prefixes) * (warmup + len(mix))
    done = 0
    for _round in range(ROUNDS):
        for count, prefix in prefixes.items():
            with override_settings(ELASTICSEARCH_INDEX_PREFIX=prefix):
                alias = alias_name()
                for index in range(warmup + len(mix)):
                    request = mix[index % len(mix)]
                    if request not in bodies:
                        bodies[request] = build_request_body(request)
                    keep = index >= warmup
                    started = time.perf_counter()
                    result = search_catalogue(request)
                    if keep:
                        figures[count].layer.samples.append(time.perf_counter() - started)
                    if result.backend != "elasticsearch":
                        raise RuntimeError("The database answered: Elasticsearch failed.")
                    started = time.perf_counter()
                    client.search(index=alias, body=bodies[request])
                    if keep:
                        figures[count].raw.samples.append(time.perf_counter() - started)
                    zoom = MAP_ZOOMS[index % len(MAP_ZOOMS)]
                    started = time.perf_counter()
                    clusters = map_clusters(request, zoom, map_view(zoom))
                    if keep:
                        figures[count].map.samples.append(time.perf_counter() - started)
                    if clusters.backend != "elasticsearch":
                        raise RuntimeError("The database answered: Elasticsearch failed.")
                    done += 1
                    if progress:
                        progress(done, steps)


def run(
    count: int,
    base: int,
    seed: int,
    requests: int,
    warmup: int,
    progress: Progress | None,
    say: Callable[[str], None],
) -> tuple[dict[int, SizeFigures], RebuildSummary]:
    started = time.perf_counter()
    if POCPage.objects.published().count() < DATABASE_POCS:
        load_demo_catalogue(count=DATABASE_POCS, seed=seed, progress=progress)
    say(f"Database: {POCPage.objects.published().count()} published POCs (the facets' vocabulary).")
    # Thumbnails first, as `make bench` does: the rebuild rate measures indexing, not resizing.
    card_thumbnails(
        set(
            POCPage.objects.published()
            .exclude(hero_image=None)
            .values_list("hero_image", flat=True)
        )
    )
    database_rebuild = rebuild_index(progress=progress)
    say(
        f"Real rebuild from the database: {database_rebuild.indexed} POCs at "
        f"{database_rebuild.rate:.0f}/s."
    )
    planned = time.perf_counter()
    generated = GeneratedCatalogue(max(count, base), seed)
    say(f"Planned {len(generated.plan.pocs)} POCs in {time.perf_counter() - planned:.1f} s.")

    mix = request_mix(requests, seed)
    prefixes = {
        size: f"{settings.ELASTICSEARCH_INDEX_PREFIX}-scale{size}" for size in (base, count)
    }
    figures: dict[int, SizeFigures] = {}
    for size, prefix in prefixes.items():
        with override_settings(ELASTICSEARCH_INDEX_PREFIX=prefix):
            say(f"Indexing {size} generated documents into {alias_name()}...")
            before = CPUSeconds.now()
            summary = rebuild_index(progress=progress, pocs=generated.pocs(size), total=size)
            cpu = CPUSeconds.now() - before
            say(f"Indexed {summary.indexed} at {summary.rate:.0f}/s ({summary.seconds:.1f} s).")
            figures[size] = SizeFigures(
                size,
                summary,
                cpu,
                Timing(f"Search layer, {size} POCs"),
                Timing(f"Raw round trip, {size} POCs"),
                Timing(f"Map clusters (zoom {'/'.join(map(str, MAP_ZOOMS))}), {size} POCs"),
            )
    say(f"Measuring {requests} searches per size, {ROUNDS} rounds in turns...")
    measure(prefixes, mix, figures, warmup, progress)
    for size, prefix in prefixes.items():
        with override_settings(ELASTICSEARCH_INDEX_PREFIX=prefix):
            facet_completeness(mix, figures[size])
            map_completeness(mix[:50], figures[size])
            client = get_client()
            for name in versioned_indices():
                client.indices.delete(index=name, ignore_unavailable=True)
    say(f"Done in {time.perf_counter() - started:.0f} s.")
    return figures, database_rebuild


def markdown(
    figures: dict[int, SizeFigures], database_rebuild: RebuildSummary, seconds: float
) -> str:
    base, count = sorted(figures)
    small, large = figures[base], figures[count]
    ratio = large.layer.p95 / small.layer.p95 if small.layer.p95 else float("nan")
    rows = "\n".join(
        f"| {timing.label} | {timing.p50:.1f} | {timing.p95:.1f} | {len(timing.samples)} |"
        for size in (small, large)
        for timing in (size.layer, size.raw, size.map)
    )
    facet_rows = "\n".join(
        f"| {facet} | {large.sizes[facet]} | {large.distinct[facet]} |" for facet in FACETS
    )
    cut = len(small.facets_cut) + len(large.facets_cut)

    def verdict(ok: bool) -> str:
        return "met" if ok else "**missed**"

    return f"""# Catalogue search at scale

- Generated documents: the demo planner's POCs (seed-for-seed the POCs `make bench` loads),
  indexed by `rebuild_index` without reading the database; the database holds
  {database_rebuild.indexed} real POCs for the facets' labels and sizes
- Machine: {platform.machine()}, Python {platform.python_version()}; {seconds:.0f} s in all

| Measure | p50 (ms) | p95 (ms) | samples |
|---|---:|---:|---:|
{rows}

- Indexing {base}: {small.rebuild.rate:.0f} POCs/s; {count}: {large.rebuild.rate:.0f} POCs/s \
({large.rebuild.seconds:.1f} s)
- CPU time of the indexing at {count}: Python {large.cpu.python:.0f} s, Elasticsearch \
{large.cpu.elasticsearch:.0f} s, so {count / (large.cpu.python + large.cpu.elasticsearch):.0f} \
POCs per CPU-second ({large.rebuild.seconds:.0f} s of wall time on 2 cores shared with other work)
- Load average (1, 5, 15 min) at the end: {", ".join(f"{load:.1f}" for load in os.getloadavg())}
- Real rebuild from the database ({database_rebuild.indexed} POCs): \
{database_rebuild.rate:.0f} POCs/s
- Facets: {small.facet_checks + large.facet_checks} facet lists checked (every request of the \
mix, both sizes), {cut} cut short (`sum_other_doc_count` > 0)

- Map: {large.map_checks} searches grouped over the whole metropole at {count}, \
{large.map_miscounts} whose groups did not add up to the search's total

At {count} POCs, each facet's terms size against its distinct values in the index:

| Facet | terms size | distinct values |
|---|---:|---:|
{facet_rows}

| Target | Figure | Verdict |
|---|---|---|
| search layer p95 at {count} within 2x its p95 at {base} | {ratio:.2f}x | \
{verdict(ratio <= 2)} |
| every facet complete at {count} | {len(large.facets_cut)} cut | \
{verdict(not large.facets_cut)} |
| map groups p95 at {count} (each search, zooms {"/".join(map(str, MAP_ZOOMS))}) | \
{large.map.p95:.1f} ms | (no target) |
| indexing at least 2,000 POCs/s at {count} | {large.rebuild.rate:.0f}/s | \
{verdict(large.rebuild.rate >= 2000)} |
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000, help="Generated POCs (100000).")
    parser.add_argument("--base", type=int, default=10_000, help="The size compared to (10000).")
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--requests", type=int, default=200, help="Searches per size and round.")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--report", default="bench-report-scale.md", help="Markdown report path.")
    options = parser.parse_args(argv)
    if not elasticsearch_configured():
        print("Set ELASTICSEARCH_URL: the scale benchmark measures Elasticsearch.", file=sys.stderr)
        return 2
    started = time.perf_counter()
    # A search slower than the visitors' timeout would be answered by the database and
    # measured as such: here it is waited for, and counted.
    with progress_bar("steps") as progress, override_settings(ELASTICSEARCH_TIMEOUT=60):
        figures, database_rebuild = run(
            options.count,
            options.base,
            options.seed,
            options.requests,
            options.warmup,
            progress,
            print,
        )
    report = markdown(figures, database_rebuild, time.perf_counter() - started)
    Path(options.report).write_text(report, encoding="utf-8")
    print(report)
    print(f"Report written to {options.report}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
