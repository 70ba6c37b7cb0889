"""The POC form's position panel: a map, and the commune-centre fallback said in words."""

import json
import re

import pytest
from django.urls import reverse

from poc_catalogue.models import Commune
from tests.admin_forms import add_poc_url
from tests.factories import make_poc

pytestmark = pytest.mark.django_db

FALLBACK = "Without a position, the POC is placed at the centre of its commune."


def test_the_location_tab_has_a_map_with_the_commune_centres(staff_client, settings):
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    response = staff_client.get(add_poc_url())
    html = response.content.decode()

    assert "data-position-map" in html
    assert 'data-tile-url="https://tiles.example.org/{z}/{x}/{y}.png"' in html
    assert "vendor/leaflet/leaflet.js" in html
    assert "js/admin-position-map.js" in html
    centres_json = re.search(
        r'<script id="position-map-communes-[^"]*" type="application/json">(.*?)</script>', html
    )
    centres = json.loads(centres_json.group(1))
    roubaix = Commune.objects.get(name="Roubaix")
    assert centres[str(roubaix.pk)] == [roubaix.latitude, roubaix.longitude]
    # The admin's policy lets the tiles in.
    assert "https://tiles.example.org" in response["Content-Security-Policy"]


def test_without_a_position_the_form_says_where_the_poc_goes(staff_client):
    html = staff_client.get(add_poc_url()).content.decode()
    assert "data-position-fallback>" in html.replace("\n", "")
    assert FALLBACK in html


def test_with_a_position_the_fallback_sentence_is_hidden(staff_client):
    poc = make_poc("Banc placé", latitude=50.69, longitude=3.18)
    html = staff_client.get(reverse("wagtailadmin_pages:edit", args=(poc.pk,))).content.decode()
    assert "data-position-fallback hidden" in html
