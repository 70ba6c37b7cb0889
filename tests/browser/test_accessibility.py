"""axe-core finds no WCAG 2.1 A/AA violation on the main pages; the keyboard alone suffices."""

from __future__ import annotations

import re

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def assert_no_violations(violations: list[dict]) -> None:
    assert violations == [], "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {v['targets']}" for v in violations
    )


def test_home_page(page, site, axe_violations):
    base, _ = site
    page.goto(base + "/")
    assert_no_violations(axe_violations(page))


def test_catalogue_with_filters(page, site, axe_violations):
    base, _ = site
    page.goto(base + "/catalogue/?q=mobilit%C3%A9&theme=mobilite&commune=roubaix")
    assert_no_violations(axe_violations(page))


def test_map_view(page, site, axe_violations):
    base, _ = site
    page.goto(base + "/catalogue/?view=map")
    page.wait_for_selector("#catalogue-map .leaflet-marker-icon")
    assert_no_violations(axe_violations(page))


def test_poc_page(page, site, axe_violations):
    base, pocs = site
    page.goto(base + pocs[0].url)
    assert_no_violations(axe_violations(page))


def test_maker_page(page, site, axe_violations):
    base, pocs = site
    page.goto(base + pocs[0].poc_makers.first().maker.get_absolute_url())
    assert_no_violations(axe_violations(page))


def test_english_catalogue_on_a_phone(page, site, axe_violations):
    base, _ = site
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base + "/en/catalogue/?theme=mobilite")
    page.click(".facets-toggle")
    page.wait_for_selector("#facets.is-open", state="visible")
    assert_no_violations(axe_violations(page))


FOCUS_IS_VISIBLE = """() => {
    const style = getComputedStyle(document.activeElement);
    return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
}"""


def tab_to(page, selector: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            assert page.evaluate(FOCUS_IS_VISIBLE), f"no visible focus on {selector}"
            return
    raise AssertionError(f"{selector} not reached with the Tab key")


def test_keyboard_only_journey(page, site):
    base, _ = site
    page.goto(base + "/")
    tab_to(page, "#home-q")
    page.keyboard.type("mobilité")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/catalogue/\?q=mobilit"))

    tab_to(page, "input[name=theme][value=mobilite]")
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(r"theme=mobilite"))
    assert page.evaluate("document.activeElement.matches('input[value=mobilite]')")

    tab_to(page, ".card__title a")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/catalogue/[\w-]+/$"))
    tab_to(page, ".makers a")
