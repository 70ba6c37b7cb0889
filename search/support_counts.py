"""Support counts reach the index in batches, never one update per click.

A click (`poc_catalogue.supports`) only marks its POC in `PendingSupportCount`, in the same
transaction as the count, and queues the batch task unless one is already waiting: however
many clicks, one task waits at a time. The task runs `SUPPORT_INDEX_BATCH_SECONDS` after the
first click it answers and sends the counts of every marked POC in one bulk request of
partial updates of the `supports` field: no document is rebuilt, no cached page changes.
A POC that is not in the index (unpublished) is skipped; should the cluster be down, the
marks stay for the next batch, and a rebuild or reconcile writes the counts anyway.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.dispatch import receiver
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from poc_catalogue.supports.counting import counts_of
from poc_catalogue.supports.signals import support_count_changed

from .catalogue import ELASTICSEARCH_FAILURES
from .connection import alias_name, elasticsearch_configured, get_client
from .models import PendingSupportCount

logger = logging.getLogger(__name__)

# Counts sent in one bulk request at most; more wait for the next batch.
BATCH_SIZE = 1000


@task()
def index_support_counts() -> dict[str, int]:
    """Send the counts of the POCs marked since the last batch as partial updates."""
    ids = list(
        PendingSupportCount.objects.order_by("page_id")[:BATCH_SIZE].values_list(
            "page_id", flat=True
        )
    )
    if not ids:
        return {"updated": 0, "pending": 0}
    # Unmarked first: a click during the request marks its POC again, for the next batch.
    PendingSupportCount.objects.filter(page_id__in=ids).delete()
    counts = counts_of(ids)
    operations: list[dict] = []
    for page_id in ids:
        operations.append({"update": {"_id": str(page_id), "_index": alias_name()}})
        operations.append({"doc": {"supports": counts[page_id]}})
    try:
        response = get_client().bulk(operations=operations, refresh=False, require_alias=True)
    except ELASTICSEARCH_FAILURES as error:
        mark_pending(ids)
        logger.warning(
            "Elasticsearch did not take %d support count(s) (%s); the next batch retries.",
            len(ids),
            error.__class__.__name__,
        )
        return {"updated": 0, "pending": len(ids)}
    failed = [
        int(item["update"]["_id"])
        for item in response["items"]
        if item["update"].get("error") and item["update"].get("status") != 404
    ]
    mark_pending(failed)
    remaining = PendingSupportCount.objects.exists()
    if remaining:
        schedule_batch()
    return {"updated": len(ids) - len(failed), "pending": len(failed)}


def mark_pending(page_ids: list[int]) -> None:
    PendingSupportCount.objects.bulk_create(
        [PendingSupportCount(page_id=page_id) for page_id in page_ids], ignore_conflicts=True
    )


def batch_waiting() -> bool:
    """Whether a batch is queued and not started yet: it will see any POC marked now."""
    return DBTaskResult.objects.filter(
        task_path=index_support_counts.module_path, status=TaskResultStatus.READY
    ).exists()


def schedule_batch() -> None:
    if not index_support_counts.get_backend().supports_defer:
        # A backend that runs tasks at once (the tests' default): each click is its batch.
        index_support_counts.enqueue()
        return
    if batch_waiting():
        return
    delay = timedelta(seconds=settings.SUPPORT_INDEX_BATCH_SECONDS)
    index_support_counts.using(run_after=timezone.now() + delay).enqueue()


@receiver(support_count_changed)
def on_support_count_changed(sender: type, page_id: int, **kwargs: object) -> None:
    if not elasticsearch_configured():
        return
    mark_pending([page_id])
    try:
        schedule_batch()
    except Exception:
        # A click must count even if the queue fails: the mark waits for the next batch.
        logger.exception("Could not queue the batch of support counts")
