"""The public pages as a visitor sees them: links into the filtered catalogue, cards, languages."""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode

import pytest

from poc_catalogue.models import HomePage, HomePageFeaturedPOC
from tests.factories import commune, make_maker, make_poc, theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def mobility_poc():
    maker = make_maker("Atelier Vauban", bio="Studio lillois.")
    return make_poc(
        "Vélo-cargo partagé",
        themes=[theme("mobilite"), theme("habiter")],
        makers=[maker],
        tags=["vélo", "espace public"],
        commune=commune("Roubaix"),
        contact_email="secret-contact@example.org",
        hero_credit="Atelier Vauban, Vélo-cargo partagé, Roubaix, 2020",
    )


def test_home_shows_themes_with_counts_featured_and_latest_pocs(client, mobility_poc):
    other = make_poc("Jardin de courée", themes=[theme("habiter")])
    HomePageFeaturedPOC.objects.create(home_page=HomePage.objects.get(), poc=mobility_poc)
    html = client.get("/").content.decode()
    assert 'action="/catalogue/"' in html
    assert re.search(r"Habiter</span>\s*<span[^>]*>2 POC", html)
    assert re.search(r"Mobilité</span>\s*<span[^>]*>1 POC", html)
    featured = html.split('id="featured-title"')[1].split("</section>")[0]
    assert "Vélo-cargo partagé" in featured
    latest = html.split('id="latest-title"')[1].split("</section>")[0]
    assert other.title in latest and mobility_poc.title not in latest
    assert re.search(r"<dd>2</dd>", html)


def test_poc_page_links_into_the_filtered_catalogue_and_hides_the_contact(client, mobility_poc):
    html = client.get(mobility_poc.url).content.decode()
    assert 'href="/catalogue/?theme=mobilite"' in html
    assert 'href="/catalogue/?commune=roubaix"' in html
    tag_slug = mobility_poc.tags.get(name="vélo").slug
    assert f'href="/catalogue/?{urlencode({"tag": tag_slug})}"' in html
    assert 'href="/makers/atelier-vauban/"' in html
    assert "Atelier Vauban, Vélo-cargo partagé, Roubaix, 2020" in html
    assert "secret-contact@example.org" not in html
    hero = html.split('class="poc-hero__figure"')[1].split("</figure>")[0]
    assert 'type="image/avif"' in hero and 'type="image/webp"' in hero
    assert re.search(r'<img[^>]+height="\d+"', hero) and re.search(r'<img[^>]+width="\d+"', hero)
    assert 'aria-current="step"' in html


@pytest.mark.parametrize(
    ("url", "filtered"),
    [
        ("/themes/mobilite/", "/catalogue/?theme=mobilite"),
        ("/communes/roubaix/", "/catalogue/?commune=roubaix"),
        ("/makers/atelier-vauban/", "/catalogue/?maker=atelier-vauban"),
    ],
)
def test_theme_commune_and_maker_pages_list_their_pocs(client, mobility_poc, url, filtered):
    html = client.get(url).content.decode()
    assert "Vélo-cargo partagé" in html
    assert f'href="{filtered}"' in html
    assert "1 POC" in html


def test_catalogue_filters_by_theme_and_shows_removable_chips(client, mobility_poc):
    make_poc("Jardin de courée", themes=[theme("habiter")])
    html = client.get("/catalogue/?theme=mobilite").content.decode()
    assert re.search(r'id="results-count">1 POC<', html)
    assert "Vélo-cargo partagé" in html and "Jardin de courée" not in html
    assert 'class="chip" href="?"' in html
    assert re.search(r'name="theme" value="mobilite"[^>]*checked', html)


def test_catalogue_fragment_is_only_the_results_and_facets(client, mobility_poc):
    response = client.get("/catalogue/?theme=mobilite", HTTP_X_CATALOGUE_FRAGMENT="1")
    html = response.content.decode()
    assert html.lstrip().startswith('<div class="catalogue__layout" id="catalogue-results"')
    assert "<header" not in html
    assert "X-Catalogue-Fragment" in response["Vary"]


def test_zero_results_offer_the_filters_to_remove(client, mobility_poc):
    html = client.get("/catalogue/?theme=prendre-soin").content.decode()
    assert "Aucun POC ne correspond à cette recherche." in html
    assert "Prendre soin" in html.split('class="empty-state"')[1]
    assert "Effacer tous les filtres" in html


def test_a_bad_parameter_is_dropped_not_an_error(client, mobility_poc):
    assert client.get("/catalogue/?sort=nonsense&page=abc").status_code == 200


def test_the_site_speaks_french_by_default_and_english_on_request(client, mobility_poc):
    assert "Trier par" in client.get("/catalogue/").content.decode()
    english = client.get("/en/catalogue/").content.decode()
    assert "Sort by" in english
    assert 'lang="en"' in english
    assert '<a href="/catalogue/" hreflang="fr" lang="fr"' in english


def test_unknown_page_gets_the_site_404(client):
    response = client.get("/nowhere/")
    assert response.status_code == 404
    assert "Cette page n’existe pas (ou plus)." in response.content.decode()


def test_map_view_embeds_every_matching_poc_in_the_filtered_theme_colour(client, mobility_poc):
    html = client.get("/catalogue/?view=map&theme=habiter").content.decode()
    points = json.loads(
        html.split('id="catalogue-map-points" type="application/json">')[1].split("</script>")[0]
    )
    assert [(point["title"], point["colour"]) for point in points] == [
        ("Vélo-cargo partagé", theme("habiter").colour)
    ]
    assert points[0]["url"] == mobility_poc.url
    assert 'name="view" value="map"' in html


def test_query_terms_are_highlighted_and_the_rest_stays_escaped(client, mobility_poc):
    make_poc("Vélo <script>alert(1)</script>", summary="Un vélo & des enfants.")
    html = client.get("/catalogue/?q=v%C3%A9lo").content.decode()
    assert re.search(r"<mark>V[ée]lo</mark>", html, re.IGNORECASE)
    assert "<script>alert(1)</script>" not in html
