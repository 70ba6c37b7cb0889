"""`make bench`, the database backend's part: the fallback on both databases it serves.

    python -m tests.benchmarks.database_fallback --count 600   # on the configured database

`make bench` measures the database backend on PostgreSQL beside Elasticsearch
(`tests.benchmarks.catalogue_search`); this module adds the embedded default, SQLite, in a
subprocess on a temporary database, and writes both against their targets.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.benchmarks.catalogue_search import Timing

SQLITE_POCS = 600
# p95 in milliseconds, and the catalogue size it is set at.
TARGETS = {"postgresql": (150.0, 10_000), "sqlite": (30.0, SQLITE_POCS)}


def fallback_report(database: Timing, pocs: int, vendor: str, seed: int, requests: int) -> str:
    """The report's section: the database backend just measured, then on SQLite."""
    sqlite = measure_on_sqlite(SQLITE_POCS, seed, requests)
    rows = [_row(vendor, pocs, database.p50, database.p95, len(database.samples))]
    if "error" in sqlite:
        rows.append(f"| sqlite | {SQLITE_POCS} | failed: {sqlite['error']} | | | |")
    else:
        rows.append(_row("sqlite", sqlite["pocs"], sqlite["p50"], sqlite["p95"], sqlite["samples"]))
    return f"""
Database backend (the fallback), the same request mix; on SQLite in a subprocess on a
temporary database ({sqlite.get("load", "")}):

| Database | POCs | p50 (ms) | p95 (ms) | samples | Target |
|---|---:|---:|---:|---:|---|
{chr(10).join(rows)}
"""


def _row(vendor: str, pocs: int, p50: float, p95: float, samples: int) -> str:
    target, at = TARGETS.get(vendor, TARGETS["postgresql"])
    verdict = "met" if p95 <= target else "**missed**"
    if pocs < at:
        verdict += f" (target set at {at:,} POCs)"
    return (
        f"| {vendor} | {pocs} | {p50:.1f} | {p95:.1f} | {samples} | "
        f"p95 at most {target:.0f} ms: {verdict} |"
    )


def measure_on_sqlite(count: int, seed: int, requests: int) -> dict:
    """This module run on a new SQLite database in a subprocess; its figures, or an error."""
    with tempfile.TemporaryDirectory(prefix="bench-sqlite-") as directory:
        env = {key: value for key, value in os.environ.items() if key != "ELASTICSEARCH_URL"}
        env["DATABASE_URL"] = f"sqlite:///{Path(directory) / 'bench.sqlite3'}"
        command = [sys.executable, "-m", "tests.benchmarks.database_fallback"]
        command += ["--count", str(count), "--seed", str(seed), "--requests", str(requests)]
        print(f"Measuring the database backend on SQLite at {count} POCs...", flush=True)
        done = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0 or not done.stdout.strip():
        return {"error": f"exit status {done.returncode}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure_here(count: int, seed: int, requests: int, warmup: int = 20) -> dict:
    """Migrate the configured database, load `count` POCs, time the database backend."""
    from django.core.management import call_command
    from django.db import connection

    from poc_catalogue.images import card_thumbnails
    from poc_catalogue.models import POCPage
    from search.database_backend import DatabaseCatalogueSearch
    from tests.benchmarks.catalogue_search import Timing, ensure_catalogue, request_mix

    call_command("migrate", verbosity=0, interactive=False)
    loader, load_seconds = ensure_catalogue(count, seed, progress=None)
    # Thumbnails made first, as on a site that has served its cards.
    heroes = (
        POCPage.objects.published().exclude(hero_image=None).values_list("hero_image", flat=True)
    )
    card_thumbnails(set(heroes))
    mix = request_mix(requests, seed)
    backend = DatabaseCatalogueSearch()
    timing = Timing("Database backend")
    for index in range(warmup + len(mix)):
        started = time.perf_counter()
        backend.search(mix[index % len(mix)])
        if index >= warmup:
            timing.samples.append(time.perf_counter() - started)
    return {
        "vendor": connection.vendor,
        "pocs": POCPage.objects.published().count(),
        "load": f"{loader}, {load_seconds:.0f} s",
        "p50": timing.p50,
        "p95": timing.p95,
        "samples": len(timing.samples),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=SQLITE_POCS, help="POCs to load (600).")
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--requests", type=int, default=200, help="Searches to time.")
    options = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "showcase.settings.dev")
    import django

    django.setup()
    figures = measure_here(options.count, options.seed, options.requests)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
