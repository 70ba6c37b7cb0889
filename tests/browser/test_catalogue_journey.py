"""A visitor looks for mobility POCs, narrows them down, opens one and comes back."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def result_count(page) -> int:
    return int(re.match(r"\d+", page.locator("#results-count").inner_text()).group())


def test_search_then_narrow_by_theme_and_commune_then_come_back(page, catalogue_url):
    page.goto(catalogue_url)
    assert result_count(page) == 8

    page.fill("#catalogue-q", "mobilité")
    page.press("#catalogue-q", "Enter")
    page.wait_for_url(re.compile(r"q=mobilit"))
    expect(page.locator("#results-count")).to_have_text(re.compile(r"^5"))
    assert result_count(page) == 5

    page.check("input[name=theme][value=action-publique]")
    page.wait_for_url(re.compile(r"theme=action-publique"))
    expect(page.locator("#results-count")).to_have_text(re.compile(r"^1"))
    assert "1" in page.locator("#catalogue-status").inner_text()

    page.uncheck("input[name=theme][value=action-publique]")
    page.check("input[name=theme][value=mobilite]")
    page.wait_for_url(re.compile(r"theme=mobilite"))
    page.check("input[name=commune][value=roubaix]")
    page.wait_for_url(re.compile(r"commune=roubaix"))
    expect(page.locator("#results-count")).to_have_text(re.compile(r"^2"))
    filtered_url = page.url
    assert "q=mobilit" in filtered_url
    assert page.locator(".chip").count() == 2

    page.locator(".card__title a").first.click()
    page.wait_for_url(re.compile(r"/catalogue/[\w-]+/$"))
    assert page.locator("h1").inner_text().endswith("mobilité")

    page.go_back()
    page.wait_for_url(filtered_url)
    assert result_count(page) == 2
    assert page.is_checked("input[name=commune][value=roubaix]")
    assert page.input_value("#catalogue-q") == "mobilité"


def test_the_same_journey_works_without_javascript(page_without_js, catalogue_url):
    page = page_without_js
    page.goto(catalogue_url)
    page.fill("#catalogue-q", "mobilité")
    page.press("#catalogue-q", "Enter")
    page.wait_for_url(re.compile(r"q=mobilit"))
    assert result_count(page) == 5

    page.check("input[name=theme][value=mobilite]")
    page.click("text=Appliquer les filtres")
    page.wait_for_url(re.compile(r"theme=mobilite"))
    page.check("input[name=commune][value=roubaix]")
    page.click("text=Appliquer les filtres")
    page.wait_for_url(re.compile(r"commune=roubaix"))
    assert result_count(page) == 2
    filtered_url = page.url

    page.locator(".chip", has_text="Roubaix").click()
    assert "commune=" not in page.url
    assert result_count(page) == 5
    page.go_back()
    assert page.url == filtered_url

    page.locator(".card__title a").first.click()
    page.wait_for_url(re.compile(r"/catalogue/[\w-]+/$"))
    page.go_back()
    page.wait_for_url(filtered_url)
    assert result_count(page) == 2
    assert page.is_checked("input[name=theme][value=mobilite]")


def test_map_view_shows_the_results_as_markers_even_without_tiles(page, catalogue_url):
    page.goto(f"{catalogue_url}?q=mobilit%C3%A9")
    page.locator(".view-toggle a", has_text="Carte").click()
    page.wait_for_url(re.compile(r"view=map"))
    page.wait_for_selector("#catalogue-map .leaflet-marker-icon")
    shown = page.evaluate(
        """() => [...document.querySelectorAll('#catalogue-map .leaflet-marker-icon')]
            .reduce((sum, icon) => sum + (parseInt(icon.textContent, 10) || 1), 0)"""
    )
    assert shown == 5


def test_a_poc_page_brings_its_map_only_when_the_visitor_reaches_it(page, catalogue_url):
    page.set_viewport_size({"width": 390, "height": 740})
    page.goto(catalogue_url)
    page.locator(".card__title a").first.click()
    page.wait_for_url(re.compile(r"/catalogue/[\w-]+/$"))
    page.wait_for_load_state("load")
    assert page.evaluate("() => typeof window.L") == "undefined"
    expect(page.locator("#poc-map .leaflet-marker-icon")).to_have_count(0)

    page.locator("#poc-map").scroll_into_view_if_needed()
    expect(page.locator("#poc-map .leaflet-marker-icon")).to_be_visible()
    # Leaflet's stylesheet came with it: its panes are laid out, not stacked in the flow.
    assert (
        page.evaluate(
            "() => getComputedStyle(document.querySelector('#poc-map .leaflet-map-pane')).position"
        )
        == "absolute"
    )


def test_zero_results_offer_a_way_out(page, catalogue_url):
    page.goto(f"{catalogue_url}?q=mobilit%C3%A9&theme=habiter")
    assert "Aucun POC" in page.locator(".empty-state").inner_text()
    page.locator(".empty-state .chip", has_text="Habiter").click()
    expect(page.locator("#results-count")).to_have_text(re.compile(r"^5"))
    assert "theme=" not in page.url


def test_long_facet_lists_can_be_filtered(page, catalogue_url):
    page.goto(catalogue_url)
    facet = page.locator("fieldset[data-facet=commune]")
    assert facet.locator(".facet__value:visible").count() == 3


def test_autocomplete_suggests_pocs_and_opens_one_with_the_keyboard(page, catalogue_url):
    page.goto(catalogue_url)
    page.fill("#catalogue-q", "navet")
    page.wait_for_selector("#catalogue-q-suggestions [role=option]")
    assert page.get_attribute("#catalogue-q", "aria-expanded") == "true"
    page.press("#catalogue-q", "ArrowDown")
    assert page.get_attribute("#catalogue-q", "aria-activedescendant")
    page.press("#catalogue-q", "Enter")
    page.wait_for_url(re.compile(r"/catalogue/navette-solidaire"))
