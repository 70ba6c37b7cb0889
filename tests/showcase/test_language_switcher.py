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


def switcher_next(page_html: str) -> str:
    form = page_html.split('class="language-switcher"')[1].split("</form>")[0]
    return html.unescape(re.search(r'name="next" value="([^"]*)"', form).group(1))


@pytest.fixture
def mobility_poc():
    return make_poc("Vélo-cargo partagé", themes=[theme("mobilite")], commune=commune("Roubaix"))


def test_the_switcher_carries_the_filters_and_the_map_view_to_english(client, mobility_poc):
    address = "/catalogue/?q=v%C3%A9lo&theme=mobilite&commune=roubaix&view=map"
    page = client.get(address).content.decode()
    assert switcher_next(page) == address

    response = client.post("/i18n/setlang/", {"language": "en", "next": switcher_next(page)})
    assert response.status_code == 302
    assert response["Location"] == (
        "/en/catalogue/?q=v%C3%A9lo&theme=mobilite&commune=roubaix&view=map"
    )
    english = client.get(response["Location"]).content.decode()
    assert "1 POC for “vélo”" in english
    assert 'name="view" value="map"' in english


def test_the_switcher_comes_back_to_french_with_the_same_state(client, mobility_poc):
    client.cookies["django_language"] = "en"
    page = client.get("/en/catalogue/?theme=mobilite&view=map").content.decode()
    response = client.post("/i18n/setlang/", {"language": "fr", "next": switcher_next(page)})
    assert response["Location"] == "/catalogue/?theme=mobilite&view=map"


def test_without_next_the_page_the_visitor_was_on_is_translated(client, mobility_poc):
    client.cookies["django_language"] = "en"
    response = client.post(
        "/i18n/setlang/",
        {"language": "fr"},
        HTTP_REFERER="http://testserver/en/catalogue/?theme=mobilite",
    )
    assert response["Location"] == "http://testserver/catalogue/?theme=mobilite"
