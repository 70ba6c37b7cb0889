"""The catalogue page is a page of the content tree served by the search app's view."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.users.models import UserProfile

from search import connection as connection_module
from search import indexing
from search.catalogue_page import FRAGMENT_HEADER
from tests.factories import catalogue, make_poc
from tests.search.faults import fault

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


# The catalogue served whole: once per published version and address, never past an update.


def count_queries(client, url: str, **headers) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response.content.decode(), len(captured)


def test_a_second_visit_of_the_same_search_is_served_whole(client, with_elasticsearch):
    make_poc("Vélos partagés de Roubaix")
    indexing.rebuild_index()
    url = "/catalogue/?q=v%C3%A9lo"
    count_queries(client, url)
    second, queries = count_queries(client, url)
    assert "partagés de Roubaix" in second
    assert queries == 2  # the published version, and counting the visitor's search


def test_the_results_fragment_and_the_page_are_kept_apart(client, with_elasticsearch):
    make_poc("Vélos partagés de Roubaix")
    indexing.rebuild_index()
    for _ in range(2):
        page, _ = count_queries(client, "/catalogue/")
        fragment, _ = count_queries(client, "/catalogue/", **{FRAGMENT_HEADER: "1"})
        assert page.lstrip().startswith("<!DOCTYPE html>")
        assert "<html" not in fragment and 'id="catalogue-results"' in fragment


def test_an_index_update_shows_on_the_next_visit(client, with_elasticsearch):
    make_poc("Vélos partagés de Roubaix")
    indexing.rebuild_index()
    assert "solidaire" not in count_queries(client, "/catalogue/?q=v%C3%A9lo")[0]

    poc = make_poc("Atelier vélo solidaire")
    indexing.update_pocs([poc.pk])

    assert "solidaire" in count_queries(client, "/catalogue/?q=v%C3%A9lo")[0]


def test_a_page_the_fallback_answered_is_not_kept(client, faulty_cluster):
    make_poc("Fontaine publique")
    indexing.rebuild_index()
    with fault("refused"):
        count_queries(client, "/catalogue/?q=fontaine")
    connection_module.mark_available()
    calls = faulty_cluster.calls
    count_queries(client, "/catalogue/?q=fontaine")
    assert faulty_cluster.calls == calls + 1, "Elasticsearch is asked again once back"
