"""A visitor finds a trail, follows its stops in order on the map, takes the GPX file to a
phone and prints the trail; axe-core finds nothing to fix on the way, on a desktop or a phone."""

from __future__ import annotations

import gpxpy
import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import assert_no_violations
from tests.factories import make_trail, theme

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def trail(site):
    base, pocs = site
    stops = [pocs[3], pocs[2], pocs[5]]  # three POCs in Lille, not in the catalogue's order
    trail = make_trail(
        "Lille en trois haltes",
        pocs=stops,
        notes=["Repérez les bordures.", "Attendez la navette.", "Levez les yeux."],
        theme=theme("mobilite"),
    )
    return base, trail, stops


def test_a_visitor_follows_a_trail_and_takes_it_to_a_phone(page, trail, axe_violations, tmp_path):
    base, trail, stops = trail
    page.goto(base + "/")
    page.get_by_role("navigation", name="Principal").get_by_role("link", name="Parcours").click()
    page.wait_for_url(base + "/parcours/")
    assert_no_violations(axe_violations(page))

    page.get_by_role("link", name="Lille en trois haltes").click()
    page.wait_for_url(base + trail.url)
    titles = page.locator(".trail-stop__title a")
    expect(titles).to_have_text([stop.title for stop in stops])
    expect(page.locator(".trail-stop__note")).to_have_text(
        ["Repérez les bordures.", "Attendez la navette.", "Levez les yeux."]
    )
    # The map numbers the stops in walking order and joins them with one line.
    expect(page.locator("#trail-map")).to_have_attribute("data-ready", "true")
    expect(page.locator("#trail-map .trail-marker")).to_have_text(["1", "2", "3"])
    expect(page.locator("#trail-map path.leaflet-interactive")).to_have_count(1)
    page.locator("#trail-map .leaflet-marker-icon").first.click()
    expect(page.locator(".leaflet-popup-content a")).to_have_text(f"1. {stops[0].title}")
    # axe-core measures contrast once the popup has faded in.
    expect(page.locator(".leaflet-popup")).to_have_css("opacity", "1")
    assert_no_violations(axe_violations(page))

    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le fichier GPX").click()
    assert download.value.suggested_filename == "lille-en-trois-haltes.gpx"
    saved = tmp_path / "trail.gpx"
    download.value.save_as(saved)
    gpx = gpxpy.parse(saved.read_text(encoding="utf-8"))
    assert [point.name for point in gpx.waypoints] == [
        f"{number}. {stop.title}" for number, stop in enumerate(stops, start=1)
    ]
    assert [(p.latitude, p.longitude) for p in gpx.routes[0].points] == [
        (pytest.approx(stop.latitude), pytest.approx(stop.longitude)) for stop in stops
    ]

    # On paper: the stops and their walks, no map and no buttons.
    expect(page.get_by_role("button", name="Imprimer le parcours")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator("#trail-map")).to_be_hidden()
    expect(page.locator(".trail-actions")).to_be_hidden()
    expect(page.locator(".trail-stop")).to_have_count(3)
    expect(page.locator(".trail-stop__walk").first).to_be_visible()
    expect(page.locator(".trail-print-address")).to_contain_text(trail.url)


def test_a_trail_on_a_phone(page, trail, axe_violations):
    base, trail, stops = trail
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base + trail.url)
    # Below the introduction on a phone, the map is drawn as it comes near the screen.
    page.locator("#trail-map").scroll_into_view_if_needed()
    expect(page.locator("#trail-map")).to_have_attribute("data-ready", "true")
    assert_no_violations(axe_violations(page))
    # The stops read from top to bottom, nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto(base + stops[2].url)
    expect(page.get_by_role("link", name="Lille en trois haltes")).to_be_visible()
    expect(page.get_by_text("Étape 3 sur 3")).to_be_visible()


def test_without_javascript_the_stops_and_the_gpx_remain(page_without_js, trail):
    base, trail, stops = trail
    page_without_js.goto(base + trail.url)
    expect(page_without_js.locator(".trail-stop__title a")).to_have_text([s.title for s in stops])
    expect(page_without_js.locator(".map__fallback")).to_be_visible()
    expect(page_without_js.get_by_role("link", name="Télécharger le fichier GPX")).to_be_visible()
    expect(page_without_js.get_by_role("button", name="Imprimer le parcours")).to_be_hidden()
