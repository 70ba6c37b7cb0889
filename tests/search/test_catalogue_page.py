"""The catalogue page is a page of the content tree served by the search app's view."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.users.models import UserProfile

from tests.factories import catalogue, make_poc

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(user)
    return client


def test_the_admin_preview_of_the_catalogue_shows_the_search_with_unsaved_edits(editor_client):
    make_poc("Vélos partagés de Roubaix")
    page = catalogue()
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=(page.pk,))
    data = {
        "title": "Catalogue des POC",
        "slug": page.slug,
        "introduction": "Une introduction encore en brouillon",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }

    assert editor_client.post(preview_url, data).json() == {"is_valid": True, "is_available": True}
    html = editor_client.get(preview_url).content.decode()

    assert "Une introduction encore en brouillon" in html
    assert "Vélos partagés de Roubaix" in html
    assert 'id="catalogue-form"' in html
    page.refresh_from_db()
    assert page.introduction != "Une introduction encore en brouillon"
