"""One slug rule for every page: ASCII, whether staff type the page or a maker proposes it."""

import re

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from poc_catalogue.models import POCPage
from poc_catalogue.slugs import slug_base
from tests.admin_forms import add_poc_url, poc_form_data
from tests.factories import make_poc

pytestmark = pytest.mark.django_db


def draft_form(title: str, slug: str) -> dict:
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "body": streamfield([]),
            "gallery_images": inline_formset([]),
            "poc_makers": inline_formset([], min=1),
        }
    )


def test_the_admin_slug_field_writes_ascii(staff_client):
    """Wagtail's slug controller keeps accents only when told to (the browser journey types one)."""
    html = staff_client.get(add_poc_url()).content.decode()
    slug_input = re.search(r'<input[^>]*name="slug"[^>]*>', html).group()
    assert 'data-controller="w-slug"' in slug_input
    assert "allow-unicode" not in slug_input


def test_an_accented_slug_typed_by_hand_is_spelt_in_ascii(staff_client):
    response = staff_client.post(add_poc_url(), draft_form("Banc connecté", "banc-connecté"))
    assert response.status_code == 302, response.context and response.context["form"].errors
    assert POCPage.objects.get(title="Banc connecté").slug == "banc-connecte"


def test_a_page_saved_without_a_slug_gets_an_ascii_one():
    poc = make_poc("Banc connecté à Lille", slug="")
    assert poc.slug == "banc-connecte-a-lille"
    assert poc.url == "/catalogue/banc-connecte-a-lille/"


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Banc connecté", "banc-connecte"),
        ("Jardins partagés à Marcq-en-Barœul", "jardins-partages-a-marcq-en-baroeul"),
        ("L'Épeule en fête", "lepeule-en-fete"),
    ],
)
def test_submissions_and_the_admin_share_the_ascii_rule(title, slug):
    assert slug_base(title, 60, "poc") == slug


def test_an_old_accented_slug_becomes_ascii_when_republished_and_its_url_redirects(
    staff_client, django_capture_on_commit_callbacks
):
    """Pages made before the rule keep their URL until staff publish them again."""
    old = make_poc("Banc connecté", slug="banc-connecté")
    assert old.url == "/catalogue/banc-connect%C3%A9/"
    edit_url = reverse("wagtailadmin_pages:edit", args=(old.pk,))

    with django_capture_on_commit_callbacks(execute=True):  # Wagtail redirects on commit
        response = staff_client.post(edit_url, poc_form_data(title=old.title, slug=old.slug))
    assert response.status_code == 302, response.context and response.context["form"].errors

    old.refresh_from_db()
    assert old.url == "/catalogue/banc-connecte/"
    redirect = staff_client.get("/catalogue/banc-connect%C3%A9/")
    assert redirect.status_code == 301
    assert redirect["Location"].endswith("/catalogue/banc-connecte/")
