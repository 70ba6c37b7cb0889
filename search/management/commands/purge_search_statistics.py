"""Delete visitors' search counts older than SHOWCASE_SEARCH_STATS_RETENTION_DAYS."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from search.statistics import purge_search_statistics, retention_cutoff


class Command(BaseCommand):
    help = (
        "Delete the counts of visitors' searches older than SHOWCASE_SEARCH_STATS_RETENTION_DAYS "
        "(395 days by default). Run it daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Override SHOWCASE_SEARCH_STATS_RETENTION_DAYS for this run.",
        )

    def handle(self, *args, days: int | None, verbosity: int, **options) -> None:
        days = settings.SHOWCASE_SEARCH_STATS_RETENTION_DAYS if days is None else days
        cutoff = retention_cutoff(days)
        deleted = purge_search_statistics(cutoff)
        if verbosity == 0:
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Deleted {deleted} day(s) of search counts from before {cutoff:%Y-%m-%d}."
            )
        )
