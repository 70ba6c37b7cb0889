"""The real services for the whole suite, and how a test asks for them.

A test that needs Elasticsearch, PostgreSQL or the browser says so, with a marker
(`@pytest.mark.elasticsearch`, `@pytest.mark.postgres`, `@pytest.mark.browser`) or by using the
matching fixture (`elasticsearch_url`, `es_client`, `postgres_database`, `chromium_path`). When the
service is missing the test is skipped locally, with the reason, but fails in CI (`CI=true`) and
under `scripts/with-services.sh` (`SHOWCASE_REQUIRE_SERVICES=1`, which `make test` uses): a service
test never passes by skipping there.

Each run gets its own Elasticsearch index prefix, so concurrent runs on one cluster never collide,
and deletes the indices under that prefix when it ends.
"""

from __future__ import annotations

import itertools
import os
import secrets
import shutil
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from elasticsearch import Elasticsearch

from tests.mailserver import smtp_server  # noqa: F401  (a fixture for every module)

SERVICE_MARKERS = ("elasticsearch", "postgres", "browser")
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


def services_required() -> bool:
    """True in CI and under scripts/with-services.sh, where a missing service is a failure."""
    flags = (os.environ.get("CI", ""), os.environ.get("SHOWCASE_REQUIRE_SERVICES", ""))
    return any(flag.strip().lower() in {"1", "true", "yes"} for flag in flags)


def service_missing(reason: str) -> None:
    """Skip the current test, or fail it when services are required."""
    if services_required():
        pytest.fail(f"{reason} (services are required: CI or SHOWCASE_REQUIRE_SERVICES is set)")
    # Reported at the test's location, as a skipif marker is, not at this line.
    raise pytest.skip.Exception(reason, _use_item_location=True)


@cache
def elasticsearch_problem() -> str | None:
    """Why Elasticsearch cannot be used, or None when it answers; checked once per run."""
    url = settings.ELASTICSEARCH_URL
    if not url:
        return "needs Elasticsearch: ELASTICSEARCH_URL is not set (make test or make services)"
    try:
        health = Elasticsearch(url.split(","), request_timeout=10).cluster.health(
            wait_for_status="yellow", timeout="10s"
        )
    except Exception as exc:  # any transport or HTTP failure means the same thing here
        return f"needs Elasticsearch: {url} does not answer ({exc.__class__.__name__}: {exc})"
    if health["status"] not in {"yellow", "green"}:
        return f"needs Elasticsearch: {url} is {health['status']}"
    return None


def postgres_problem() -> str | None:
    if connection.vendor != "postgresql":
        return (
            f"needs PostgreSQL: the database is {connection.vendor} "
            "(DATABASE_URL is not a postgres:// URL; make test sets it)"
        )
    return None


# Headless, and quiet on a machine whose only network is the loopback.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def find_chromium() -> str | None:
    configured = os.environ.get("SHOWCASE_CHROMIUM", "")
    for candidate in (configured, *CHROMIUM_CANDIDATES):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def browser_problem() -> str | None:
    if find_chromium() is None:
        return "needs the OS Chromium (apt-get install chromium, or set SHOWCASE_CHROMIUM)"
    return None


SERVICE_PROBLEMS = {
    "elasticsearch": elasticsearch_problem,
    "postgres": postgres_problem,
    "browser": browser_problem,
}


def pytest_configure(config: pytest.Config) -> None:
    # Settings are already loaded by pytest-django: change the live value, and the environment
    # for any subprocess (manage.py commands) the tests start.
    prefix = f"showcase-test-{os.getpid()}-{secrets.token_hex(3)}"
    settings.ELASTICSEARCH_INDEX_PREFIX = prefix
    os.environ["ELASTICSEARCH_INDEX_PREFIX"] = prefix
    # Subprocesses share this run's media folder instead of each making a new one.
    os.environ.setdefault("MEDIA_ROOT", str(settings.MEDIA_ROOT))


def pytest_unconfigure(config: pytest.Config) -> None:
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.name.startswith("showcase-test-media-"):
        shutil.rmtree(media_root, ignore_errors=True)


def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker in SERVICE_MARKERS:
        if item.get_closest_marker(marker):
            problem = SERVICE_PROBLEMS[marker]()
            if problem:
                service_missing(problem)


@pytest.fixture(scope="session")
def elasticsearch_index_prefix() -> str:
    """This run's prefix: every index a test creates starts with it."""
    return settings.ELASTICSEARCH_INDEX_PREFIX


