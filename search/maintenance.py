"""Repairing the catalogue index, by hand or from the dashboard, and the record of each repair.

`catalogue_index reconcile` and the dashboard's "reconcile now" (a task on the durable queue,
so the request returns at once) run the same `reconcile_index()`; every rebuild and reconcile
leaves an `IndexOperation` saying when it ran, who asked, and how it ended.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from .indexing import Drift, UpdateOutcome, find_drift, outdated_fields, update_pocs
from .models import IndexOperation, PendingIndexUpdate
from .sync import settle_pending

logger = logging.getLogger(__name__)

# Records older than this are forgotten: cron reconciles every five minutes.
OPERATIONS_KEPT_DAYS = 30


class OutdatedMapping(RuntimeError):
    """The index was built by an older version of the site: only a rebuild helps."""

    def __init__(self, fields: list[str]) -> None:
        self.fields = fields
        super().__init__(
            "The index was built by an older version of the site (fields missing or mapped "
            f"otherwise: {', '.join(fields[:10])}): run `catalogue_index rebuild`."
        )


class DocumentsRefused(RuntimeError):
    """Elasticsearch refused some documents; they wait in `PendingIndexUpdate`."""


@dataclass(frozen=True)
class ReconcileSummary:
    drift: Drift
    pending: int
    outcome: UpdateOutcome
    seconds: float

    def describe(self) -> str:
        return (
            f"Reconciled in {self.seconds:.1f}s: {self.drift.describe()} found, "
            f"{self.pending} pending; {len(self.outcome.indexed)} indexed, "
            f"{len(self.outcome.removed)} removed."
        )


def refuse_outdated_mapping() -> None:
    outdated = outdated_fields()
    if outdated:
        raise OutdatedMapping(outdated)


def reconcile_index() -> ReconcileSummary:
    """Re-send the missing and stale POCs, delete the orphans, retry the pending updates."""
    refuse_outdated_mapping()  # re-sending documents would not fix it
    started = time.perf_counter()
    drift = find_drift()
    pending = set(PendingIndexUpdate.objects.values_list("page_id", flat=True))
    ids = sorted(set(drift.missing + drift.stale + drift.orphaned) | pending)
    outcome = update_pocs(ids)
    settle_pending(ids, outcome.failed)
    return ReconcileSummary(drift, len(pending), outcome, time.perf_counter() - started)


@contextlib.contextmanager
def recorded(operation: IndexOperation) -> Iterator[IndexOperation]:
    """Save `operation` as running, then as done or failed (with the error) when it ends."""
    if operation.pk is None:
        operation.save()
    try:
        yield operation
    except BaseException as error:
        operation.outcome = IndexOperation.Outcome.FAILED
        operation.message = f"{error.__class__.__name__}: {error}"[:2000]
        operation.finished_at = timezone.now()
        operation.save()
        raise
    if operation.outcome == IndexOperation.Outcome.RUNNING:
        operation.outcome = IndexOperation.Outcome.SUCCEEDED
    operation.finished_at = timezone.now()
    operation.save()
    forget_old_operations()


def forget_old_operations() -> None:
    cutoff = timezone.now() - timedelta(days=OPERATIONS_KEPT_DAYS)
    IndexOperation.objects.filter(started_at__lt=cutoff).delete()


def reconcile_recorded(operation: IndexOperation) -> ReconcileSummary:
    """`reconcile_index()` with its record; raises `DocumentsRefused` when some were refused."""
    with recorded(operation):
        summary = reconcile_index()
        operation.indexed = len(summary.outcome.indexed)
        operation.removed = len(summary.outcome.removed)
        operation.failed = len(summary.outcome.failed)
        operation.message = summary.describe()
        if summary.outcome.failed:
            refused = ", ".join(map(str, sorted(summary.outcome.failed)[:20]))
            raise DocumentsRefused(
                f"{summary.describe()} Elasticsearch refused {len(summary.outcome.failed)} "
                f"POC(s), kept for a retry: {refused}."
            )
    return summary


@task()
def reconcile_from_dashboard(operation_id: int) -> dict[str, int | str]:
    """The dashboard's "reconcile now", run by the task worker; its record says the result."""
    operation = IndexOperation.objects.get(pk=operation_id)
    operation.started_at = timezone.now()
    try:
        reconcile_recorded(operation)
    except Exception as error:
        # Recorded with its message for the dashboard; the task itself has nothing to retry.
        logger.warning("The reconcile asked from the dashboard failed: %s", error)
    return {"outcome": operation.outcome, "corrected": operation.corrected}
