"""`catalogue_index rebuild|check|reconcile`: the catalogue's Elasticsearch index by hand.

Exit status, for cron and monitoring: 0 when the index matches (or was repaired), 1 when
`check` finds drift or any action fails.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from poc_catalogue.progress import progress_bar
from search.connection import alias_name, elasticsearch_configured
from search.health import index_figures
from search.indexing import IndexingFailed, find_drift, rebuild_index
from search.maintenance import (
    DocumentsRefused,
    OutdatedMapping,
    reconcile_recorded,
    recorded,
    refuse_outdated_mapping,
)
from search.models import IndexOperation
from search.stored_text import refresh_search_text


class Command(BaseCommand):
    help = (
        "rebuild: index every published POC into a new index and move the alias to it; "
        "check: compare published POCs with the index and exit 1 on any drift; "
        "reconcile: repair the drift check finds and retry failed updates."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild", "check", "reconcile"])

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action != "check":
            # The database backend's folded text, whatever Elasticsearch's state.
            count = refresh_search_text()
            self.stdout.write(f"Database search text refreshed for {count} published POCs.")
        if not elasticsearch_configured():
            if action == "check":
                raise CommandError("ELASTICSEARCH_URL is not set: there is no index to check.")
            self.stdout.write("ELASTICSEARCH_URL is not set: the database answers searches.")
            return
        # Not `check`: that name is BaseCommand's system checks, run before `handle`.
        {"rebuild": self.rebuild, "check": self.check_index, "reconcile": self.reconcile}[action]()

    def rebuild(self) -> None:
        operation = IndexOperation(kind=IndexOperation.Kind.REBUILD)
        try:
            with recorded(operation), progress_bar("POCs") as progress:
                summary = rebuild_index(progress=progress)
                operation.indexed = summary.indexed
                operation.message = f"Indexed {summary.indexed} POCs into {summary.index}."
        except IndexingFailed as error:
            raise CommandError(f"Rebuild aborted, the alias was not moved: {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {summary.indexed} POCs into {summary.index} in {summary.seconds:.1f}s "
                f"({summary.rate:.0f}/s); {alias_name()} now points to it; "
                f"{len(summary.deleted_indices)} old index(es) deleted; "
                f"{summary.pending_cleared} pending update(s) settled."
            )
        )

    def check_index(self) -> None:
        try:
            refuse_outdated_mapping()
        except OutdatedMapping as error:
            raise CommandError(str(error)) from error
        figures = index_figures()
        drift = find_drift()
        self.stdout.write(
            f"{figures.published} published POCs, "
            f"{figures.indexed or 0} documents in the index before the check."
        )
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
        self.stdout.write(
            self.style.SUCCESS(
                "The index matches the published POCs "
                f"({figures.pending} update(s) waiting for a retry)."
            )
        )

    def reconcile(self) -> None:
        try:
            summary = reconcile_recorded(IndexOperation(kind=IndexOperation.Kind.RECONCILE))
        except (OutdatedMapping, DocumentsRefused) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(summary.describe()))
