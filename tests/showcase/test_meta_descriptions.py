"""Every public page describes itself to search engines, in the visitor's language."""

from __future__ import annotations

import re

import pytest

from tests.factories import commune, make_maker, make_poc, theme

pytestmark = pytest.mark.django_db

DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')


def descriptions(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    return DESCRIPTION.findall(response.content.decode())


@pytest.fixture
def public_urls(without_elasticsearch) -> list[str]:
    maker = make_maker("Atelier Lumière")
    poc = make_poc(
        "Lampadaires solaires",
        summary="Des lampadaires alimentés par le soleil, dessinés avec les habitants du quartier.",
        makers=[maker],
        themes=[theme("habiter")],
        commune=commune("Roubaix"),
    )
    return [
        "/",
        "/catalogue/",
        "/catalogue/?q=lampadaires&theme=habiter",
        poc.url,
        "/themes/habiter/",
        "/communes/roubaix/",
        "/makers/atelier-lumiere/",
        "/submit/",
    ]


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_each_public_page_has_one_description(client, public_urls, prefix):
    for url in public_urls:
        found = descriptions(client, prefix + url)
        assert len(found) == 1, (url, found)
        assert len(found[0]) >= 20, (url, found)


def test_descriptions_speak_the_visitors_language(client, public_urls):
    assert "preuves de concept" in descriptions(client, "/communes/roubaix/")[0]
    assert "design proofs of concept" in descriptions(client, "/en/communes/roubaix/")[0]
    assert "Proposez une preuve de concept" in descriptions(client, "/submit/")[0]
    assert "Propose a design proof of concept" in descriptions(client, "/en/submit/")[0]


def test_a_theme_page_is_described_by_its_theme(client, public_urls):
    habiter = theme("habiter")
    assert descriptions(client, "/themes/habiter/") == [habiter.description]
