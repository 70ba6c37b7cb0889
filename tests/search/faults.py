"""Fault injection on top of the real cluster: a transport node that can time out or refuse.

Everything goes to the real Elasticsearch until a test switches a fault on.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

import pytest
from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport import ConnectionTimeout, Urllib3HttpNode
from elasticsearch import Elasticsearch

from search import connection


class FaultyNode(Urllib3HttpNode):
    fault: str | None = None  # "timeout", "refused" or None
    calls = 0

    def perform_request(self, *args, **kwargs):
        type(self).calls += 1
        if self.fault == "timeout":
            time.sleep(0.05)
            raise ConnectionTimeout("injected: the cluster did not answer in time")
        if self.fault == "refused":
            raise TransportConnectionError("injected: connection refused")
        return super().perform_request(*args, **kwargs)


@contextlib.contextmanager
def fault(kind: str | None) -> Iterator[None]:
    previous = FaultyNode.fault
    FaultyNode.fault = kind
    try:
        yield
    finally:
        FaultyNode.fault = previous


@pytest.fixture
def faulty_cluster(with_elasticsearch: str, settings, monkeypatch) -> type[FaultyNode]:
    """The site's client goes through `FaultyNode` to the real cluster."""
    client = Elasticsearch(
        settings.ELASTICSEARCH_URL,
        node_class=FaultyNode,
        request_timeout=2,
        max_retries=0,
        retry_on_timeout=False,
    )
    monkeypatch.setattr(connection, "_client_for", lambda url, timeout: client)
    FaultyNode.fault = None
    FaultyNode.calls = 0
    yield FaultyNode
    FaultyNode.fault = None
