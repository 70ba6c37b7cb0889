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
from elasticsearch import Elasticsearch, NotFoundError
from elasticsearch.helpers import scan, streaming_bulk

from poc_catalogue.models import POCPage
from poc_catalogue.published_cache import bump as bump_published_version

from .connection import alias_name, indexing_client
from .documents import document_source, index_definition
from .models import PendingIndexUpdate
from .searchable import SearchablePOC, iter_searchable

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
    pending_cleared: int = 0

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
    found = indexing_client().indices.get(index=f"{alias_name()}-v*", allow_no_indices=True)
    return sorted(found.body)


def current_index(client: Elasticsearch | None = None) -> str | None:
    try:
        found = (client or indexing_client()).indices.get_alias(name=alias_name())
    except NotFoundError:
        return None
    return next(iter(sorted(found.body)), None)


def create_index(for_bulk_load: bool = False) -> str:
    name = f"{alias_name()}-v{timezone.now():%Y%m%d%H%M%S%f}"
    index = index_definition(name)
    if for_bulk_load:
        index.settings(refresh_interval="-1")
    index.create(using=indexing_client())
    return name


def _index_action(poc: SearchablePOC, index: str) -> dict[str, Any]:
    return {
        "_op_type": "index",
        "_index": index,
        "_id": str(poc.card.page_id),
        "_source": document_source(poc),
    }


