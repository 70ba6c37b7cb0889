"""Staff find what they choose by name, with or without accents, in every chooser and listing."""

import json

import pytest
from django.urls import reverse

from tests.factories import make_maker

pytestmark = pytest.mark.django_db


def chooser_results(client, model: str, query: str) -> str:
    """The HTML of the chooser modal the edit form opens for `model`, searched for `query`."""
    url = reverse(f"wagtailsnippetchoosers_poc_catalogue_{model}:choose")
    response = client.get(url, {"q": query})
    assert response.status_code == 200
    return json.loads(response.content)["html"]


def listing(client, model: str, query: str) -> str:
    url = reverse(f"wagtailsnippets_poc_catalogue_{model}:list")
    response = client.get(url, {"q": query})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("roub", "Roubaix"),
        ("Roubaix", "Roubaix"),
        ("lille", "Lille"),
        ("perenchies", "Pérenchies"),
        ("baroeul", "Marcq-en-Barœul"),
        ("59512", "Roubaix"),
    ],
)
def test_the_commune_chooser_finds_communes_by_name_without_accents(staff_client, query, found):
    html = chooser_results(staff_client, "commune", query)
    assert found in html
    assert "Sorry" not in html


def test_the_commune_chooser_lists_only_the_matches(staff_client):
    html = chooser_results(staff_client, "commune", "roub")
    assert "Roubaix" in html
    assert "Armentières" not in html


def test_the_theme_chooser_finds_themes_without_accents(staff_client):
    html = chooser_results(staff_client, "theme", "economie")
    assert "Économie circulaire" in html
    assert "Mobilité" not in html


def test_the_maker_chooser_finds_a_new_maker_without_accents(staff_client):
    make_maker("Collectif de l'Épeule")
    make_maker("Atelier Trame")
    html = chooser_results(staff_client, "maker", "epeule")
    assert "Collectif de l&#x27;Épeule" in html
    assert "Atelier Trame" not in html


@pytest.mark.parametrize(
    ("model", "query", "found", "absent"),
    [
        ("commune", "perench", "Pérenchies", "Roubaix"),
        ("theme", "mobilite", "Mobilité", "Habiter"),
        ("maker", "epeule", "Collectif de l&#x27;Épeule", "Atelier Trame"),
    ],
)
def test_snippet_listings_find_by_name_without_accents(staff_client, model, query, found, absent):
    make_maker("Collectif de l'Épeule")
    make_maker("Atelier Trame")
    html = listing(staff_client, model, query)
    assert found in html
    assert absent not in html
