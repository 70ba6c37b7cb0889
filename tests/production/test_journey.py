"""A visitor, a maker and a moderator, in Chromium, through nginx in front of the production stack.

Nothing is done behind the site's back: the visitor filters the catalogue and opens a POC whose
hero image nginx serves from /media/; a maker proposes a POC with a photo; the moderator logs in
with a password and a second factor and approves it; the task worker indexes it, and the
catalogue finds it on Elasticsearch within ten seconds.
"""

from __future__ import annotations

import json
import os
import secrets
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.conftest import CHROMIUM_ARGS, browser_problem, service_missing
from tests.production.stack import ProductionStack
from tests.submissions.conftest import image_bytes

# Its own number: a stack kept between runs may hold the POCs of earlier journeys.
TITLE = f"Abri-vélo végétal de Wattrelos n° {secrets.randbelow(90000) + 10000}"
INDEXED_WITHIN_SECONDS = 10
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="module")
def page(production_stack: ProductionStack) -> Iterator[Page]:
    if problem := browser_problem():
        service_missing(problem)
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("SHOWCASE_CHROMIUM", "/usr/bin/chromium"),
            args=CHROMIUM_ARGS,
        )
        context = browser.new_context(base_url=production_stack.site_url, locale="fr-FR")
        page = context.new_page()
        try:
            yield page
        finally:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "production-journey-last.png"), full_page=True)
            browser.close()
    if previous is not None:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def api(stack: ProductionStack, **parameters: str) -> dict:
    query = urllib.parse.urlencode(parameters)
    with urllib.request.urlopen(f"{stack.site_url}/api/catalogue/search/?{query}") as answer:
        return json.load(answer)


def hero_image_loaded_from_media(page: Page) -> None:
    """The POC's hero picture came from nginx's /media/ and the browser decoded it."""
    # A function, not an expression: the page's CSP refuses Playwright's eval() of one.
    page.wait_for_function(
        "() => [...document.querySelectorAll('.poc-hero img')].some(image => image.complete"
        " && image.naturalWidth > 0 && new URL(image.currentSrc).pathname.startsWith('/media/'))"
    )


def log_in_to_the_admin(page: Page, stack: ProductionStack) -> None:
    """The password, then the second factor the production settings require of a moderator."""
    page.goto("/admin/login/")
    page.locator("#id_username").fill("admin")
    page.locator("#id_password").fill(stack.admin_password)
    page.get_by_role("button", name="S'identifier").click()
    page.wait_for_load_state()
    token = page.locator("input[autocomplete='one-time-code']")
    if token.count():
        token.fill(stack.two_factor_code())
        token.press("Enter")
    page.get_by_role("heading", name="En attente de votre vérification").wait_for()


def test_visitor_maker_and_moderator_through_the_front_server(
    page: Page, production_stack: ProductionStack, tmp_path: Path
):
    stack = production_stack

    # A visitor filters the catalogue and opens a POC.
    page.goto("/")
    expect(page.locator("h1").first).to_be_visible()
    page.goto("/catalogue/")
    page.locator("#facets input[name=theme]").first.check()
    page.wait_for_url("**/catalogue/?*theme=*")
    page.locator(".card__title a").first.click()
    page.locator(".poc-hero h1").wait_for()
    hero_image_loaded_from_media(page)

    # A maker proposes a POC with a photo.
    photo = tmp_path / "abri.jpg"
    photo.write_bytes(image_bytes("JPEG", size=(1600, 1000)))
    page.goto("/submit/")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_summary").fill("Un abri pour vélos couvert de plantes grimpantes.")
    page.locator("#id_description").fill("Construit avec le centre social du quartier.")
    page.locator("input[name=themes]").first.check()
    page.locator("input[name=stage]").first.check()
    page.locator("#id_year").select_option("2020")
    page.locator("#id_commune").select_option(label="Wattrelos")
    page.locator("#id_images-0-file").set_input_files(str(photo))
    page.locator("#id_images-0-alt_text").fill("Un abri-vélo couvert de lierre")
    page.locator("#id_images-0-credit").fill("Collectif Lierre")
    page.locator("#id_new_maker_name").fill("Collectif Lierre")
    page.locator("#id_new_maker_kind").select_option("collective")
    page.locator("#id_contact_name").fill("Sam Lefebvre")
    page.locator("#id_contact_email").fill("sam@example.org")
    page.locator("#id_consent_publication").check()
    page.locator("#id_consent_personal_data").check()
    page.get_by_role("button", name="Envoyer ma proposition").click()
    page.get_by_role("heading", name="Merci, votre proposition est bien partie").wait_for()
    draft_search = api(stack, q=TITLE)["results"]
    assert TITLE not in [hit["title"] for hit in draft_search]  # a draft is never searchable

    # The moderator approves it in the admin.
    log_in_to_the_admin(page, stack)
    # In the review queue: the newest changes panel names the proposal too.
    review_queue = page.locator("#awaiting-review-section")
    review_queue.locator("tr", has_text=TITLE).get_by_role("link", name=TITLE).click()
    page.locator("footer button[data-workflow-action-name='approve']").first.click()
    page.get_by_text("Proposition approuvée et publiée").wait_for()
    approved_at = time.monotonic()

    # The worker indexes it; the catalogue finds it on Elasticsearch.
    while time.monotonic() - approved_at < INDEXED_WITHIN_SECONDS:
        found = api(stack, q=TITLE)
        if found["results"] and found["results"][0]["title"] == TITLE:
            break
        time.sleep(0.25)
    assert found["backend"] == "elasticsearch"
    worker_log = (stack.directory / "logs" / "worker.log").read_text()[-3000:]
    assert [hit["title"] for hit in found["results"][:1]] == [TITLE], worker_log

    page.goto("/catalogue/?" + urllib.parse.urlencode({"q": TITLE}))
    card = page.locator(".card", has_text=TITLE)
    expect(card).to_be_visible()
    card.locator(".card__title a").click()
    page.get_by_role("heading", name=TITLE).first.wait_for()
    hero_image_loaded_from_media(page)