def _chunks(actions: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(actions)
    while chunk := list(islice(iterator, size)):
        yield chunk


@dataclass
class BulkOutcome:
    """How a batch of index actions went, document by document."""

    done: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def failed_ids(self) -> set[int]:
        return {int(doc_id) for doc_id, _reason in self.failures if doc_id.isdigit()}


def _refused(item: dict[str, Any]) -> tuple[str, str] | None:
    """(id, reason) of an item Elasticsearch refused; a missing document to delete is fine."""
    operation, result = next(iter(item.items()))
    if operation == "delete" and result.get("status") == 404:
        return None
    return str(result.get("_id")), str(result.get("error", result))


def _bulk(
    actions: Iterable[dict[str, Any]],
    progress: Callable[[int], None] | None = None,
    refresh: bool = False,
) -> BulkOutcome:
    """Send actions in chunks and report every document Elasticsearch refused.

    Documents are prepared (database reads) in this thread while up to `SENDERS` earlier
    chunks are sent by `streaming_bulk` from others, so Elasticsearch indexes while Python
    prepares; results are read in the order the chunks were sent. A transport failure (the
    cluster away) raises; refusals of single documents are returned.
    """
    client = indexing_client()
    outcome = BulkOutcome()

    def send(chunk: list[dict[str, Any]]) -> tuple[int, list[dict[str, Any]]]:
        refused = [
            item
            for _ok, item in streaming_bulk(
                client,
                chunk,
                chunk_size=len(chunk),
                raise_on_error=False,
                yield_ok=False,
                refresh=refresh,
                # An overloaded cluster answers 429: wait a little rather than lose the chunk.
                max_retries=2,
                initial_backoff=1,
            )
        ]
        return len(chunk), refused

    def check(sent: tuple[int, list[dict[str, Any]]]) -> None:
        count, refused = sent
        outcome.failures.extend(filter(None, map(_refused, refused)))
        outcome.done += count
        if progress:
            progress(count)

    with ThreadPoolExecutor(max_workers=SENDERS, thread_name_prefix="catalogue-bulk") as sender:
        in_flight: deque[Future] = deque()
        for chunk in _chunks(actions, BULK_CHUNK):
            in_flight.append(sender.submit(send, chunk))
            if len(in_flight) > SENDERS:
                check(in_flight.popleft().result())
        while in_flight:
            check(in_flight.popleft().result())
    return outcome


def move_alias(new_index: str) -> None:
    """Point the alias at `new_index` in one atomic call, whatever it pointed at before."""
    client = indexing_client()
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


def rebuild_index(
    progress: Progress | None = None,
    pocs: Iterable[SearchablePOC] | None = None,
    total: int | None = None,
) -> RebuildSummary:
    """Index every published POC into a new index, swap the alias, delete the old indices.

    Retries waiting from before the rebuild are settled by it and forgotten; those queued
    while it ran may concern changes it read too early, and stay for the next sync.
    `pocs` (with their `total`) replaces the database's POCs: the scale benchmark indexes
    generated ones through this very path.
    """
    started_at = timezone.now()
    started = time.perf_counter()
    client = indexing_client()
    new_index = create_index(for_bulk_load=True)
    if pocs is None:
        pocs, total = iter_searchable(), POCPage.objects.published().count()
    total = total or 0
    done = 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        if progress:
            progress(done, total)

    try:
        actions = (_index_action(poc, new_index) for poc in pocs)
        outcome = _bulk(actions, advance)
        if outcome.failures:
            raise IndexingFailed(outcome.failures)
        client.indices.put_settings(index=new_index, settings={"refresh_interval": "1s"})
        client.indices.refresh(index=new_index)
        move_alias(new_index)
        bump_published_version()
    except Exception:
        client.indices.delete(index=new_index, ignore_unavailable=True)
        raise
    cleared, _ = PendingIndexUpdate.objects.filter(queued_at__lt=started_at).delete()
    old = [name for name in versioned_indices() if name != new_index]
    if old:
        client.indices.delete(index=",".join(old), ignore_unavailable=True)
    if progress and total == 0:
        progress(0, 0)
    return RebuildSummary(new_index, outcome.done, old, time.perf_counter() - started, cleared)


_alias_seen = False


def ensure_index() -> None:
    """Create an empty index behind the alias if there is none yet, so updates have a home."""
    global _alias_seen
    if _alias_seen:
        return
    if not indexing_client().indices.exists_alias(name=alias_name()):
        move_alias(create_index())
    _alias_seen = True


def forget_index_state() -> None:
    global _alias_seen
    _alias_seen = False


@dataclass
class UpdateOutcome:
    indexed: set[int] = field(default_factory=set)
    removed: set[int] = field(default_factory=set)
    failed: set[int] = field(default_factory=set)


def update_pocs(page_ids: Iterable[int]) -> UpdateOutcome:
    """Index these POCs if published, remove them otherwise.

    Documents Elasticsearch refuses are reported in `failed`, not raised: the caller keeps
    them for a retry. A cluster that does not answer raises.
    """
    ids = sorted(set(page_ids))
    result = UpdateOutcome()
    if not ids:
        return result
    ensure_index()
    alias = alias_name()

    def actions() -> Iterator[dict[str, Any]]:
        published = iter_searchable(POCPage.objects.published().filter(pk__in=ids))
        for poc in published:
            result.indexed.add(poc.card.page_id)
            yield _index_action(poc, alias)
        for page_id in sorted(set(ids) - result.indexed):
            result.removed.add(page_id)
            yield {"_op_type": "delete", "_index": alias, "_id": str(page_id)}

    # Refreshed at once: an editor who publishes expects visitors to find the POC now.
    outcome = _bulk(actions(), refresh=True)
    result.failed = outcome.failed_ids
    result.indexed -= result.failed
    result.removed -= result.failed
    if result.indexed or result.removed:
        # Pages cached while the index lagged behind the publication (similar and nearby
        # POCs come from it) are made again from the index as it now is.
        bump_published_version()
    if outcome.failures:
        logger.warning(
            "Elasticsearch refused %d POC update(s): %s",
            len(outcome.failures),
            "; ".join(f"{doc_id}: {reason[:200]}" for doc_id, reason in outcome.failures[:3]),
        )
    return result


def indexed_fingerprints() -> dict[int, str]:
    return {
        int(hit["_id"]): hit["_source"].get("fingerprint", "")
        for hit in scan(
            indexing_client(),
            index=alias_name(),
            query={"_source": ["fingerprint"], "query": {"match_all": {}}},
            size=1000,
        )
    }


def outdated_fields(client: Elasticsearch | None = None) -> list[str]:
    """Fields this version indexes that the live index lacks or maps otherwise (an index
    built by an older version): only a rebuild gives them their analysers."""
    client = client or indexing_client()
    index = current_index(client)
    if index is None:
        return []
    answer = client.indices.get_mapping(index=index).body
    live = answer[index]["mappings"].get("properties", {})
    wanted = index_definition(index).to_dict()["mappings"]["properties"]

    def shape(field: dict[str, Any]) -> tuple:
        return field.get("type", "object"), field.get("analyzer")

    return sorted(
        name
        for name, field in wanted.items()
        if name not in live or shape(live[name]) != shape(field)
    )


def find_drift() -> Drift:
    """Compare published POCs with the index: missing, stale (content changed) and orphaned."""
    ensure_index()
    refresh()  # see the updates made in the last second too
    indexed = indexed_fingerprints()
    drift = Drift()
    for poc in iter_searchable():
        page_id = poc.card.page_id
        if page_id not in indexed:
            drift.missing.append(page_id)
        elif indexed.pop(page_id) != document_source(poc)["fingerprint"]:
            drift.stale.append(page_id)
    drift.orphaned = sorted(indexed)
    return drift


def refresh() -> None:
    indexing_client().indices.refresh(index=alias_name())
