"""`make bench-export`: what the open-data exports cost in memory as the catalogue grows.

    python -m tests.benchmarks.export_memory --count 10000 --database-count 600

Downloads the CSV and the GeoJSON export through the test client, the way a visitor's
download runs (the response streamed chunk by chunk, each dropped once sent), under
`tracemalloc`: the peak of Python memory allocated while the file is produced, for a slice
of the catalogue (one theme) and for the whole of it. Streamed, the peak must not grow with
the rows; beside it, the same rows built into one string (what a non-streamed view would
hold) show what streaming saves.

The database backend answers from the demo catalogue (`--database-count` Wagtail pages:
10,000 would take an hour to create). With `ELASTICSEARCH_URL`, Elasticsearch answers from
`--count` generated documents indexed by `rebuild_index` itself, as `make bench-scale`
does (`scale.GeneratedCatalogue`): the export reads cards from the index alone. Not a test:
figures depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "showcase.settings.dev")
django.setup()

from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from poc_catalogue.demo import load_demo_catalogue  # noqa: E402
from poc_catalogue.models import POCPage  # noqa: E402
from poc_catalogue.progress import progress_bar  # noqa: E402
from search.catalogue import export_cards, search_catalogue  # noqa: E402
from search.connection import (  # noqa: E402
    alias_name,
    elasticsearch_configured,
    indexing_client,
    mark_available,
)
from search.indexing import rebuild_index  # noqa: E402
from search.open_data import csv_lines  # noqa: E402
from search.types import SearchRequest  # noqa: E402
from tests.benchmarks.scale import GeneratedCatalogue  # noqa: E402

MIB = 1024 * 1024


def peak_while(produce: Callable[[], Iterator[bytes | str]]) -> tuple[float, int, int, float]:
    """Peak traced memory (MiB) while every chunk is produced and dropped, the chunks, the
    bytes and the seconds it took."""
    tracemalloc.start()
    started = time.perf_counter()
    chunks = size = 0
    for chunk in produce():
        chunks += 1
        size += len(chunk)
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / MIB, chunks, size, elapsed


def streamed(client: Client, url: str, backend: str) -> Callable[[], Iterator[bytes]]:
    def produce() -> Iterator[bytes]:
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        # A timeout under load sends the export to the database: that is not this figure.
        assert response["X-Catalogue-Backend"] == backend, response["X-Catalogue-Backend"]
        yield from response.streaming_content

    return produce


def built_whole(request: SearchRequest) -> Callable[[], Iterator[str]]:
    """The same CSV held whole before it is sent: the cost streaming avoids."""

    def produce() -> Iterator[str]:
        cards, _backend = export_cards(request)
        yield "".join(csv_lines(list(cards), lambda path: f"http://localhost{path}"))

    return produce


def measure(backend: str, client: Client, say: Callable[[str], None]) -> list[str]:
    rows = []
    slices = [("one theme", "theme=habiter"), ("whole catalogue", "")]
    for label, query in slices:
        for extension in ("csv", "geojson"):
            url = f"/api/catalogue/export.{extension}?{query}"
            peak, chunks, size, elapsed = peak_while(streamed(client, url, backend))
            # A chunk per line or feature, after the CSV's header or the GeoJSON's head.
            pocs = chunks - (1 if extension == "csv" else 2)
            rows.append(
                f"| {backend} | {extension} streamed | {label}: {pocs} | {size / MIB:.1f} MiB "
                f"| {peak:.1f} MiB | {elapsed:.1f} s |"
            )
            say(rows[-1])
        request = SearchRequest(theme=("habiter",)) if query else SearchRequest()
        peak, _chunks, size, elapsed = peak_while(built_whole(request))
        rows.append(
            f"| {backend} | csv built whole | {label} | {size / MIB:.1f} MiB "
            f"| {peak:.1f} MiB | {elapsed:.1f} s |"
        )
        say(rows[-1])
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--count", type=int, default=10_000, help="Generated documents to index (10000)."
    )
    parser.add_argument(
        "--database-count", type=int, default=600, help="Demo POC pages to load (600)."
    )
    parser.add_argument("--seed", type=int, default=2020)
    options = parser.parse_args(argv)
    if POCPage.objects.published().count() < options.database_count:
        with progress_bar("POCs") as progress:
            load_demo_catalogue(count=options.database_count, seed=options.seed, progress=progress)
    total = POCPage.objects.published().count()
    themed = POCPage.objects.published().filter(themes__slug="habiter").count()
    print(f"Database: {total} published POCs, {themed} with the theme habiter.")
    client = Client(SERVER_NAME="localhost")
    rows = [
        "| Backend | File | POCs | Size | Peak memory | Time |",
        "| --- | --- | --- | ---: | ---: | ---: |",
    ]
    with override_settings(ELASTICSEARCH_URL=""):
        rows += measure("database", client, print)
    if elasticsearch_configured():
        generated = GeneratedCatalogue(options.count, options.seed)
        with progress_bar("documents") as progress:
            summary = rebuild_index(
                progress=progress, pocs=generated.pocs(options.count), total=options.count
            )
        print(f"Elasticsearch: {summary.indexed} generated documents indexed.")
        # Searchable, merged and warm before it is measured, as a live index is.
        indexing_client().indices.refresh(index=alias_name())
        indexing_client().indices.forcemerge(index=alias_name(), max_num_segments=1)
        mark_available()
        search_catalogue(SearchRequest())
        rows += measure("elasticsearch", client, print)
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
