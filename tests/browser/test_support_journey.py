"""A visitor supports a POC from its page and another from a catalogue card: the count goes
up, the button stays pressed after a reload, and a second browser starts unpressed; without
JavaScript the support page does the same; axe-core finds nothing to fix."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import assert_no_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Set to a directory to keep screenshots of the pages at 1440 and 390 pixels.
SCREENSHOTS = os.environ.get("SHOWCASE_SCREENSHOTS")


def snap(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=False)


def test_supporting_from_a_poc_page_and_a_card(page, chromium, site, axe_violations):
    base, pocs = site
    poc = next(p for p in pocs if p.title == "Jardin de courée")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(base + poc.url)
    button = page.locator(".support--page .support__button")
    count = page.locator(".support--page [data-support-count]")
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(count).to_have_text("0 soutien")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(count).to_have_text("1 soutien")
    expect(page.get_by_role("status").filter(has_text="Merci")).to_have_count(1)
    snap(page, "poc-page-1440")
    assert_no_violations(axe_violations(page))
    page.reload()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(count).to_have_text("1 soutien")

    page.goto(base + "/catalogue/")
    card = page.locator("article.card", has_text="Atelier de réemploi")
    card_button = card.locator(".support__button")
    expect(card_button).to_have_attribute("aria-pressed", "false")  # the script is ready
    card_button.click()
    expect(card_button).to_have_attribute("aria-pressed", "true")
    expect(card.locator("[data-support-count]")).to_have_text("1 soutien")
    assert_no_violations(axe_violations(page))
    snap(page, "catalogue-1440")
    page.reload()
    expect(card_button).to_have_attribute("aria-pressed", "true")
    # The catalogue lists the POC supported on its page as supported too.
    jardin = page.locator("article.card", has_text="Jardin de courée")
    expect(jardin.locator(".support__button")).to_have_attribute("aria-pressed", "true")

    # Withdrawing: one more click.
    card_button.click()
    expect(card_button).to_have_attribute("aria-pressed", "false")
    expect(card.locator("[data-support-count]")).to_have_text("0 soutien")

    # Another browser on a phone: the same (cached) page, nothing pressed, the count shown.
    phone = chromium.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    try:
        other = phone.new_page()
        other.goto(base + poc.url)
        other_button = other.locator(".support--page .support__button")
        expect(other_button).to_have_attribute("aria-pressed", "false")
        expect(other.locator(".support--page [data-support-count]")).to_have_text("1 soutien")
        other_button.click()
        expect(other.locator(".support--page [data-support-count]")).to_have_text("2 soutiens")
        snap(other, "poc-page-390")
        other.goto(base + "/catalogue/")
        snap(other, "catalogue-390")
        assert_no_violations(axe_violations(other))
    finally:
        phone.close()


def test_supporting_without_javascript(page_without_js, site, page, axe_violations):
    base, pocs = site
    poc = next(p for p in pocs if p.title == "Signalétique du métro")
    page_without_js.goto(base + poc.url)
    page_without_js.locator(".support--page .support__button").click()
    page_without_js.get_by_role("button", name="Je soutiens").click()
    expect(page_without_js.get_by_role("heading", level=1)).to_have_text("Merci pour votre soutien")
    expect(page_without_js.locator(".support-page__count")).to_have_text("1 soutien")
    page_without_js.get_by_role("button", name="Retirer mon soutien").click()
    expect(page_without_js.locator(".support-page__count")).to_have_text("0 soutien")
    page_without_js.get_by_role("link", name="Retour").click()
    assert page_without_js.url == base + poc.url

    page.goto(f"{base}/supports/{poc.pk}/")
    snap(page, "support-page")
    assert_no_violations(axe_violations(page))
