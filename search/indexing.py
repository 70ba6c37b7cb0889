"""The catalogue index over time: rebuild behind an alias, live updates, drift check and repair.

Searches read an alias (`<prefix>-pocs`) that points at one versioned index
(`<prefix>-pocs-v<timestamp>`). A rebuild fills a new index, then moves the alias in one
atomic `_aliases` call and deletes the old indices, so visitors never see a half-built index.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.utils import timezone
from elasticsearch import NotFoundError
from elasticsearch.helpers import scan

from poc_catalogue.models import POCPage

from .connection import alias_name, get_client
from .documents import document_source, index_definition
from .poc_content import PageUrls, iter_published_pocs, published_pocs

logger = logging.getLogger(__name__)

BULK_CHUNK = 500
# Chunks sent at once while the next is prepared: Elasticsearch indexes on more than one thread.
SENDERS = 2
Progress = Callable[[int, int], None]


class IndexingFailed(RuntimeError):
    """Some documents were refused; the message lists the first reasons."""

    def __init__(self, failures: list[tuple[str, str]]) -> None:
        self.failures = failures
        reasons = "; ".join(f"{doc_id}: {reason}" for doc_id, reason in failures[:5])
        super().__init__(f"{len(failures)} document(s) failed: {reasons}")


@dataclass
class RebuildSummary:
    index: str
    indexed: int
    deleted_indices: list[str]
    seconds: float

    @property
    def rate(self) -> float:
        return self.indexed / self.seconds if self.seconds else 0.0


@dataclass
class Drift:
    missing: list[int] = field(default_factory=list)
    stale: list[int] = field(default_factory=list)
    orphaned: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.missing) + len(self.stale) + len(self.orphaned)

    def describe(self) -> str:
        return (
            f"{len(self.missing)} missing, {len(self.stale)} stale, {len(self.orphaned)} orphaned"
        )


def versioned_indices() -> list[str]:
    """Every index this site's alias ever pointed at, current one included."""
    found = get_client().indices.get(index=f"{alias_name()}-v*", allow_no_indices=True)
    return sorted(found.body)


def current_index() -> str | None:
    try:
        found = get_client().indices.get_alias(name=alias_name())
    except NotFoundError:
        return None
    return next(iter(sorted(found.body)), None)


def create_index(for_bulk_load: bool = False) -> str:
    name = f"{alias_name()}-v{timezone.now():%Y%m%d%H%M%S%f}"
    index = index_definition(name)
    if for_bulk_load:
        index.settings(refresh_interval="-1")
    index.create(using=get_client())
    return name


def _actions(pages: Iterable[POCPage], index: str) -> Iterator[dict[str, Any]]:
    thumbnails: dict[int, str] = {}
    urls = PageUrls()
    for page in pages:
        yield {
            "_op_type": "index",
            "_index": index,
            "_id": str(page.pk),
            "_source": document_source(page, thumbnails, urls),
        }


