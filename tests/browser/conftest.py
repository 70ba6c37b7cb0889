"""Playwright on the operating system's Chromium, against pytest-django's live server.

`chromium_path` (tests/conftest.py) skips these tests locally when Chromium or Playwright is
missing and fails them under CI=true or SHOWCASE_REQUIRE_SERVICES=1. A failing test leaves a
screenshot in test-artifacts/.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection, connections

from tests.browser.catalogue_data import build_catalogue
from tests.conftest import CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "static" / "vendor" / "axe-core" / "axe.min.js"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):
    """Playwright's event loop runs in the test thread, which also uses the ORM (fixtures,
    database flushes): allow it for browser tests only, so no other test's subprocess
    inherits the variable."""
    if item.get_closest_marker("browser") is None:
        return (yield)
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        return (yield)
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


# Per module: another module may drive its own Playwright, which cannot start while one runs.
@pytest.fixture(scope="module")
def chromium(chromium_path: str, _migrated_data: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        if _migrated_data and not hasattr(connection, "_test_serialized_contents"):
            connection._test_serialized_contents = _migrated_data
        yield browser
        browser.close()
    # While Playwright's loop ran, Django gave this thread a separate connection (one per async
    # context), which the tests' own teardown never sees: close it, or it outlives the run and
    # PostgreSQL refuses to drop the test database.
    connections.close_all()


def _open_page(chromium, request: pytest.FixtureRequest, **context_options) -> Iterator:
    context = chromium.new_context(
        viewport={"width": 1280, "height": 900}, locale="fr-FR", **context_options
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()
    # Whatever the test checked, nothing the page wanted was refused by its own policy.
    assert not refused, "Content-Security-Policy refused: " + "\n".join(refused)


@pytest.fixture
def page(chromium, request):
    """A fresh browser tab with JavaScript."""
    yield from _open_page(chromium, request)


@pytest.fixture
def page_without_js(chromium, request):
    yield from _open_page(chromium, request, java_script_enabled=False)


@pytest.fixture
def axe_violations():
    """Run axe-core (WCAG 2.1 A and AA rules) on a page and return the violations."""
    if not AXE.exists():
        pytest.fail(f"{AXE.relative_to(ROOT)} is missing: run `make vendor`.")
    source = AXE.read_text()

    def run(page) -> list[dict]:
        # Evaluated through the DevTools protocol: the page's CSP rightly refuses script tags.
        page.evaluate(source)
        return page.evaluate(
            """async () => (await axe.run(document, {
                runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
            })).violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 5).map(n => n.target.join(" "))}))"""
        )

    return run


@pytest.fixture(scope="session")
def _migrated_data(django_db_setup) -> str:
    """The copy of the migrations' data Django serialized when it created the test database.

    Taken before Playwright starts: afterwards this thread sees a fresh database connection
    object, without the copy, so `serialized_rollback` would silently restore nothing.
    """
    return getattr(connection, "_test_serialized_contents", "")


@pytest.fixture
def site(live_server, settings) -> tuple[str, list]:
    """The live server's address and the POCs of `catalogue_data`, map tiles from nowhere."""
    settings.MAP_TILE_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"
    return live_server.url, build_catalogue()


@pytest.fixture
def catalogue_url(live_server, settings) -> str:
    """The catalogue of `catalogue_data`, served live, its map tiles from nowhere."""
    # An address where no tile server answers: the map must still show its markers.
    settings.MAP_TILE_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"
    build_catalogue()
    return f"{live_server.url}/catalogue/"
