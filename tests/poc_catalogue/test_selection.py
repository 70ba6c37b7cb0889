"""A visitor's selection: "Keep" on cards and POC pages, and `/selection/?poc=…` rendered from
its address alone, so a shared link works anywhere, without JavaScript, and shows only public POCs.

The journey in a browser (keeping, copying the link, opening it elsewhere) is in
tests/browser/test_selection_journey.py.
"""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import PageViewRestriction

from poc_catalogue.limits import MAX_SELECTION_SIZE
from poc_catalogue.selection import selected_ids
from tests.factories import english, make_poc

pytestmark = pytest.mark.django_db


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _card_titles(page: str) -> list[str]:
    return [
        html.unescape(title)
        for title in re.findall(r'<h3 class="card__title"[^>]*><a [^>]*>([^<]+)</a>', page)
    ]


def _share_link(page: str) -> str:
    return html.unescape(re.search(r'id="selection-link"[^>]* value="([^"]+)"', page).group(1))


def _exports(page: str) -> dict[str, dict[str, list[str]]]:
    """Each download link's path and query."""
    return {
        urlsplit(href).path: parse_qs(urlsplit(href).query)
        for href in map(html.unescape, re.findall(r'href="([^"]+)" data-export', page))
    }


def test_a_shared_link_shows_its_pocs_in_the_order_they_were_kept(client):
    first, second, _other = make_poc("Banc partagé"), make_poc("Kiosque"), make_poc("Potager")

    page = _page(client, f"/selection/?poc={second.pk}&poc={first.pk}")

    assert _card_titles(page) == ["Kiosque", "Banc partagé"]
    assert "2 POC dans cette sélection." in page
    assert _share_link(page) == f"http://testserver/selection/?poc={second.pk}&poc={first.pk}"
    ids = [str(second.pk), str(first.pk)]
    assert _exports(page) == {
        "/api/catalogue/export.csv": {"poc": ids, "lang": ["fr"]},
        "/api/catalogue/export.geojson": {"poc": ids, "lang": ["fr"]},
    }
    # Anyone's own choice: followed, not indexed.
    assert '<meta name="robots" content="noindex, follow">' in page


def test_drafts_private_pocs_translations_and_anything_else_are_left_out_silently(client):
    public = make_poc("Atelier ouvert")
    draft = make_poc("Brouillon secret", publish=False)
    private = make_poc("Jardin privé")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    translation = english(make_poc("Rue aux écoles"), title="School street")
    asked = [
        draft.pk,
        private.pk,
        translation.pk,
        999_999,
        "abc",
        "-3",
        "0",
        "1e3",
        " ",
        2**31,
        "9" * 40,
        public.pk,
    ]

    page = _page(client, "/selection/?" + "&".join(f"poc={value}" for value in asked))

    assert _card_titles(page) == ["Atelier ouvert"]
    assert "1 POC dans cette sélection." in page
    for hidden in ("Brouillon secret", "Jardin privé", "School street", "Rue aux écoles"):
        assert hidden not in page
    assert _share_link(page) == f"http://testserver/selection/?poc={public.pk}"
    assert _exports(page)["/api/catalogue/export.csv"]["poc"] == [str(public.pk)]


def test_a_private_contact_email_never_shows(client):
    poc = make_poc("Cantine partagée", contact_email="porteuse.secrete@example.org")
    assert "porteuse.secrete" not in _page(client, f"/selection/?poc={poc.pk}")


def test_without_public_pocs_the_page_invites_to_browse_and_offers_no_download(client):
    for url in ("/selection/", "/selection/?poc=424242"):
        page = _page(client, url)
        assert "Rien de gardé pour l’instant" in page
        assert 'href="/catalogue/"' in page
        assert _exports(page) == {}
        assert 'id="selection-link"' not in page


def test_the_english_selection_shows_translations_and_downloads_in_english(client):
    translated = make_poc("Rue aux écoles")
    english(translated, title="School street", summary="Streets closed to cars at school time.")
    untranslated = make_poc("Atelier de réemploi")

    page = _page(client, f"/en/selection/?poc={translated.pk}&poc={untranslated.pk}")

    assert _card_titles(page) == ["School street", "Atelier de réemploi"]
    assert "2 POCs in this selection." in page
    assert 'lang="fr"> Atelier de réemploi</span>' in page  # the Keep button's name, in French
    assert _share_link(page).startswith("http://testserver/en/selection/?poc=")
    assert _exports(page)["/api/catalogue/export.geojson"]["lang"] == ["en"]


def test_cards_and_poc_pages_offer_keep_with_the_french_pocs_id(client):
    poc = make_poc("Vélo-cargo partagé")
    translation = english(poc, title="Shared cargo bike")
    keep = re.compile(r'<button type="button" class="keep-toggle[^"]*" data-keep="(\d+)"')

    for url in ("/", "/catalogue/", poc.url, "/en/catalogue/", translation.url):
        page = _page(client, url)
        assert keep.findall(page)[:1] == [str(poc.pk)], url
        assert 'aria-pressed="false"' in page

    assert "Garder" in _page(client, poc.url)
    assert "Keep" in _page(client, translation.url)


def test_every_page_links_to_the_selection_in_its_language(client):
    poc = make_poc("Halte-garderie mobile")
    assert 'href="/selection/" class="selection-link"' in _page(client, poc.url)
    english_page = _page(client, "/en/catalogue/")
    assert 'href="/en/selection/" class="selection-link"' in english_page
    assert "My selection" in english_page
    assert 'class="selection-link" data-selection-link data-limit="50"' in english_page
    selection = _page(client, "/en/selection/")
    assert 'href="/en/selection/" class="selection-link"' in selection
    assert 'aria-current="page"' in selection.split('class="selection-link"', 1)[1][:200]


def test_a_longer_selection_costs_no_more_queries(client):
    pocs = [make_poc(f"Prototype {number}", gallery=1) for number in range(12)]

    def queries(kept: list) -> int:
        ids = "&".join(f"poc={poc.pk}" for poc in kept)
        with CaptureQueriesContext(connection) as captured:
            assert len(_card_titles(_page(client, f"/selection/?{ids}"))) == len(kept)
        return len(captured)

    # Once, for what the first view makes (the thumbnails) and reads once per process.
    queries(pocs)
    # In other orders: other addresses, so rendered again rather than served whole.
    assert queries(pocs[::-1]) == queries(pocs[1::-1])


def test_ids_are_read_in_order_once_each_and_at_most_the_limit():
    assert selected_ids(["3", "1", "3", " 2 ", "007", "x", "", "-1", "0"]) == [3, 1, 2, 7]
    assert selected_ids([str(2**31 - 1), str(2**31), "²", "١٢"]) == [2**31 - 1]
    many = [str(number) for number in range(1, MAX_SELECTION_SIZE + 20)]
    assert selected_ids(many) == list(range(1, MAX_SELECTION_SIZE + 1))


poc_values = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)


def test_no_address_makes_a_server_error(client):
    make_poc("Banc public")

    @settings(
        max_examples=200,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(values=st.lists(poc_values, max_size=80))
    def visit(values: list[str]) -> None:
        response = client.get("/selection/", {"poc": values})
        assert response.status_code == 200, values

    visit()
