"""A visitor explores the catalogue by place: "Rechercher dans cette zone" on the map, then
"Autour de moi", which asks the browser for a position on that click only.

The test catalogue (`catalogue_data`): four POCs at Roubaix, three at Lille, one at Tourcoing.
The browser's position is Playwright's: granted and set in one context, refused in another.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import _open_page
from tests.factories import commune

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Counts the page's requests for a position, passing them on to the browser.
COUNT_POSITION_REQUESTS = """
window.positionRequests = 0;
const ask = navigator.geolocation.getCurrentPosition.bind(navigator.geolocation);
navigator.geolocation.getCurrentPosition = (...args) => {
  window.positionRequests += 1;
  ask(...args);
};
"""


@pytest.fixture
def page_in_tourcoing(chromium, request):
    """A tab whose visitor shares a position 30 m from "Rue aux écoles", at Tourcoing."""
    tourcoing = commune("Tourcoing")
    yield from _open_page(
        chromium,
        request,
        geolocation={"latitude": tourcoing.latitude + 0.0043, "longitude": tourcoing.longitude},
        permissions=["geolocation"],
    )


def result_count(page) -> int:
    return int(re.match(r"\d+", page.locator("#results-count").inner_text()).group())


def card_titles(page) -> list[str]:
    return page.locator(".card__title").all_inner_texts()


def position_requests(page) -> int:
    return page.evaluate("() => window.positionRequests")


def test_search_this_area_keeps_the_pocs_of_the_visible_map(page, catalogue_url, axe_violations):
    page.add_init_script(COUNT_POSITION_REQUESTS)
    page.goto(f"{catalogue_url}?view=map")
    assert result_count(page) == 8
    # Roubaix's four POCs stand together: their group zooms the map in on Roubaix.
    roubaix = page.locator("#catalogue-map .marker-cluster", has_text="4")
    roubaix.click()
    expect(roubaix).to_have_count(0)  # zoomed in: the group opened into markers

    page.get_by_role("button", name="Rechercher dans cette zone").click()

    page.wait_for_url(re.compile(r"bbox="))
    params = parse_qs(urlparse(page.url).query)
    west, south, east, north = map(float, params["bbox"][0].split(","))
    here = commune("Roubaix")
    assert west < here.longitude < east and south < here.latitude < north
    assert params["view"] == ["map"]
    expect(page.locator("#results-count")).to_have_text(re.compile(r"^4 POC"))
    assert set(card_titles(page)) == {
        "Vélo-cargo partagé — mobilité",
        "Abri vélo réparable — mobilité",
        "Atelier de réemploi",
        "Jardin de courée",
    }
    # The facets count within the area: Roubaix alone among the communes.
    communes = page.locator('#facets input[name="commune"]')
    expect(communes).to_have_count(1)
    assert communes.first.get_attribute("value") == "roubaix"
    expect(page.locator(".chip", has_text="Zone de la carte")).to_be_visible()
    # The map opens on the area searched, its markers the four POCs, and the address is the
    # state: reloading it shows the same area.
    expect(page.locator("#catalogue-map .leaflet-marker-icon")).not_to_have_count(0)
    page.reload()
    expect(page.locator("#results-count")).to_have_text(re.compile(r"^4 POC"))
    assert position_requests(page) == 0  # nobody clicked "Autour de moi"
    violations = axe_violations(page)
    assert violations == [], violations

    # Ticking a theme keeps the area.
    page.locator('label[for^="f-theme-"]', has_text="Habiter").click()
    page.wait_for_url(re.compile(r"theme=habiter"))
    assert "bbox" in parse_qs(urlparse(page.url).query)
    expect(page.locator("#results-count")).to_have_text(re.compile(r"^1 POC"))

    page.locator(".chip", has_text="Zone de la carte").click()
    page.wait_for_url(lambda url: "bbox" not in url)
    expect(page.locator("#results-count")).to_have_text(re.compile(r"^1 POC"))


def test_around_me_sorts_by_distance_from_the_visitors_position(
    page_in_tourcoing, catalogue_url, axe_violations
):
    page = page_in_tourcoing
    page.add_init_script(COUNT_POSITION_REQUESTS)
    page.goto(f"{catalogue_url}?view=map")
    expect(page.get_by_role("button", name="Autour de moi")).to_be_visible()
    assert position_requests(page) == 0  # not asked when the page opens

    page.get_by_role("button", name="Autour de moi").click()

    page.wait_for_url(re.compile(r"near="))
    params = parse_qs(urlparse(page.url).query)
    assert params["sort"] == ["distance"]
    assert position_requests(page) == 1
    expect(page.locator(".card__title").first).to_have_text(re.compile("Rue aux écoles"))
    distances = page.locator(".card__distance").all_inner_texts()
    assert distances[0] == "à moins de 100\xa0m"
    assert len(distances) == 8 and distances[-1].endswith("km")
    expect(page.locator("#sort")).to_have_value("distance")
    expect(page.locator("#catalogue-map path.map-near")).to_have_count(1)
    violations = axe_violations(page)
    assert violations == [], violations


def test_a_refused_position_is_said_and_changes_nothing(page, catalogue_url):
    """Without the permission, Chromium refuses the position as a visitor's "Block" would."""
    page.goto(f"{catalogue_url}?view=map")
    before = page.url

    page.get_by_role("button", name="Autour de moi").click()

    expect(page.locator("#map-tools-message")).to_contain_text(
        "Votre position n’a pas été partagée"
    )
    assert page.url == before
    expect(page.get_by_role("button", name="Autour de moi")).to_be_enabled()
    assert result_count(page) == 8
