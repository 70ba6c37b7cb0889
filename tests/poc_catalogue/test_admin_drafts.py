"""A staff draft saves with what is there; publishing it needs everything."""

import json

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from poc_catalogue.models import POCPage
from tests.admin_forms import add_poc_url, poc_form_data

pytestmark = pytest.mark.django_db


def empty_poc(**fields) -> dict:
    """The add form as a browser posts it with only a title typed, saved at once.

    The slug field has not been filled in yet; the form opens with no maker row (publishing
    asks for one, a draft does not).
    """
    data = {
        "title": "Un banc connecté",
        "slug": "",
        "body": streamfield([]),
        "gallery_images": inline_formset([]),
        "poc_makers": inline_formset([]),
        **fields,
    }
    return nested_form_data(data)


def test_an_empty_draft_saves(staff_client):
    response = staff_client.post(add_poc_url(), empty_poc())
    assert response.status_code == 302, response.context and response.context["form"].errors

    draft = POCPage.objects.get(title="Un banc connecté")
    assert not draft.live
    assert draft.slug == "un-banc-connecte"
    assert draft.commune is None
    assert draft.year is None
    assert not draft.themes.exists()
    assert not draft.poc_makers.exists()


def test_an_empty_draft_can_be_saved_again_and_previewed(staff_client):
    staff_client.post(add_poc_url(), empty_poc())
    draft = POCPage.objects.get(title="Un banc connecté")
    edit_url = reverse("wagtailadmin_pages:edit", args=(draft.pk,))

    response = staff_client.post(edit_url, empty_poc(slug=draft.slug, summary="Un banc."))
    assert response.status_code == 302, response.context and response.context["form"].errors
    draft.refresh_from_db()
    assert draft.get_latest_revision_as_object().summary == "Un banc."

    preview = staff_client.post(
        reverse("wagtailadmin_pages:preview_on_edit", args=(draft.pk,)),
        empty_poc(slug=draft.slug),
    )
    assert json.loads(preview.content)["is_valid"] is True
    assert (
        staff_client.get(
            reverse("wagtailadmin_pages:preview_on_edit", args=(draft.pk,))
        ).status_code
        == 200
    )


def test_autosave_keeps_an_incomplete_draft(staff_client):
    staff_client.post(add_poc_url(), empty_poc())
    draft = POCPage.objects.get(title="Un banc connecté")
    edit_url = reverse("wagtailadmin_pages:edit", args=(draft.pk,))

    response = staff_client.post(
        edit_url,
        empty_poc(slug=draft.slug, summary="Un banc qui compte les passants."),
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200
    assert json.loads(response.content)["success"] is True


def test_publishing_an_empty_poc_says_what_is_missing(staff_client):
    response = staff_client.post(add_poc_url(), empty_poc(**{"action-publish": "publish"}))
    assert response.status_code == 200
    html = response.content.decode()
    for message in (
        "Choose the commune where the POC takes place.",
        "Enter the year of the POC, for example 2020.",
        "Choose the step the POC has reached.",
        "Write a short summary: it appears on cards and in search results.",
        "Choose at least one theme.",
        "Add at least one maker in the Classification tab",
    ):
        assert message in html
    assert not POCPage.objects.filter(title="Un banc connecté").exists()


def test_a_draft_completed_later_publishes(staff_client):
    staff_client.post(add_poc_url(), empty_poc())
    draft = POCPage.objects.get(title="Un banc connecté")
    edit_url = reverse("wagtailadmin_pages:edit", args=(draft.pk,))

    response = staff_client.post(edit_url, poc_form_data(slug=draft.slug))
    assert response.status_code == 302, response.context and response.context["form"].errors
    draft.refresh_from_db()
    assert draft.live
    assert draft.commune.name == "Roubaix"
    assert draft.year == 2020
