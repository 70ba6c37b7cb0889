"""Pages cost a fixed number of SQL queries, however many makers, tags and images a POC has.

Each page is rendered once to create its image renditions, then measured on a second
render. The small and the large cases must cost exactly the same; the absolute ceiling is
generous so that restyled templates keep passing as long as they use the prefetched data
(`makers`, `gallery`, `themes`, `tags` in the POC page context; `poc.poc_makers.all`,
`poc.themes.all` and `poc.hero_image` on cards).
"""

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from poc_catalogue.models import HomePage, HomePageFeaturedPOC, MakerKind
from tests.factories import commune, make_image, make_maker, make_poc, theme

pytestmark = pytest.mark.django_db

# The one ceiling, for every page: the most SQL queries it may cost once its renditions exist.
# The POC page is the costliest: on the database backend it reads two lists of cards (similar
# POCs, nearby POCs), about eight queries each.
CEILING = 40
ALL_THEMES = ["mobilite", "habiter", "prendre-soin"]


def _queries(client, url: str) -> int:
    """What rendering the page costs: not served from its cached fragment."""
    assert client.get(url).status_code == 200  # warm up: renditions are created once
    caches[settings.PUBLISHED_CACHE].clear()
    # Clearing the fragments cleared Wagtail's site root paths too (one cache holds both);
    # a running site reads them once per cache lifetime, not once per page.
    Site.get_site_root_paths()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _maker_with_logo(name: str | None = None, **kwargs):
    return make_maker(name, logo=make_image(), **kwargs)


def _small_poc(title: str, **kwargs):
    """One of everything: an empty relation skips its prefetch query, which is fine."""
    kwargs.setdefault("themes", [theme("mobilite")])
    kwargs.setdefault("makers", [_maker_with_logo()])
    return make_poc(title, tags=["vélo"], gallery=1, **kwargs)


def _large_poc(title: str, makers=None, **kwargs):
    makers = makers or []
    extra = [_maker_with_logo(kind=MakerKind.DESIGNER) for _ in range(6 - len(makers))]
    return make_poc(
        title,
        themes=[theme(slug) for slug in ALL_THEMES],
        makers=makers + extra,
        tags=[f"mot-clé {n}" for n in range(12)],
        gallery=5,
        **kwargs,
    )


def test_a_poc_page_costs_the_same_however_rich_it_is(client):
    small = _small_poc("Petit projet")
    large = _large_poc("Grand projet")
    small_count = _queries(client, small.url)
    large_count = _queries(client, large.url)
    assert small_count == large_count
    assert large_count <= CEILING


def test_a_maker_page_costs_the_same_however_many_pocs_and_partners(client):
    quiet = _maker_with_logo("Atelier Discret")
    busy = _maker_with_logo("Atelier Prolifique")
    _small_poc("Seul projet", makers=[quiet])
    for number in range(5):
        _large_poc(f"Projet foisonnant {number}", makers=[busy])
    quiet_count = _queries(client, quiet.get_absolute_url())
    busy_count = _queries(client, busy.get_absolute_url())
    assert quiet_count == busy_count
    assert busy_count <= CEILING


def test_theme_and_commune_pages_cost_the_same_however_many_pocs(client):
    _small_poc("Projet à Seclin", commune=commune("Seclin"))
    for number in range(4):
        _large_poc(f"Projet à Roubaix {number}", commune=commune("Roubaix"))
    assert _queries(client, commune("Seclin").get_absolute_url()) == _queries(
        client, commune("Roubaix").get_absolute_url()
    )
    _small_poc("Projet habitant", themes=[theme("ville-collaborative")])
    assert _queries(client, theme("ville-collaborative").get_absolute_url()) == _queries(
        client, theme("mobilite").get_absolute_url()
    )


def test_the_catalogue_costs_the_same_with_few_or_a_full_page_of_rich_pocs(client):
    for number in range(2):
        _small_poc(f"Projet simple {number}")
    few = _queries(client, "/catalogue/")
    for number in range(6):
        _large_poc(f"Projet riche {number}")
    for number in range(20):  # more than a page (24) of results
        _small_poc(f"Autre projet {number}")
    many = _queries(client, "/catalogue/")
    assert few == many
    assert many <= CEILING


def test_the_home_page_costs_the_same_with_one_or_six_featured_pocs(client):
    home = HomePage.objects.get()
    HomePageFeaturedPOC.objects.create(home_page=home, poc=_small_poc("À la une"), sort_order=0)
    one = _queries(client, "/")
    for number in range(5):
        HomePageFeaturedPOC.objects.create(
            home_page=home, poc=_large_poc(f"Aussi à la une {number}"), sort_order=number + 1
        )
    six = _queries(client, "/")
    assert one == six
    assert six <= CEILING
