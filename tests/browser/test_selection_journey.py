"""A visitor keeps two POCs, opens their selection, copies its link, and the link opens the
same two POCs in another browser, with or without JavaScript; axe-core finds nothing to fix."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import _open_page
from tests.browser.test_accessibility import assert_no_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

KEPT = ["Vélo-cargo partagé — mobilité", "Jardin de courée"]


@pytest.fixture
def page_with_clipboard(chromium, request):
    """A tab whose page may write to and read from the clipboard, as a visitor's allows."""
    yield from _open_page(chromium, request, permissions=["clipboard-read", "clipboard-write"])


def keep_button(page, title: str):
    return page.locator("article.card", has_text=title).locator(".keep-toggle")


def shown_titles(page) -> list[str]:
    return page.locator(".card__title").all_inner_texts()


def test_a_selection_shared_by_link_opens_the_same_pocs_elsewhere(
    page_with_clipboard, page_without_js, chromium, site, axe_violations
):
    base, _pocs = site
    page = page_with_clipboard
    page.goto(base + "/catalogue/")
    for title in KEPT:
        keep_button(page, title).click()
        expect(keep_button(page, title)).to_have_attribute("aria-pressed", "true")
    expect(page.locator("[data-selection-count]")).to_have_text("2")

    page.get_by_role("link", name=re.compile("Ma sélection")).click()
    page.wait_for_url(re.compile(r"/selection/\?poc=\d+&poc=\d+$"))
    assert shown_titles(page) == KEPT
    expect(page.locator("[data-selection-shared]")).to_be_hidden()
    assert_no_violations(axe_violations(page))

    page.get_by_role("button", name="Copier le lien").click()
    expect(page.locator("[data-copy-status]")).to_have_text("Lien copié.")
    link = page.evaluate("navigator.clipboard.readText()")
    assert link == page.url

    # Someone else's browser: nothing kept there, the link alone carries the selection.
    elsewhere = chromium.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    try:
        other = elsewhere.new_page()
        other.goto(link)
        assert shown_titles(other) == KEPT
        expect(other.locator("[data-selection-shared]")).to_be_visible()
        expect(keep_button(other, KEPT[0])).to_have_attribute("aria-pressed", "false")
        assert_no_violations(axe_violations(other))
        other.get_by_role("button", name="Garder tous ces POC").click()
        expect(other.locator("[data-selection-count]")).to_have_text("2")
        expect(keep_button(other, KEPT[1])).to_have_attribute("aria-pressed", "true")
    finally:
        elsewhere.close()

    page_without_js.goto(link)
    assert shown_titles(page_without_js) == KEPT
    expect(page_without_js.get_by_role("link", name="CSV")).to_be_visible()

    # Back in the first browser: letting a POC go updates the link and the downloads.
    keep_button(page, KEPT[0]).click()
    expect(keep_button(page, KEPT[0])).to_have_attribute("aria-pressed", "false")
    expect(page.locator("[data-selection-count]")).to_have_text("1")
    expect(page.locator("[data-selection-lead]")).to_have_text("1 POC dans cette sélection.")
    kept_id = re.findall(r"poc=(\d+)", page.url)
    assert len(kept_id) == 1
    assert page.input_value("#selection-link").endswith(f"/selection/?poc={kept_id[0]}")
    assert f"poc={kept_id[0]}&" in page.get_by_role("link", name="GeoJSON").get_attribute("href")

    # Nothing left: no link to share, and no download (without ids it would be everything).
    keep_button(page, KEPT[1]).click()
    lead = page.locator("[data-selection-lead]")
    expect(lead).to_have_text("Plus aucun POC dans cette sélection.")
    expect(page.get_by_role("link", name="CSV")).to_be_hidden()
    expect(page.locator("[data-selection-count]")).to_be_hidden()


def test_the_selection_follows_the_visitor_from_page_to_page_in_english(page, site):
    base, pocs = site
    page.goto(base + "/en" + pocs[2].url)
    toggle = page.locator(".keep-toggle--page")
    expect(toggle).to_have_accessible_name("Keep")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")

    # The selection page without ids opens the visitor's own.
    page.goto(base + "/en/selection/")
    page.wait_for_url(re.compile(rf"/en/selection/\?poc={pocs[2].pk}$"))
    assert shown_titles(page) == [pocs[2].title]
    page.goto(base + "/en/catalogue/")
    expect(keep_button(page, pocs[2].title)).to_have_attribute("aria-pressed", "true")
    expect(page.locator("[data-selection-count]")).to_have_text("1")
