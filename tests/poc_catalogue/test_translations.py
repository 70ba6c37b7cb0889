"""English pages: translations where staff made them, the French page (marked so) elsewhere.

Through the door visitors take: the site's addresses, the language switcher and the
`hreflang` alternates, with translations made by wagtail-localize as the admin makes them.
"""

from __future__ import annotations

import html
import re

import pytest
from django.conf import settings
from django.utils import translation

from poc_catalogue.models import POCPage
from tests.factories import catalogue, commune, english, make_poc, theme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def french_after_the_test():
    """An English page activates English in this thread: give the next tests French back."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def cargo_bikes():
    """A POC translated into English, with a slug of its own."""
    poc = make_poc(
        "Vélos cargo partagés",
        summary="Des vélos-cargos en libre-service pour les commerçants.",
        themes=[theme("mobilite")],
        commune=commune("Roubaix"),
    )
    english(
        poc,
        title="Shared cargo bikes",
        slug="shared-cargo-bikes",
        summary="Self-service cargo bikes for shopkeepers.",
    )
    return poc


@pytest.fixture
def garden():
    """A POC nobody has translated yet."""
    return make_poc("Jardin partagé des Moulins", summary="Un potager cultivé par les voisins.")


def text_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def heading(page_html: str) -> str:
    return re.search(r"<h1[^>]*>.*?</h1>", page_html, re.S).group(0)


def switcher_link(page_html: str, language: str) -> str:
    switcher = page_html.split('class="language-switcher"')[1].split("</nav>")[0]
    return html.unescape(re.search(rf'<a href="([^"]*)" hreflang="{language}"', switcher).group(1))


def alternates(page_html: str) -> dict[str, str]:
    links = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', page_html)
    return {language: html.unescape(href) for language, href in links}


def test_a_translated_poc_is_read_in_english_at_its_english_address(client, cargo_bikes):
    page = text_of(client.get("/en/catalogue/shared-cargo-bikes/"))
    assert heading(page) == "<h1>Shared cargo bikes</h1>"
    assert "Self-service cargo bikes for shopkeepers." in page
    assert '<html lang="en">' in page
    # What staff did not translate comes from the French page: themes, place, pictures.
    assert "Roubaix" in page
    # Its French slug under /en/ (a link shared before the translation) reads it too.
    assert heading(text_of(client.get(f"/en{cargo_bikes.url}"))) == "<h1>Shared cargo bikes</h1>"


def test_an_untranslated_poc_is_served_in_french_under_english_and_marked_french(client, garden):
    page = text_of(client.get(f"/en{garden.url}"))
    assert heading(page) == '<h1 lang="fr">Jardin partagé des Moulins</h1>'
    assert '<p class="lead" lang="fr">Un potager cultivé par les voisins.</p>' in page
    # The frame around it is English, in an English document.
    assert '<html lang="en">' in page
    assert "Skip to content" in page


def test_a_draft_translation_leaves_the_french_page_in_place(client):
    poc = make_poc("Navette électrique")
    english(poc, publish=False, title="Electric shuttle", slug="electric-shuttle")
    assert client.get("/en/catalogue/electric-shuttle/").status_code == 404
    page = text_of(client.get(f"/en{poc.url}"))
    assert heading(page) == '<h1 lang="fr">Navette électrique</h1>'


def test_the_switcher_goes_to_the_same_poc_in_the_other_language(client, cargo_bikes, garden):
    french = text_of(client.get(cargo_bikes.url))
    assert switcher_link(french, "en") == "/en/catalogue/shared-cargo-bikes/"
    in_english = text_of(client.get("/en/catalogue/shared-cargo-bikes/"))
    assert switcher_link(in_english, "fr") == cargo_bikes.url

    untranslated = text_of(client.get(garden.url))
    assert switcher_link(untranslated, "en") == f"/en{garden.url}"
    assert switcher_link(text_of(client.get(f"/en{garden.url}")), "fr") == garden.url


def test_every_page_names_its_alternates_in_both_languages(client, cargo_bikes, garden):
    expected_bikes = {
        "fr": f"http://testserver{cargo_bikes.url}",
        "en": "http://testserver/en/catalogue/shared-cargo-bikes/",
        "x-default": f"http://testserver{cargo_bikes.url}",
    }
    assert alternates(text_of(client.get(cargo_bikes.url))) == expected_bikes
    assert alternates(text_of(client.get("/en/catalogue/shared-cargo-bikes/"))) == expected_bikes
    assert alternates(text_of(client.get(f"/en{garden.url}")))["en"] == (
        f"http://testserver/en{garden.url}"
    )
    for address, english_address in (
        ("/", "/en/"),
        ("/catalogue/?theme=mobilite", "/en/catalogue/?theme=mobilite"),
        ("/submit/", "/en/submit/"),
    ):
        found = alternates(text_of(client.get(address)))
        assert found["en"] == f"http://testserver{english_address}", address
        assert found["fr"] == found["x-default"] == f"http://testserver{address}", address


def test_english_cards_show_the_translation_and_french_ones_say_so(client, cargo_bikes, garden):
    page = text_of(client.get("/en/catalogue/"))
    assert '<a href="/en/catalogue/shared-cargo-bikes/">Shared cargo bikes</a>' in page
    assert f'<h3 class="card__title" lang="fr"><a href="/en{garden.url}">' in page
    french = text_of(client.get("/catalogue/"))
    assert f'<a href="{cargo_bikes.url}">Vélos cargo partagés</a>' in french
    assert "Shared cargo bikes" not in french


def test_the_english_catalogue_shows_its_own_title_and_links(client, cargo_bikes):
    english_catalogue = catalogue().get_translation(
        catalogue().locale.__class__.objects.get(language_code="en")
    )
    english_catalogue.introduction = "Browse the POCs by theme, place or maker."
    english_catalogue.save_revision().publish()
    page = text_of(client.get("/en/catalogue/"))
    assert heading(page) == "<h1>POC catalogue</h1>"
    assert "Browse the POCs by theme, place or maker." in page
    assert 'action="/en/catalogue/"' in page
    home = text_of(client.get("/en/"))
    assert 'href="/en/catalogue/"' in home


def test_a_poc_counts_once_whatever_its_translations(client, cargo_bikes, garden):
    assert POCPage.objects.published().count() == 2
    assert POCPage.objects.live().count() == 3  # the French pages and one translation
    for address in ("/", "/en/"):
        figures = re.search(r'<dl class="figures">.*?</dl>', text_of(client.get(address)), re.S)
        assert "<dd>2</dd>" in figures.group(0), address


def test_an_unknown_english_address_is_not_found(client, garden):
    assert client.get("/en/catalogue/nothing-here/").status_code == 404
    assert client.get("/en/nothing-here/").status_code == 404
