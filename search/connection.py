"""The Elasticsearch client and index names, read from settings.

Short timeouts: a slow or absent cluster must cost a visitor or an editor a bounded delay,
after which the database answers and `reconcile` repairs. `ELASTICSEARCH_URL` may list every
node of a cluster, comma-separated: a request that cannot reach one node is tried on the next
(never after a timeout, which would multiply the wait), so losing a node costs nothing.
"""

from __future__ import annotations

import threading
import time
from functools import lru_cache
from typing import Any

import orjson
from django.conf import settings
from elasticsearch import Elasticsearch
from elasticsearch.serializer import NdjsonSerializer, OrjsonSerializer

# After a failed request, the database answers for this long before Elasticsearch is tried
# again, so an outage adds one timeout, not one per request.
COOL_DOWN_SECONDS = 30.0

_lock = threading.Lock()
_unavailable_until = 0.0


def elasticsearch_configured() -> bool:
    return bool(settings.ELASTICSEARCH_URL)


def elasticsearch_nodes(url: str | None = None) -> list[str]:
    """The node URLs in `ELASTICSEARCH_URL` (or `url`), comma-separated there."""
    raw = settings.ELASTICSEARCH_URL if url is None else url
    return [node.strip() for node in raw.split(",") if node.strip()]


class OrjsonNdjsonSerializer(NdjsonSerializer):
    """Bulk and msearch bodies through orjson as well: the client ships orjson for JSON only.

    Encoding documents was a fifth of an index rebuild's time with the standard library.
    """

    def json_dumps(self, data: Any) -> bytes:
        return orjson.dumps(data, default=self.default)

    def json_loads(self, data: bytes) -> Any:
        return orjson.loads(data)


SERIALIZERS = {
    "application/json": OrjsonSerializer(),
    "application/x-ndjson": OrjsonNdjsonSerializer(),
}


@lru_cache(maxsize=4)
def _client_for(url: str, timeout: float) -> Elasticsearch:
    nodes = elasticsearch_nodes(url)
    return Elasticsearch(
        nodes,
        request_timeout=timeout,
        max_retries=len(nodes) - 1,
        retry_on_timeout=False,
        serializers=SERIALIZERS,
    )


def get_client() -> Elasticsearch:
    """For visitors' searches: `ELASTICSEARCH_TIMEOUT`, then the database answers."""
    return _client_for(settings.ELASTICSEARCH_URL, float(settings.ELASTICSEARCH_TIMEOUT))


def indexing_client() -> Elasticsearch:
    """For writing and checking the index (rebuild, check, reconcile, live sync).

    Nobody waits on these but an operator or the task worker, and a bulk chunk on a busy
    cluster can take longer than a visitor's timeout: a rebuild must not fail for that. A
    write that timed out is tried again on the next node, which is safe because every
    write names its document id.
    """
    return get_client().options(
        request_timeout=float(settings.ELASTICSEARCH_INDEXING_TIMEOUT), retry_on_timeout=True
    )


def alias_name() -> str:
    """The alias visitors' searches read; it points at one versioned index at a time."""
    return f"{settings.ELASTICSEARCH_INDEX_PREFIX}-pocs"


def cooling_down() -> bool:
    with _lock:
        return time.monotonic() < _unavailable_until


def mark_unavailable() -> None:
    global _unavailable_until
    with _lock:
        _unavailable_until = time.monotonic() + COOL_DOWN_SECONDS


def mark_available() -> None:
    global _unavailable_until
    with _lock:
        _unavailable_until = 0.0
