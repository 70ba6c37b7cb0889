"""Fixtures for the search tests: a real Elasticsearch under a private index prefix per test."""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Iterator

import pytest
from elasticsearch import Elasticsearch

from search import connection, indexing
from search.vocabulary import forget_vocabulary

SESSION_PREFIX = f"test-{os.getpid()}-{uuid.uuid4().hex[:6]}"
_numbers = itertools.count(1)


def _services_required() -> bool:
    return os.environ.get("CI", "").lower() == "true" or os.environ.get(
        "SHOWCASE_REQUIRE_SERVICES", ""
    ) in {"1", "true"}


def _answers(url: str) -> bool:
    # The minimal test distribution has no `GET /`, so ask for the cluster's health instead.
    try:
        Elasticsearch(url, request_timeout=5).cluster.health()
    except Exception:
        return False
    return True


@pytest.fixture(scope="session")
def elasticsearch_url() -> str:
    """The cluster `make test` started; skipped locally without one, a failure in CI."""
    url = os.environ.get("ELASTICSEARCH_URL", "")
    problem = ""
    if not url:
        problem = "ELASTICSEARCH_URL is not set"
    elif not _answers(url):
        problem = f"Elasticsearch does not answer at {url}"
    if problem:
        if _services_required():
            pytest.fail(problem)
        pytest.skip(problem)
    return url


@pytest.fixture(autouse=True)
def _fresh_search_state() -> Iterator[None]:
    """Caches that outlive a test's database must not leak into the next test."""
    forget_vocabulary()
    connection.mark_available()
    indexing.forget_index_state()
    yield
    forget_vocabulary()
    connection.mark_available()
    indexing.forget_index_state()


@pytest.fixture
def with_elasticsearch(elasticsearch_url: str, settings) -> Iterator[str]:
    """Point the site at the test cluster under an index prefix of this test's own."""
    prefix = f"{SESSION_PREFIX}-{next(_numbers)}"
    settings.ELASTICSEARCH_URL = elasticsearch_url
    settings.ELASTICSEARCH_INDEX_PREFIX = prefix
    yield prefix
    client = Elasticsearch(elasticsearch_url)
    # Deleting by wildcard is refused (destructive_requires_name): name each index.
    names = list(client.indices.get(index=f"{prefix}-*", allow_no_indices=True).body)
    if names:
        client.indices.delete(index=",".join(names), ignore_unavailable=True)


@pytest.fixture
def without_elasticsearch(settings) -> None:
    settings.ELASTICSEARCH_URL = ""


@pytest.fixture
def es_client(with_elasticsearch: str) -> Elasticsearch:
    return connection.get_client()
