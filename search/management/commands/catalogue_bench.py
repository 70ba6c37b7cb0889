"""`catalogue_bench --count 10000`: load a catalogue, measure the search, write a report."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from search.benchmark import run_benchmark
from search.connection import elasticsearch_configured


class Command(BaseCommand):
    help = "Benchmark the catalogue search on Elasticsearch and the database; write a report."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=10_000, help="POCs to load (10000).")
        parser.add_argument("--seed", type=int, default=2020)
        parser.add_argument("--requests", type=int, default=200, help="Searches per measure.")
        parser.add_argument("--report", default="bench-report.md", help="Markdown report path.")

    def handle(self, *args: Any, count: int, seed: int, requests: int, report: str, **options: Any):
        if not elasticsearch_configured():
            raise CommandError("Set ELASTICSEARCH_URL: the benchmark compares both backends.")
        result = run_benchmark(
            count=count, seed=seed, requests=requests, progress=self.progress, say=self.stdout.write
        )
        markdown = result.markdown()
        Path(report).write_text(markdown, encoding="utf-8")
        self.stdout.write(markdown)
        self.stdout.write(self.style.SUCCESS(f"Report written to {report}."))

    def progress(self, done: int, total: int) -> None:
        if total and (done == total or done % max(1, total // 20) == 0):
            end = "\n" if done == total else ""
            sys.stderr.write(f"\r  {done}/{total} ({100 * done // total}%){end}")
            sys.stderr.flush()
