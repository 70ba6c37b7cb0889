"""An English-speaking visitor: switches a translated POC to English, searches "mobility"
under /en/, finds it, opens a POC nobody translated yet and reads it marked as French.
axe-core finds no violation on the English pages, French passages included."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import assert_no_violations
from tests.factories import english

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def site(site):
    """The browser tests' catalogue, its first POC translated into English."""
    base, pocs = site
    english(
        pocs[0],
        title="Shared cargo bike — mobility",
        slug="shared-cargo-bike",
        summary="A soft mobility prototype in Roubaix, tried out with residents.",
    )
    return base, pocs


def test_an_english_visitor_reads_translations_and_french_pages_marked_french(page, site):
    base, pocs = site
    translated, untranslated = pocs[0], pocs[2]

    page.goto(base + translated.url)
    assert page.locator("html").get_attribute("lang") == "fr"
    page.click(".language-switcher a[hreflang=en]")
    page.wait_for_url(base + "/en/catalogue/shared-cargo-bike/")
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.locator("h1")).to_have_text("Shared cargo bike — mobility")
    assert page.locator("h1").get_attribute("lang") is None

    page.click(".site-nav a:text('Catalogue')")
    page.wait_for_url(re.compile(r"/en/catalogue/$"))
    # Suggestions follow the page's language, not the browser's (this one asks for French).
    page.fill("#catalogue-q", "shared")
    expect(page.locator("[role=option]", has_text="Shared cargo bike")).to_be_visible()
    page.fill("#catalogue-q", "mobility")
    page.press("#catalogue-q", "Enter")
    page.wait_for_url(re.compile(r"/en/catalogue/\?.*q=mobility"))
    expect(page.locator(".card__title a", has_text="Shared cargo bike")).to_be_visible()
    # Every mobility POC matches (its theme is "Mobility"); the translation ranks first.
    assert page.locator(".card__title a").first.inner_text() == "Shared cargo bike — mobility"

    page.locator(".card__title a", has_text=untranslated.title).click()
    page.wait_for_url(base + "/en" + untranslated.url)
    heading = page.locator("h1")
    expect(heading).to_have_text(untranslated.title)
    assert heading.get_attribute("lang") == "fr"
    assert page.locator(".lead").first.get_attribute("lang") == "fr"
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.locator(".skip-link")).to_have_text("Skip to content")


@pytest.mark.parametrize(
    "address",
    ["/en/", "/en/catalogue/?q=mobility", "/en/catalogue/shared-cargo-bike/", "untranslated"],
)
def test_english_pages_have_no_accessibility_violations(page, site, axe_violations, address):
    base, pocs = site
    if address == "untranslated":
        address = "/en" + pocs[2].url
    page.goto(base + address)
    assert_no_violations(axe_violations(page))
