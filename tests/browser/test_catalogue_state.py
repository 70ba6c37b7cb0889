"""The catalogue keeps the visitor's place: across a language switch, and after the phone drawer."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}


def filter_mobility_in_roubaix(page) -> None:
    """Tick two facets, each of which the script applies in place."""
    page.check("input[name=theme][value=mobilite]")
    page.wait_for_url(re.compile(r"theme=mobilite"))
    page.check("input[name=commune][value=roubaix]")
    page.wait_for_url(re.compile(r"commune=roubaix"))


def switch_language(page, code: str, expected_url: str) -> None:
    page.click(f".language-switcher a[hreflang={code}]")
    page.wait_for_url(re.compile(expected_url))


def test_switching_to_english_keeps_the_filters_and_the_map_made_with_javascript(
    page, catalogue_url
):
    page.goto(catalogue_url)
    filter_mobility_in_roubaix(page)
    page.click(".view-toggle >> text=Carte")
    page.wait_for_url(re.compile(r"view=map"))
    expect(page.locator("#catalogue-map .leaflet-marker-icon").first).to_be_visible()

    switch_language(page, "en", r"/en/catalogue/\?.*view=map")
    assert "theme=mobilite" in page.url and "commune=roubaix" in page.url
    expect(page.locator("#results-count")).to_have_text("2 POCs")
    assert page.is_checked("input[name=theme][value=mobilite]")
    assert page.is_checked("input[name=commune][value=roubaix]")
    expect(page.locator(".view-toggle a[aria-current=page]")).to_have_text("Map")
    expect(page.locator("#catalogue-map .leaflet-marker-icon").first).to_be_visible()

    switch_language(page, "fr", r"/catalogue/\?.*view=map")
    assert "/en/" not in page.url
    expect(page.locator("#results-count")).to_have_text("2 POC")


def test_switching_language_after_going_back_names_the_page_shown(page, catalogue_url):
    page.goto(catalogue_url)
    filter_mobility_in_roubaix(page)
    page.go_back()
    expect(page.locator("input[name=commune][value=roubaix]")).not_to_be_checked()

    switch_language(page, "en", r"/en/catalogue/\?theme=mobilite")
    assert "commune" not in page.url
    expect(page.locator("#results-count")).to_have_text("5 POCs")


def test_applying_filters_on_a_phone_closes_the_drawer_onto_the_results(page, catalogue_url):
    page.set_viewport_size(PHONE)
    page.goto(catalogue_url)
    drawer = page.locator("#facets")
    expect(drawer).to_be_hidden()

    page.click(".facets-toggle")
    expect(drawer).to_be_visible()
    page.check("input[name=theme][value=mobilite]")
    page.wait_for_url(re.compile(r"theme=mobilite"))
    expect(drawer).to_be_visible()
    page.check("input[name=commune][value=roubaix]")
    page.wait_for_url(re.compile(r"commune=roubaix"))
    expect(drawer).to_be_in_viewport(ratio=0.99)

    page.click("text=Appliquer les filtres")

    expect(drawer).to_be_hidden()
    expect(page.locator(".facets-toggle")).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#results-count")).to_be_focused()
    expect(page.locator("#results-count")).to_have_text("2 POC")
    expect(page.locator(".card").first).to_be_in_viewport()
    expect(page.locator(".facets-toggle .badge")).to_have_text("2")
