"""A staff member pins a POC for "vélo" in the admin, and visitors see it first."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.factories import make_poc, make_staff, theme

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a-long-editor-password"


@pytest.fixture
def site_url(live_server) -> str:
    make_staff("editor", "fr", PASSWORD)
    make_poc("Vélos cargo partagés", summary="Des vélos en libre-service.", themes=[theme()])
    make_poc("Navette électrique de Villeneuve", summary="Sans chauffeur.", themes=[theme()])
    return live_server.url


def test_a_staff_member_pins_a_poc_for_velo_and_sees_it_first(page, site_url):
    page.goto(f"{site_url}/catalogue/?q=v%C3%A9lo")
    expect(page.locator("#catalogue-results .card-grid > li").first).to_contain_text(
        "Vélos cargo partagés"
    )

    page.goto(f"{site_url}/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.get_by_role("link", name="Tableau de bord").first.wait_for()
    page.goto(f"{site_url}/admin/searchpicks/add/")
    page.get_by_label("Terme(s)/phrase de recherche").fill("Vélo")
    page.get_by_role("button", name="Ajouter un résultat de recherche mis en avant").click()
    page.get_by_role("button", name="Choisissez une page").click()
    modal = page.locator(".modal-dialog")
    modal.locator("input[name=q]").fill("navette")
    modal.get_by_role("link", name="Navette électrique de Villeneuve").click()
    expect(modal).to_be_hidden()
    page.get_by_role("button", name="Créer").click()
    expect(page.locator(".messages")).to_contain_text("vélo")

    page.goto(f"{site_url}/catalogue/?q=v%C3%A9lo")
    first = page.locator("#catalogue-results .card-grid > li").first
    expect(first).to_contain_text("Mis en avant")
    expect(first).to_contain_text("Navette électrique de Villeneuve")
    expect(page.locator("#catalogue-results .card-grid > li")).to_have_count(2)
