"""What visitors see: POC pages, maker, theme and commune pages, the catalogue and the home page.

Assertions are on content, not markup, so the templates can be restyled freely.
"""

import pytest

from poc_catalogue.models import HomePage, HomePageFeaturedPOC, MakerKind, Stage
from tests.factories import commune, make_maker, make_poc, theme

pytestmark = pytest.mark.django_db


def _html(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode()


def test_a_poc_page_shows_its_content_makers_and_credits(client):
    studio = make_maker("Atelier Trame")
    city = make_maker("Ville de Roubaix", kind=MakerKind.PUBLIC_BODY)
    poc = make_poc(
        "Des bancs pour la Grand-Place",
        summary="Des bancs de réemploi, dessinés avec les habitants.",
        makers=[city, studio],
        themes=[theme("economie-circulaire"), theme("ville-collaborative")],
        tags=["réemploi", "mobilier urbain"],
        commune=commune("Roubaix"),
        hero_alt_text="Trois bancs en bois clair",
        hero_credit="Atelier Trame, Bancs, Roubaix, 2020",
        gallery=2,
        stage=Stage.DEPLOY,
    )
    html = _html(client, poc.url)
    for text in (
        "Des bancs pour la Grand-Place",
        "Des bancs de réemploi, dessinés avec les habitants.",
        "Ville de Roubaix",
        "Atelier Trame",
        studio.get_absolute_url(),
        city.get_absolute_url(),
        "Économie circulaire",
        "Ville collaborative",
        "réemploi",
        "mobilier urbain",
        "Roubaix",
        'alt="Trois bancs en bois clair"',
        "Atelier Trame, Bancs, Roubaix, 2020",
        'alt="Vue 1 du projet Des bancs pour la Grand-Place"',
        'alt="Vue 2 du projet Des bancs pour la Grand-Place"',
    ):
        assert text in html, text


def test_makers_appear_in_the_order_staff_chose(client):
    first, second = make_maker("Zèbre Studio"), make_maker("Atelier Alpha")
    html = _html(client, make_poc("Ordre des acteurs", makers=[first, second]).url)
    assert html.index("Zèbre Studio") < html.index("Atelier Alpha")


def test_a_maker_page_lists_its_published_pocs_only(client):
    maker = make_maker("Collectif Place Libre", kind=MakerKind.COLLECTIVE)
    make_poc("Place aux enfants", makers=[maker])
    make_poc("Projet en préparation", makers=[maker], publish=False)
    make_poc("Projet d'un autre", makers=[make_maker("Autre studio")])
    html = _html(client, maker.get_absolute_url())
    assert "Collectif Place Libre" in html
    assert "Place aux enfants" in html
    assert "Projet en préparation" not in html
    assert "Projet d'un autre" not in html


def test_a_hidden_maker_has_no_public_page(client):
    maker = make_maker("Porteur discret", is_public=False)
    _html(client, maker.get_absolute_url(), status=404)


def test_theme_and_commune_pages_list_their_pocs(client):
    make_poc("Vélos de Lille", themes=[theme("mobilite")], commune=commune("Lille"))
    make_poc("Jardins de Roubaix", themes=[theme("habiter")], commune=commune("Roubaix"))
    mobility = _html(client, theme("mobilite").get_absolute_url())
    assert "Vélos de Lille" in mobility and "Jardins de Roubaix" not in mobility
    roubaix = _html(client, commune("Roubaix").get_absolute_url())
    assert "Jardins de Roubaix" in roubaix and "Vélos de Lille" not in roubaix
    _html(client, "/themes/no-such-theme/", status=404)


def test_the_catalogue_lists_live_pocs_page_by_page(client):
    for number in range(26):
        make_poc(f"Projet numéro {number:02d}")
    make_poc("Brouillon caché", publish=False)
    first = _html(client, "/catalogue/")
    second = _html(client, "/catalogue/?page=2")
    listed = [n for n in range(26) if f"Projet numéro {n:02d}" in first + second]
    assert listed == list(range(26))
    assert "Brouillon caché" not in first + second
    assert sum(f"Projet numéro {n:02d}" in first for n in range(26)) == 24


def test_the_home_page_shows_featured_live_pocs(client):
    home = HomePage.objects.get()
    shown = make_poc("Projet à la une")
    hidden = make_poc("Projet retiré")
    HomePageFeaturedPOC.objects.create(home_page=home, poc=shown, sort_order=0)
    HomePageFeaturedPOC.objects.create(home_page=home, poc=hidden, sort_order=1)
    hidden.unpublish()
    html = _html(client, "/")
    assert "Projet à la une" in html
    assert "Projet retiré" not in html