def _chunks(actions: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(actions)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _operations(chunk: list[dict[str, Any]]) -> list[dict[str, Any]]:
    operations: list[dict[str, Any]] = []
    for action in chunk:
        meta = {"_index": action["_index"], "_id": action["_id"]}
        operations.append({action["_op_type"]: meta})
        if action["_op_type"] == "index":
            operations.append(action["_source"])
    return operations


def _bulk(
    actions: Iterable[dict[str, Any]],
    progress: Callable[[], None] | None = None,
    refresh: bool = False,
) -> int:
    """Send actions in chunks, checking each item's result; a missing document to delete is fine.

    Documents are prepared (database reads) in this thread while up to `SENDERS` earlier
    chunks are sent from others, so Elasticsearch indexes while Python prepares; results
    are checked in the order the chunks were sent.
    """
    client = get_client()
    failures: list[tuple[str, str]] = []
    done = 0

    def send(chunk: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return client.bulk(operations=_operations(chunk), refresh=refresh).body["items"]

    def check(items: list[dict[str, Any]]) -> None:
        nonlocal done
        for item in items:
            operation, result = next(iter(item.items()))
            status = result.get("status", 500)
            if status >= 300 and not (operation == "delete" and status == 404):
                failures.append((str(result.get("_id")), str(result.get("error", result))))
            done += 1
            if progress:
                progress()

    with ThreadPoolExecutor(max_workers=SENDERS, thread_name_prefix="catalogue-bulk") as sender:
        in_flight: deque[Future] = deque()
        for chunk in _chunks(actions, BULK_CHUNK):
            in_flight.append(sender.submit(send, chunk))
            if len(in_flight) > SENDERS:
                check(in_flight.popleft().result())
        while in_flight:
            check(in_flight.popleft().result())
    if failures:
        raise IndexingFailed(failures)
    return done


def move_alias(new_index: str) -> None:
    """Point the alias at `new_index` in one atomic call, whatever it pointed at before."""
    client = get_client()
    alias = alias_name()
    actions: list[dict[str, Any]] = []
    if client.indices.exists(index=alias) and not client.indices.exists_alias(name=alias):
        # An index auto-created under the alias's name would block it: replace it atomically.
        actions.append({"remove_index": {"index": alias}})
    previous = current_index()
    if previous:
        actions.append({"remove": {"index": previous, "alias": alias}})
    actions.append({"add": {"index": new_index, "alias": alias}})
    client.indices.update_aliases(actions=actions)


def rebuild_index(progress: Progress | None = None) -> RebuildSummary:
    """Index every published POC into a new index, swap the alias, delete the old indices."""
    started = time.perf_counter()
    client = get_client()
    new_index = create_index(for_bulk_load=True)
    total = published_pocs().count()
    done = 0

    def advance() -> None:
        nonlocal done
        done += 1
        if progress and (done % BULK_CHUNK == 0 or done == total):
            progress(done, total)

    try:
        indexed = _bulk(_actions(iter_published_pocs(BULK_CHUNK), new_index), advance)
        client.indices.put_settings(index=new_index, settings={"refresh_interval": "1s"})
        client.indices.refresh(index=new_index)
        move_alias(new_index)
    except Exception:
        client.indices.delete(index=new_index, ignore_unavailable=True)
        raise
    old = [name for name in versioned_indices() if name != new_index]
    if old:
        client.indices.delete(index=",".join(old), ignore_unavailable=True)
    if progress and total == 0:
        progress(0, 0)
    return RebuildSummary(new_index, indexed, old, time.perf_counter() - started)


_alias_seen = False


def ensure_index() -> None:
    """Create an empty index behind the alias if there is none yet, so updates have a home."""
    global _alias_seen
    if _alias_seen:
        return
    if not get_client().indices.exists_alias(name=alias_name()):
        move_alias(create_index())
    _alias_seen = True


def forget_index_state() -> None:
    global _alias_seen
    _alias_seen = False


def update_pocs(page_ids: Iterable[int]) -> tuple[int, int]:
    """Index these POCs if live, remove them otherwise; returns (indexed, removed)."""
    ids = sorted(set(page_ids))
    if not ids:
        return 0, 0
    ensure_index()
    alias = alias_name()
    counts = {"indexed": 0, "removed": 0}

    def actions() -> Iterator[dict[str, Any]]:
        thumbnails: dict[int, str] = {}
        urls = PageUrls()
        for start in range(0, len(ids), BULK_CHUNK):
            chunk = ids[start : start + BULK_CHUNK]
            live = list(published_pocs().filter(pk__in=chunk))
            for page in live:
                counts["indexed"] += 1
                yield {
                    "_op_type": "index",
                    "_index": alias,
                    "_id": str(page.pk),
                    "_source": document_source(page, thumbnails, urls),
                }
            live_ids = {page.pk for page in live}
            for page_id in chunk:
                if page_id not in live_ids:
                    counts["removed"] += 1
                    yield {"_op_type": "delete", "_index": alias, "_id": str(page_id)}

    # Refreshed at once: an editor who publishes expects visitors to find the POC now.
    _bulk(actions(), refresh=True)
    return counts["indexed"], counts["removed"]


def indexed_fingerprints() -> dict[int, str]:
    return {
        int(hit["_id"]): hit["_source"].get("fingerprint", "")
        for hit in scan(
            get_client(),
            index=alias_name(),
            query={"_source": ["fingerprint"], "query": {"match_all": {}}},
            size=1000,
        )
    }


def find_drift() -> Drift:
    """Compare published POCs with the index: missing, stale (content changed) and orphaned."""
    ensure_index()
    refresh()  # see the updates made in the last second too
    indexed = indexed_fingerprints()
    drift = Drift()
    thumbnails: dict[int, str] = {}
    urls = PageUrls()
    for page in iter_published_pocs(BULK_CHUNK):
        if page.pk not in indexed:
            drift.missing.append(page.pk)
        elif indexed.pop(page.pk) != document_source(page, thumbnails, urls)["fingerprint"]:
            drift.stale.append(page.pk)
    drift.orphaned = sorted(indexed)
    return drift


def refresh() -> None:
    get_client().indices.refresh(index=alias_name())
