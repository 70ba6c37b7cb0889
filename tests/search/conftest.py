"""Fixtures for the search tests: the real cluster under an index prefix of each test's own."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from elasticsearch import Elasticsearch

from tests.conftest import delete_indices
from tests.search.faults import faulty_cluster  # noqa: F401  (a fixture for several modules)

_numbers = itertools.count(1)


@pytest.fixture
def with_elasticsearch(
    elasticsearch_url: str, elasticsearch_index_prefix: str, es_client: Elasticsearch, settings
) -> Iterator[str]:
    """Point the site at the test cluster under an index prefix of this test's own."""
    prefix = f"{elasticsearch_index_prefix}-{next(_numbers)}"
    settings.ELASTICSEARCH_URL = elasticsearch_url
    settings.ELASTICSEARCH_INDEX_PREFIX = prefix
    yield prefix
    delete_indices(es_client, f"{prefix}-*")


@pytest.fixture
def without_elasticsearch(settings) -> None:
    settings.ELASTICSEARCH_URL = ""
