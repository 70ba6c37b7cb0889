"""The home and POC pages are rendered once per published version, and never shown stale.

The fragment cache is per process; the version lives in the database. So every change a
visitor could see must be visible on the very next request, here and in any other process.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from poc_catalogue.models import HomePage, HomePageFeaturedPOC, POCPage, PublishedVersion
from poc_catalogue.published_cache import bump, published_version
from tests.factories import make_poc, theme
from tests.processes import manage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def on_the_database(without_elasticsearch) -> None:
    """The pages read similar and nearby POCs from the database: nothing to index."""


def shown(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_cached_page_reads_none_of_what_it_shows(client):
    poc = make_poc("Atelier mobile de réparation", gallery=3, tags=["vélo", "réemploi"])
    for url in ("/", poc.url):
        shown(client, url)
        with CaptureQueriesContext(connection) as captured:
            page = shown(client, url)
        assert "Atelier mobile de réparation" in page
        tables = " ".join(query["sql"] for query in captured.captured_queries)
        assert "poc_catalogue_pocmaker" not in tables and "taggit_tag" not in tables
        assert len(captured) <= 12, [query["sql"][:80] for query in captured.captured_queries]


def test_a_new_title_shows_at_once_on_the_poc_and_home_pages(client):
    poc = make_poc("Banc public modulable")
    assert "Banc public modulable" in shown(client, poc.url)
    assert "Banc public modulable" in shown(client, "/")

    poc.title = "Banc public modulable, deuxième version"
    poc.save_revision().publish()

    assert "deuxième version" in shown(client, poc.url)
    assert "deuxième version" in shown(client, "/")


def test_an_unpublished_poc_leaves_the_home_page_at_once(client):
    poc = make_poc("Kiosque éphémère")
    HomePageFeaturedPOC.objects.create(home_page=HomePage.objects.get(), poc=poc)
    assert "Kiosque éphémère" in shown(client, "/")

    poc.unpublish()

    assert "Kiosque éphémère" not in shown(client, "/")
    assert client.get(poc.url).status_code == 404


def test_a_poc_made_private_leaves_the_home_page_at_once(client):
    poc = make_poc("Jardin des voisins")
    assert "Jardin des voisins" in shown(client, "/")

    PageViewRestriction.objects.create(page=poc, restriction_type=PageViewRestriction.LOGIN)

    assert "Jardin des voisins" not in shown(client, "/")


def test_a_renamed_theme_shows_at_once(client):
    poc = make_poc("Navette fluviale", themes=[theme("mobilite")])
    shown(client, "/"), shown(client, poc.url)
    mobility = theme("mobilite")
    mobility.name = mobility.name_en = "Déplacements doux"
    mobility.save()

    assert "Déplacements doux" in shown(client, "/")
    assert "Déplacements doux" in shown(client, poc.url)


def test_a_draft_saved_by_staff_changes_nothing_and_keeps_the_cache(client):
    poc = make_poc("Fontaine à eau filtrée")
    shown(client, poc.url)
    before = published_version()

    poc.title = "Fontaine, brouillon"
    poc.save_revision()

    assert published_version() == before
    assert "brouillon" not in shown(client, poc.url)


def test_a_preview_neither_reads_nor_fills_the_cache(client):
    poc = make_poc("Passerelle piétonne")
    assert "Passerelle piétonne" in shown(client, poc.url)  # cached

    poc.title = "Passerelle piétonne, variante en bois"
    poc.save_revision()
    draft = poc.get_latest_revision_as_object()
    preview = draft.make_preview_request()
    assert "variante en bois" in preview.rendered_content

    assert "variante en bois" not in shown(client, poc.url)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_publication_in_another_process_shows_here_at_once(client):
    """As when staff publish on one gunicorn worker and a visitor asks another."""
    poc = make_poc("Serre partagée")
    assert "Serre partagée" in shown(client, poc.url)
    assert "Serre partagée" in shown(client, "/")

    published = manage(
        "shell",
        "-c",
        "from poc_catalogue.models import POCPage\n"
        f"poc = POCPage.objects.get(pk={poc.pk})\n"
        "poc.title = 'Serre partagée du quartier Moulins'\n"
        "poc.save_revision().publish()\n",
    )
    assert published.returncode == 0, published.stderr

    assert "quartier Moulins" in shown(client, poc.url)
    assert "quartier Moulins" in shown(client, "/")


# Whole pages: the second visitor without a session gets the first one's page, stored.


def nonces(response) -> tuple[str, set[str]]:
    header = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    return header, set(re.findall(r'nonce="([^"]+)"', response.content.decode()))


def test_a_second_visitor_gets_the_stored_page_without_routing_or_rendering(client):
    poc = make_poc("Atelier mobile de réparation", gallery=2, tags=["vélo"])
    for url in ("/", poc.url):
        first = client.get(url)
        with CaptureQueriesContext(connection) as captured:
            second = client.get(url)
        assert second.status_code == 200
        assert "Atelier mobile de réparation" in second.content.decode()
        # The published version only: no site, page, restriction or image read.
        assert len(captured) == 1, [query["sql"][:80] for query in captured.captured_queries]
        assert nonces(second)[0] != nonces(first)[0]


def test_a_page_rendered_for_a_visitor_reads_the_published_version_once(client):
    """The search deep in the catalogue page uses the version the request read already."""
    poc = make_poc("Atelier mobile de réparation", tags=["vélo"])
    client.cookies["consent"] = "1"  # a cookie of its own: the page is rendered, not stored
    for url in ("/catalogue/?q=atelier", "/catalogue/?theme=mobilite"):
        with CaptureQueriesContext(connection) as captured:
            page = shown(client, url)
        assert f'href="{poc.url}"' in page
        reads = [query for query in captured if "publishedversion" in query["sql"]]
        assert len(reads) == 1, [query["sql"][:80] for query in captured.captured_queries]


def test_each_stored_page_carries_a_fresh_nonce_matching_its_policy(client):
    poc = make_poc("Passerelle piétonne")
    seen = set()
    for _ in range(3):
        header, in_page = nonces(client.get(poc.url))
        assert in_page == {header}, "every inline script must carry the policy's nonce"
        seen.add(header)
    assert len(seen) == 3


def test_staff_with_a_session_get_their_own_page_not_the_stored_one(client, staff_client):
    poc = make_poc("Serre partagée")
    visitor = Client()
    assert "wagtail-userbar" not in shown(visitor, poc.url)
    assert "wagtail-userbar" not in shown(visitor, poc.url)  # stored now

    assert "wagtail-userbar" in shown(staff_client, poc.url)
    assert "wagtail-userbar" not in shown(visitor, poc.url)


def test_a_private_page_is_never_stored_for_anyone(client):
    poc = make_poc("Jardin des voisins")
    restriction = PageViewRestriction.objects.create(
        page=poc, restriction_type=PageViewRestriction.PASSWORD, password="potager"
    )
    assert 'name="password"' in shown(client, poc.url)

    response = client.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{poc.pk}/",
        {"password": "potager", "return_url": poc.url},
    )
    assert response.status_code == 302
    assert "Jardin des voisins</h1>" in shown(client, poc.url)

    stranger = Client()
    for _ in range(2):
        page = shown(stranger, poc.url)
        assert 'name="password"' in page
        assert "Jardin des voisins</h1>" not in page


def test_after_a_restore_no_page_cached_before_it_comes_back(client):
    """A backup brings an older version back; the next change must not meet pages cached
    under the number it raises to."""
    poc = make_poc("Serre partagée")
    assert "Serre partagée" in shown(client, poc.url)
    backed_up = PublishedVersion.objects.values("number", "changed_at").get(pk=1)

    poc.title = "Serre partagée, modifiée après la sauvegarde"
    poc.save_revision().publish()
    assert "modifiée après la sauvegarde" in shown(client, poc.url)
    number_then = PublishedVersion.objects.get(pk=1).number

    # The restore: the dump's rows come back without a signal; then changes (the index
    # rebuild, publications) raise the number again, up to one seen before the restore.
    POCPage.objects.filter(pk=poc.pk).update(title="Serre partagée")
    PublishedVersion.objects.filter(pk=1).update(**backed_up)
    while PublishedVersion.objects.get(pk=1).number < number_then:
        bump()

    assert "modifiée après la sauvegarde" not in shown(client, poc.url)
