"""What "Je soutiens" costs a page, a click and the index, A/B in one run.

    python -m tests.benchmarks.support_costs --count 600 --rounds 3

Run like `make bench` (`scripts/with-services.sh`, dev settings, migrated database): it loads
the demo catalogue if missing and indexes it. About a third of the POCs get supports. The
variants take turns on every sample, so a busy machine slows them alike:

- pages rendered (the published cache emptied before each request): POC pages, the
  catalogue page for the benchmark's request mix, the home page; "with supports" is the
  site as it is, "without" the same pages with the button left out and no count read (the
  page as it was before supports);
- a POC page served from the published cache (what most visitors get: no support code runs);
- the script's `supports/state/` request for a catalogue page's 24 POCs, and one click
  (support, then withdraw: counts, daily row, pending mark, batch check);
- one batch sending every POC's count to the index (`index_support_counts`);
- the search layer sorted by `supported` against `newest`.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from unittest import mock

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "showcase.settings.dev")
django.setup()

from django.conf import settings  # noqa: E402 - Django is set up first
from django.core.cache import caches  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from poc_catalogue.models import POCPage  # noqa: E402
from poc_catalogue.supports.models import SupportCount  # noqa: E402
from search.catalogue import search_catalogue  # noqa: E402
from search.connection import alias_name, get_client  # noqa: E402
from search.indexing import rebuild_index  # noqa: E402
from search.models import PendingSupportCount  # noqa: E402
from search.support_counts import index_support_counts  # noqa: E402
from search.types import SearchRequest  # noqa: E402
from tests.benchmarks.catalogue_search import (  # noqa: E402
    Timing,
    catalogue_url,
    ensure_catalogue,
    request_mix,
)


@contextmanager
def without_supports():
    """The pages as before supports: no button, no count read."""

    def zeros(ids):
        return dict.fromkeys(ids, 0)

    with (
        mock.patch(
            "poc_catalogue.templatetags.catalogue_tags.support_button_html", return_value=""
        ),
        mock.patch("poc_catalogue.templatetags.catalogue_tags.counts_of", zeros),
        mock.patch("search.database_backend.counts_of", zeros),
    ):
        yield


def give_supports(seed: int) -> int:
    rng = random.Random(seed)
    ids = list(POCPage.objects.published().values_list("pk", flat=True))
    chosen = rng.sample(ids, len(ids) // 3)
    SupportCount.objects.all().delete()
    SupportCount.objects.bulk_create(
        [SupportCount(page_id=page_id, supports=rng.randint(1, 60)) for page_id in chosen]
    )
    return len(chosen)


def run(count: int, rounds: int, seed: int, say: Callable[[str], None] = print) -> None:
    loader, _seconds = ensure_catalogue(count, seed, None)
    say(f"Catalogue: {POCPage.objects.published().count()} published POCs ({loader}).")
    supported = give_supports(seed)
    say(f"{supported} POCs given supports; rebuilding the index...")
    rebuild_index()
    cache = caches[settings.PUBLISHED_CACHE]
    rendering = Client(HTTP_HOST="localhost")
    rendering.cookies["bench-rendered"] = "1"  # never served a stored page
    visitor = Client(HTTP_HOST="localhost")
    pocs = list(POCPage.objects.published().order_by("pk")[:30])
    poc_urls = [poc.url for poc in pocs]
    catalogue_urls = [catalogue_url(request) for request in request_mix(30, seed)]
    timings: dict[str, Timing] = {}
    queries: dict[str, list[int]] = {}

    def sample(name: str, action: Callable[..., object], *args, clear: bool = False, **kwargs):
        if clear:
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = action(*args, **kwargs)
            elapsed = time.perf_counter() - started
        status = getattr(response, "status_code", 200)
        assert status in (200, 302), (name, status)
        timings.setdefault(name, Timing(name)).samples.append(elapsed)
        queries.setdefault(name, []).append(len(captured))

    say("Warming up (renditions, connections)...")
    for url in poc_urls + catalogue_urls + ["/"]:
        rendering.get(url)
    for _round in range(rounds):
        for url in poc_urls:
            sample("POC page rendered, with supports", rendering.get, url, clear=True)
            with without_supports():
                sample("POC page rendered, without", rendering.get, url, clear=True)
            visitor.get(url)
            sample("POC page stored (cache hit)", visitor.get, url)
        for url in catalogue_urls:
            sample("Catalogue page rendered, with supports", rendering.get, url, clear=True)
            with without_supports():
                sample("Catalogue page rendered, without", rendering.get, url, clear=True)
        sample("Home page rendered, with supports", rendering.get, "/", clear=True)
        with without_supports():
            sample("Home page rendered, without", rendering.get, "/", clear=True)
        state_ids = [str(poc.pk) for poc in pocs[:24]]
        for _ in range(10):
            sample(
                "supports/state/ for 24 POCs",
                Client(HTTP_HOST="localhost").get,
                "/supports/state/",
                {"poc": state_ids},
            )
        for poc in pocs[:10]:
            browser = Client(HTTP_HOST="localhost", REMOTE_ADDR=f"192.0.2.{random.randint(1, 250)}")
            json = {"HTTP_ACCEPT": "application/json"}
            url = f"/supports/{poc.pk}/"
            sample("Click: support", browser.post, url, {"action": "support"}, **json)
            sample("Click: withdraw", browser.post, url, {"action": "withdraw"}, **json)
        for sort in ("supported", "newest"):
            for _ in range(20):
                sample(
                    f"Search layer, sort={sort}",
                    search_catalogue,
                    SearchRequest(sort=sort, page=1),
                )
        PendingSupportCount.objects.bulk_create(
            [
                PendingSupportCount(page_id=pk)
                for pk in POCPage.objects.published().values_list("pk", flat=True)
            ],
            ignore_conflicts=True,
        )
        pending = PendingSupportCount.objects.count()
        sample(f"Batch: {pending} counts to the index", index_support_counts.call)
    get_client().indices.refresh(index=alias_name())
    width = max(len(name) for name in timings)
    say(f"\n{'':{width}}  {'p50 ms':>8}  {'p95 ms':>8}  {'queries':>7}  samples")
    for name, timing in timings.items():
        median_queries = sorted(queries[name])[len(queries[name]) // 2]
        say(
            f"{name:{width}}  {timing.p50:8.1f}  {timing.p95:8.1f}  {median_queries:7d}"
            f"  {len(timing.samples)}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2020)
    options = parser.parse_args(argv)
    settings.SUPPORT_RATE_LIMIT_PER_HOUR = 10**6
    run(options.count, options.rounds, options.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