@pytest.fixture(scope="session")
def elasticsearch_url() -> str:
    """The URL of a running Elasticsearch (skips or fails the test when there is none)."""
    problem = elasticsearch_problem()
    if problem:
        service_missing(problem)
    return settings.ELASTICSEARCH_URL


@pytest.fixture(scope="session")
def es_client(elasticsearch_url: str) -> Iterator[Elasticsearch]:
    """An elasticsearch-py client for the running cluster."""
    with Elasticsearch(elasticsearch_url.split(","), request_timeout=30) as client:
        yield client


@pytest.fixture
def elasticsearch_index_name(
    request: pytest.FixtureRequest, es_client: Elasticsearch, elasticsearch_index_prefix: str
) -> Iterator[str]:
    """A fresh index name for one test, under this run's prefix; the index is deleted after it."""
    name = f"{elasticsearch_index_prefix}-{request.node.name}-{secrets.token_hex(2)}".lower()
    name = "".join(char if char.isalnum() or char in "-_" else "-" for char in name)
    yield name
    delete_indices(es_client, name)


def delete_indices(client: Elasticsearch, pattern: str) -> None:
    """Delete by explicit names: clusters refuse wildcard deletes (destructive_requires_name)."""
    names = list(client.indices.get(index=pattern, expand_wildcards="all", ignore_unavailable=True))
    if names:
        client.indices.delete(index=",".join(names), ignore_unavailable=True)


@pytest.fixture(scope="session", autouse=True)
def _delete_this_runs_indices(elasticsearch_index_prefix: str) -> Iterator[None]:
    """Delete every index this run created, whether through a fixture or the code under test."""
    yield
    if settings.ELASTICSEARCH_URL and elasticsearch_problem() is None:
        with Elasticsearch(settings.ELASTICSEARCH_URL.split(","), request_timeout=30) as client:
            delete_indices(client, f"{elasticsearch_index_prefix}*")


_test_numbers = itertools.count(1)


def _forget_search_state() -> None:
    from search import connection as search_connection
    from search import indexing
    from search.facet_labels import forget_facet_labels
    from search.steering import forget_steering_rules

    forget_facet_labels()
    forget_steering_rules()
    search_connection.mark_available()
    indexing.forget_index_state()


@pytest.fixture(autouse=True)
def _empty_caches() -> Iterator[None]:
    """Nothing cached outlives its test's database rows.

    SQLite reuses the ids of rolled-back rows: a rendition Wagtail cached for one test's image
    would otherwise be served for another test's image of the same id, with no row behind it.
    """
    yield
    for backend in caches.all():
        backend.clear()


@pytest.fixture(autouse=True)
def _own_search_index(settings, elasticsearch_index_prefix: str) -> Iterator[None]:
    """Each test indexes under a prefix of its own, with the search caches emptied.

    Otherwise the POCs one test publishes stay in the run's index and turn up in the next
    test's catalogue, long after that test's database rows are gone.
    """
    prefix = f"{elasticsearch_index_prefix}-t{next(_test_numbers)}"
    settings.ELASTICSEARCH_INDEX_PREFIX = prefix
    _forget_search_state()
    yield
    _forget_search_state()
    if settings.ELASTICSEARCH_URL and elasticsearch_problem() is None:
        with Elasticsearch(settings.ELASTICSEARCH_URL.split(","), request_timeout=30) as client:
            delete_indices(client, f"{prefix}-*")


_with_elasticsearch_numbers = itertools.count(1)


@pytest.fixture
def with_elasticsearch(
    elasticsearch_url: str, elasticsearch_index_prefix: str, es_client: Elasticsearch, settings
) -> Iterator[str]:
    """Point the site at the test cluster under an index prefix of this test's own."""
    prefix = f"{elasticsearch_index_prefix}-{next(_with_elasticsearch_numbers)}"
    settings.ELASTICSEARCH_URL = elasticsearch_url
    settings.ELASTICSEARCH_INDEX_PREFIX = prefix
    yield prefix
    delete_indices(es_client, f"{prefix}-*")


@pytest.fixture
def without_elasticsearch(settings) -> None:
    """The embedded default: no Elasticsearch, the database answers every search."""
    settings.ELASTICSEARCH_URL = ""


@pytest.fixture
def durable_queue(settings) -> None:
    """Tasks wait in the database for `manage.py db_worker`, as they do in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def postgres_database(db: None) -> None:
    """Database access on PostgreSQL (skips or fails the test on any other database)."""
    problem = postgres_problem()
    if problem:
        service_missing(problem)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """The OS Chromium for Playwright's executable_path (skips or fails when missing)."""
    problem = browser_problem()
    if problem:
        service_missing(problem)
    return find_chromium() or ""
