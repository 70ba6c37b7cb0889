"""A staff editor creates a POC: an empty draft first, then Roubaix found by typing, a place on
the map, and publication."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect
from wagtail.users.models import UserProfile

from poc_catalogue.geography import METROPOLE_EXTENT
from poc_catalogue.models import POCPage
from tests.factories import catalogue, make_image, make_maker

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a-long-editor-password"


@pytest.fixture
def admin_url(live_server, settings) -> str:
    # An address where no tile server answers: the marker must still show.
    settings.MAP_TILE_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"
    editor = get_user_model().objects.create_superuser("editor", "editor@example.org", PASSWORD)
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "fr"
    profile.save()
    return f"{live_server.url}/admin/"


def log_in(page, admin_url: str) -> None:
    page.goto(admin_url)
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.get_by_role("link", name="POC", exact=True).wait_for()


def choose_in_modal(page, button_name: str, query: str, choice: str) -> None:
    page.get_by_role("button", name=button_name).click()
    modal = page.locator(".modal-dialog")
    modal.locator("input[name=q]").fill(query)
    modal.locator("a[data-chooser-modal-choice]", has_text=choice).first.click()
    expect(modal).to_be_hidden()


def test_an_editor_drafts_an_empty_poc_then_places_it_in_roubaix_and_publishes(page, admin_url):
    make_image("Banc connecté, vue de face")
    make_maker("Atelier Trame")
    log_in(page, admin_url)

    page.goto(f"{admin_url}pages/add/poc_catalogue/pocpage/{catalogue().pk}/")
    page.locator("#id_title").fill("Banc connecté à Roubaix")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.locator(".messages")).to_contain_text("Banc connecté à Roubaix")
    draft = POCPage.objects.get(title="Banc connecté à Roubaix")
    assert not draft.live
    assert draft.slug == "banc-connecte-a-roubaix"

    page.locator("#id_summary").fill("Un banc qui compte les passants.")

    page.get_by_role("tab", name="Médias").click()
    choose_in_modal(page, "Choisir une image", "banc", "Banc connecté, vue de face")
    page.locator("#id_hero_alt_text").fill("Un banc en bois sur une place")

    page.get_by_role("tab", name="Classement").click()
    page.get_by_label("Mobilité").check()
    page.get_by_role("button", name="Ajouter un porteur de projet").click()
    choose_in_modal(page, "Choisir porteur de projet", "trame", "Atelier Trame")
    page.locator("select[name=poc_makers-0-role]").select_option("holder")
    page.locator("#id_stage").select_option("experiment")
    page.locator("#id_year").fill("2020")

    page.get_by_role("tab", name="Localisation").click()
    fallback = page.get_by_text("Sans position, le POC est placé au centre de sa commune.")
    expect(fallback).to_be_visible()
    choose_in_modal(page, "Choisir commune", "roub", "Roubaix")
    expect(page.locator(".position-map__ghost")).to_be_visible()

    map_canvas = page.get_by_role("region", name="Carte pour placer le POC")
    map_canvas.scroll_into_view_if_needed()
    box = map_canvas.bounding_box()
    map_canvas.click(position={"x": box["width"] / 2 + 80, "y": box["height"] / 2 + 60})
    expect(page.locator(".position-map__pin")).to_be_visible()
    expect(fallback).to_be_hidden()
    latitude = float(page.locator("input[name=latitude]").input_value())
    longitude = float(page.locator("input[name=longitude]").input_value())
    assert METROPOLE_EXTENT.contains(latitude, longitude)
    # The incomplete draft keeps saving itself as the editor goes.
    autosave = page.locator("#w-autosave-indicator")
    expect(autosave.locator(".w-autosave-indicator__state--saved")).to_be_visible()
    expect(autosave.locator(".w-autosave-indicator__state--paused")).to_be_hidden()
    expect(autosave.locator(".w-autosave-indicator__state--saving")).to_be_hidden()

    page.locator(".w-dropdown-button .w-dropdown__toggle").click()
    page.locator("button[name=action-publish]").click()
    expect(page.locator(".messages")).to_contain_text("publiée")

    poc = POCPage.objects.get(pk=draft.pk)
    assert poc.live
    assert poc.commune.name == "Roubaix"
    assert (round(poc.latitude, 5), round(poc.longitude, 5)) == (latitude, longitude)
    assert poc.url == "/catalogue/banc-connecte-a-roubaix/"


def test_clearing_the_position_shows_the_commune_centre_again(page, admin_url):
    log_in(page, admin_url)
    page.goto(f"{admin_url}pages/add/poc_catalogue/pocpage/{catalogue().pk}/")
    page.get_by_role("tab", name="Localisation").click()
    page.locator("input[name=latitude]").fill("50.69")
    page.locator("input[name=longitude]").fill("3.18")
    expect(page.locator(".position-map__pin")).to_be_visible()

    page.get_by_role("button", name="Effacer la position").click()
    expect(page.locator("input[name=latitude]")).to_have_value("")
    expect(page.locator("input[name=longitude]")).to_have_value("")
    expect(page.locator(".position-map__pin")).to_have_count(0)
    expect(page.get_by_text(re.compile("Sans position, le POC est placé"))).to_be_visible()
