"""`catalogue_index rebuild|check|reconcile`: the catalogue's Elasticsearch index by hand."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from search.connection import alias_name, elasticsearch_configured
from search.indexing import IndexingFailed, find_drift, rebuild_index, update_pocs
from search.models import PendingIndexUpdate
from search.poc_content import iter_published_pocs, save_search_text

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "rebuild: index every published POC into a new index and move the alias to it; "
        "check: compare published POCs with the index and exit 1 on any drift; "
        "reconcile: repair the drift check finds."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild", "check", "reconcile"])

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action != "check":
            # The database backend's folded text, whatever Elasticsearch's state.
            count = save_search_text(iter_published_pocs())
            self.stdout.write(f"Database search text refreshed for {count} published POCs.")
        if not elasticsearch_configured():
            if action == "check":
                raise CommandError("ELASTICSEARCH_URL is not set: there is no index to check.")
            self.stdout.write("ELASTICSEARCH_URL is not set: the database answers searches.")
            return
        getattr(self, action)()

    def progress(self, done: int, total: int) -> None:
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        percent = 100 * done // total if total else 100
        end = "\n" if done >= total else ""
        sys.stderr.write(
            f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {percent:3d}% {done}/{total}{end}"
        )
        sys.stderr.flush()

    def rebuild(self) -> None:
        try:
            summary = rebuild_index(progress=self.progress)
        except IndexingFailed as error:
            raise CommandError(f"Rebuild aborted, the alias was not moved: {error}") from error
        PendingIndexUpdate.objects.all().delete()
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {summary.indexed} POCs into {summary.index} in {summary.seconds:.1f}s "
                f"({summary.rate:.0f}/s); {alias_name()} now points to it; "
                f"{len(summary.deleted_indices)} old index(es) deleted."
            )
        )

    def check(self) -> None:
        drift = find_drift()
        if drift.total:
            self.stdout.write(self.style.ERROR(f"Index drift: {drift.describe()}."))
            for label, ids in (
                ("missing", drift.missing),
                ("stale", drift.stale),
                ("orphaned", drift.orphaned),
            ):
                if ids:
                    self.stdout.write(f"  {label}: {', '.join(map(str, ids[:20]))}")
            raise CommandError(f"The index has drifted ({drift.describe()}): run reconcile.")
        self.stdout.write(self.style.SUCCESS("The index matches the published POCs."))

    def reconcile(self) -> None:
        started = time.perf_counter()
        drift = find_drift()
        pending = list(PendingIndexUpdate.objects.values_list("page_id", flat=True))
        ids = sorted(set(drift.missing + drift.stale + drift.orphaned + pending))
        indexed, removed = update_pocs(ids) if ids else (0, 0)
        PendingIndexUpdate.objects.filter(page_id__in=ids).delete()
        self.stdout.write(
            self.style.SUCCESS(
                f"Reconciled in {time.perf_counter() - started:.1f}s: {drift.describe()} found; "
                f"{indexed} indexed, {removed} removed."
            )
        )
