"""The language switcher keeps what the visitor was looking at: filters, search and map view."""

from __future__ import annotations

import html
import re

import pytest
from django.conf import settings
from django.utils import translation

from tests.factories import commune, make_poc, theme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def french_after_the_test():
    """An English page activates English in this thread: give the next tests French back."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def switcher_link(page_html: str, language: str) -> str:
    switcher = page_html.split('class="language-switcher"')[1].split("</nav>")[0]
    href = re.search(rf'<a href="([^"]*)" hreflang="{language}"', switcher).group(1)
    return html.unescape(href)


@pytest.fixture
def mobility_poc():
    return make_poc("Vélo-cargo partagé", themes=[theme("mobilite")], commune=commune("Roubaix"))


def test_the_switcher_carries_the_filters_and_the_map_view_to_english(client, mobility_poc):
    page = client.get("/catalogue/?q=v%C3%A9lo&theme=mobilite&commune=roubaix&view=map")
    english_address = switcher_link(page.content.decode(), "en")
    assert english_address == "/en/catalogue/?q=v%C3%A9lo&theme=mobilite&commune=roubaix&view=map"

    english = client.get(english_address).content.decode()
    assert "1 POC for “vélo”" in english
    assert 'name="view" value="map"' in english


def test_the_switcher_comes_back_to_french_with_the_same_state(client, mobility_poc):
    page = client.get("/en/catalogue/?theme=mobilite&view=map").content.decode()
    assert switcher_link(page, "fr") == "/catalogue/?theme=mobilite&view=map"


def test_the_switcher_links_a_poc_page_to_itself_in_the_other_language(client, mobility_poc):
    french_address = mobility_poc.url
    page = client.get(french_address).content.decode()
    assert switcher_link(page, "en") == f"/en{french_address}"
    english = client.get(f"/en{french_address}").content.decode()
    assert switcher_link(english, "fr") == french_address


def test_the_current_language_is_marked_not_linked(client, mobility_poc):
    page = client.get("/en/catalogue/").content.decode()
    switcher = page.split('class="language-switcher"')[1].split("</nav>")[0]
    assert 'aria-current="true" lang="en"' in switcher
    assert 'hreflang="en"' not in switcher


def test_pages_set_no_cookie_for_the_switcher(client, mobility_poc):
    """A page with a form posting the language carried a CSRF cookie: no longer."""
    for address in ("/", mobility_poc.url, "/catalogue/", "/en/"):
        response = client.get(address)
        assert response.status_code == 200
        assert not response.cookies, address
