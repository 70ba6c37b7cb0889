"""Fixtures for the search tests (`with_elasticsearch` and `without_elasticsearch` are global)."""

import pytest

from tests.search.faults import faulty_cluster  # noqa: F401  (a fixture for several modules)


@pytest.fixture(params=["database", "elasticsearch"])
def backend(request) -> str:
    """Each test using it runs twice: on the database backend, then on Elasticsearch."""
    if request.param == "elasticsearch":
        request.getfixturevalue("with_elasticsearch")
    else:
        request.getfixturevalue("without_elasticsearch")
    return request.param
