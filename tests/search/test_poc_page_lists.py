"""What a visitor reads of the search on pages: why a card matched, similar and nearby POCs."""

from __future__ import annotations

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


def section(html: str, heading_id: str) -> str:
    return html.split(f'id="{heading_id}"')[1].split("</section>")[0]


def test_a_card_matched_by_a_tag_alone_says_which_tag(client):
    make_poc("Atelier du samedi", summary="Réparer ensemble, une fois par mois.", tags=["vélo"])
    make_poc("Vélos partagés", summary="Des vélos en libre-service.", tags=["vélo"])

    html = client.get("/catalogue/?q=v%C3%A9los").content.decode()

    cards = html.split('<article class="card')[1:]
    by_tag = next(card for card in cards if "Atelier du samedi" in card)
    assert "Mot-clé\u00a0: <mark>vélo</mark>" in by_tag
    by_title = next(card for card in cards if "libre-service" in card)
    assert "Mot-clé" not in by_title


def test_a_poc_page_offers_similar_pocs_and_nearby_ones_with_their_distance(client):
    lille, roubaix = commune("Lille"), commune("Roubaix")
    poc = make_poc(
        "Jardin de courée",
        themes=[theme("habiter")],
        commune=lille,
        latitude=lille.latitude,
        longitude=lille.longitude,
    )
    make_poc(
        "Banc du square",
        themes=[theme("mobilite")],
        commune=lille,
        latitude=lille.latitude + 0.01,
        longitude=lille.longitude,
    )
    make_poc("Potager partagé", themes=[theme("habiter")], commune=roubaix)

    html = client.get(poc.url).content.decode()

    similar = section(html, "related-title")
    assert "POC similaires" in similar
    assert "Potager partagé" in similar
    nearby = section(html, "nearby-title")
    assert "À proximité" in nearby
    titles = re.findall(r'class="card__title"><a href="[^"]+">([^<]+)</a>', nearby)
    assert titles == ["Banc du square", "Potager partagé"]
    assert "à 1,1\u00a0km" in nearby
    assert "POC proches" not in html


def test_nearby_distances_read_naturally_in_english(client):
    lille = commune("Lille")
    poc = make_poc("Jardin de courée", commune=lille)
    make_poc(
        "Banc du square", commune=lille, latitude=lille.latitude + 0.003, longitude=lille.longitude
    )
    make_poc("Kiosque", commune=lille)

    html = client.get(f"/en{poc.url}").content.decode()

    nearby = section(html, "nearby-title")
    assert "Nearby" in nearby
    assert "less than 100 m away" in nearby
    assert "330 m away" in nearby
    assert "The closest POCs to the centre of Lille" in nearby
