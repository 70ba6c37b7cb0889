"""Playwright on the operating system's Chromium, against pytest-django's live server.

Skipped locally when Chromium or Playwright is missing; failing instead under CI=true or
SHOWCASE_REQUIRE_SERVICES=1, where a skipped browser suite would hide a broken site.
A failing test leaves a screenshot in test-artifacts/.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

# The live server runs Django's sync ORM while Playwright's event loop runs in this thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "static" / "vendor" / "axe-core" / "axe.min.js"


def _required() -> bool:
    return (
        os.environ.get("CI", "").lower() == "true"
        or os.environ.get("SHOWCASE_REQUIRE_SERVICES") == "1"
    )


def _unavailable(reason: str) -> None:
    if _required():
        pytest.fail(f"Browser tests are required here but {reason}.")
    pytest.skip(reason)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def chromium():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed")
    if not CHROMIUM.exists():
        _unavailable(f"Chromium is missing at {CHROMIUM} (apt-get install -y chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _open_page(chromium, request: pytest.FixtureRequest, **context_options) -> Iterator:
    context = chromium.new_context(
        viewport={"width": 1280, "height": 900}, locale="fr-FR", **context_options
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()


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
        page.add_script_tag(content=source)
        return page.evaluate(
            """async () => (await axe.run(document, {
                runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
            })).violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 5).map(n => n.target.join(" "))}))"""
        )

    return run
