"""What search engines and shared links read of the site: the sitemap with its language
alternates, robots.txt, each page's canonical address, OpenGraph and Twitter card tags, and
schema.org JSON-LD, read with extruct (as a crawler would) and lxml, values checked."""

from __future__ import annotations

from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import extruct
import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from lxml import etree, html
from PIL import Image
from wagtail.models import PageViewRestriction

from poc_catalogue.models import MakerKind, MakerRole, POCMaker
from tests.factories import commune, english, make_image, make_maker, make_poc, theme

pytestmark = pytest.mark.django_db

SITE = "http://testserver"
SITEMAP_NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "x": "http://www.w3.org/1999/xhtml",
}


def read_page(client, url: str) -> tuple[html.HtmlElement, dict]:
    response = client.get(url)
    assert response.status_code == 200, url
    text = response.content.decode()
    data = extruct.extract(
        text, base_url=SITE + url, syntaxes=["json-ld", "opengraph"], uniform=True
    )
    return html.fromstring(text), data


def open_graph(data: dict) -> dict[str, str]:
    (properties,) = data["opengraph"]
    return properties


def json_ld(data: dict, kind: str) -> dict:
    found = [item for item in data["json-ld"] if item["@type"] == kind]
    assert len(found) == 1, data["json-ld"]
    return found[0]


def canonical(document: html.HtmlElement) -> str | None:
    links = document.xpath('//head/link[@rel="canonical"]/@href')
    assert len(links) <= 1
    return links[0] if links else None


def meta_name(document: html.HtmlElement, name: str) -> str | None:
    values = document.xpath(f'//head/meta[@name="{name}"]/@content')
    return values[0] if values else None


@pytest.fixture
def lampadaires(without_elasticsearch):
    holder = make_maker("Atelier Lumière", website="https://atelier-lumiere.example")
    designer = make_maker("Camille Durand", kind=MakerKind.DESIGNER)
    partner = make_maker("Ville de Roubaix", kind=MakerKind.PUBLIC_BODY)
    poc = make_poc(
        "Lampadaires solaires",
        summary="Des lampadaires alimentés par le soleil, dessinés avec les habitants.",
        makers=[holder],
        themes=[theme("habiter"), theme("mobilite")],
        commune=commune("Roubaix"),
        address="12 rue de l'Épeule",
        latitude=50.6861,
        longitude=3.1655,
        year=2019,
        hero_image=make_image(width=1600, height=1200),
        hero_alt_text="Un lampadaire solaire dans une rue de Roubaix",
        hero_credit="Atelier Lumière, Roubaix, 2019",
    )
    for order, maker, role in ((1, designer, MakerRole.DESIGNER), (2, partner, MakerRole.PARTNER)):
        POCMaker.objects.create(page=poc, maker=maker, role=role, sort_order=order)
    POCMaker.objects.filter(page=poc, maker=holder).update(sort_order=0)
    return poc


# JSON-LD


def test_a_poc_page_describes_the_poc_as_a_creative_work(client, lampadaires):
    _document, data = read_page(client, lampadaires.url)
    work = json_ld(data, "CreativeWork")
    assert work["url"] == SITE + "/catalogue/lampadaires-solaires/"
    assert work["name"] == "Lampadaires solaires"
    assert work["description"].startswith("Des lampadaires alimentés par le soleil")
    assert work["inLanguage"] == "fr"
    assert work["keywords"] == ["Habiter", "Mobilité"]
    assert [(c["@type"], c["name"]) for c in work["creator"]] == [
        ("Organization", "Atelier Lumière"),
        ("Person", "Camille Durand"),
    ]
    assert work["creator"][0]["url"] == SITE + "/makers/atelier-lumiere/"
    assert [(c["@type"], c["name"]) for c in work["contributor"]] == [
        ("GovernmentOrganization", "Ville de Roubaix")
    ]
    place = work["contentLocation"]
    assert place["@type"] == "Place" and place["name"] == "Roubaix"
    assert place["geo"] == {"@type": "GeoCoordinates", "latitude": 50.6861, "longitude": 3.1655}
    assert place["address"]["streetAddress"] == "12 rue de l'Épeule"
    assert place["address"]["addressLocality"] == "Roubaix"
    assert work["dateCreated"] == "2019"
    assert work["datePublished"] == lampadaires.first_published_at.isoformat()
    assert work["image"]["url"].startswith(SITE + settings.MEDIA_URL)
    assert work["image"]["caption"] == "Un lampadaire solaire dans une rue de Roubaix"
    assert work["image"]["creditText"] == "Atelier Lumière, Roubaix, 2019"


def test_on_the_english_site_the_poc_speaks_english(client, lampadaires):
    english(lampadaires, title="Solar street lights", slug="solar-street-lights")
    _document, data = read_page(client, "/en/catalogue/solar-street-lights/")
    work = json_ld(data, "CreativeWork")
    assert work["url"] == SITE + "/en/catalogue/solar-street-lights/"
    assert work["name"] == "Solar street lights"
    assert work["inLanguage"] == "en"
    assert work["keywords"] == ["Living", "Mobility"]


def test_a_poc_placed_at_its_communes_centre_gives_the_centre(client, without_elasticsearch):
    poc = make_poc("Banc partagé", commune=commune("Lille"))
    _document, data = read_page(client, poc.url)
    lille = commune("Lille")
    geo = json_ld(data, "CreativeWork")["contentLocation"]["geo"]
    assert (geo["latitude"], geo["longitude"]) == (lille.latitude, lille.longitude)


def test_a_maker_page_describes_an_organization_or_a_person(client, lampadaires):
    _document, data = read_page(client, "/makers/atelier-lumiere/")
    studio = json_ld(data, "Organization")
    assert studio["name"] == "Atelier Lumière"
    assert studio["url"] == SITE + "/makers/atelier-lumiere/"
    assert studio["description"] == "Atelier Lumière, acteur du design en métropole lilloise."
    assert studio["sameAs"] == ["https://atelier-lumiere.example"]

    _document, data = read_page(client, "/makers/camille-durand/")
    assert json_ld(data, "Person")["name"] == "Camille Durand"


def test_the_catalogue_lists_its_pocs_in_order(client, without_elasticsearch):
    for number in range(30):
        make_poc(f"Jardin partagé {number:02d}", themes=[theme("habiter")])
    make_poc("Vélo cargo", themes=[theme("mobilite")])

    _document, data = read_page(client, "/catalogue/?theme=habiter&sort=title")
    listed = json_ld(data, "ItemList")
    assert listed["numberOfItems"] == 30
    items = listed["itemListElement"]
    assert [item["position"] for item in items] == list(range(1, 25))
    assert items[0]["name"] == "Jardin partagé 00"
    assert items[0]["url"] == SITE + "/catalogue/jardin-partage-00/"

    _document, data = read_page(client, "/catalogue/?theme=habiter&sort=title&page=2")
    items = json_ld(data, "ItemList")["itemListElement"]
    assert [item["position"] for item in items] == list(range(25, 31))
    assert items[-1]["name"] == "Jardin partagé 29"


@pytest.mark.parametrize(
    ("url", "name", "language"),
    [
        ("/", "Vitrine des POC · Métropole lilloise", "fr"),
        ("/en/", "POC Showcase · Lille Métropole", "en"),
    ],
)
def test_the_home_page_names_the_website(client, without_elasticsearch, url, name, language):
    _document, data = read_page(client, url)
    site = json_ld(data, "WebSite")
    assert (site["name"], site["url"], site["inLanguage"]) == (name, SITE + url, language)


def test_json_ld_cannot_be_broken_out_of(client, without_elasticsearch):
    poc = make_poc("Fin </script><script>alert(1)</script>", slug="fin-de-script")
    response = client.get(poc.url)
    assert b"<script>alert(1)" not in response.content
    _document, data = read_page(client, poc.url)
    assert json_ld(data, "CreativeWork")["name"] == "Fin </script><script>alert(1)</script>"


# Canonical addresses, OpenGraph and Twitter cards


def test_a_poc_page_shares_its_hero_image_at_1200_by_630(client, lampadaires):
    document, data = read_page(client, lampadaires.url)
    og = open_graph(data)
    assert og["@type"] == "article"  # extruct reads og:type as the object's type
    assert og["og:title"] == "Lampadaires solaires"
    assert og["og:description"] == meta_name(document, "description")
    assert og["og:url"] == canonical(document) == SITE + "/catalogue/lampadaires-solaires/"
    assert og["og:locale"] == "fr_FR"
    assert (og["og:image:width"], og["og:image:height"]) == ("1200", "630")
    assert og["og:image:alt"] == "Un lampadaire solaire dans une rue de Roubaix"
    assert meta_name(document, "twitter:card") == "summary_large_image"

    path = urlsplit(og["og:image"]).path.removeprefix(settings.MEDIA_URL)
    with default_storage.open(path) as file, Image.open(file) as picture:
        assert (picture.format, picture.size) == ("JPEG", (1200, 630))


def test_pages_without_a_picture_share_a_summary_card(client, lampadaires):
    for url in ("/", "/catalogue/", "/themes/habiter/", "/en/communes/roubaix/"):
        document, data = read_page(client, url)
        og = open_graph(data)
        assert "og:image" not in og, url
        assert meta_name(document, "twitter:card") == "summary", url
        assert og["og:description"] == meta_name(document, "description"), url
        assert og["og:url"] == canonical(document), url
    assert open_graph(read_page(client, "/en/")[1])["og:locale"] == "en_GB"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/", "/"),
        ("/en/", "/en/"),
        # Filters, words, sorting and the view are states of the one catalogue.
        ("/catalogue/?theme=habiter&q=lampadaire&sort=newest&page=2", "/catalogue/"),
        ("/catalogue/lampadaires-solaires/?utm_source=lettre", "/catalogue/lampadaires-solaires/"),
        ("/en/catalogue/lampadaires-solaires/", "/en/catalogue/lampadaires-solaires/"),
        # A listing's pages are pages of their own; the first has no number.
        ("/themes/habiter/?page=2", "/themes/habiter/?page=2"),
        ("/themes/habiter/?page=1", "/themes/habiter/"),
        ("/communes/roubaix/?page=x", "/communes/roubaix/"),
        ("/makers/atelier-lumiere/", "/makers/atelier-lumiere/"),
        ("/en/submit/", "/en/submit/"),
    ],
)
def test_each_page_names_its_canonical_address(client, lampadaires, url, expected):
    document, _data = read_page(client, url)
    assert canonical(document) == SITE + expected


def test_a_translation_is_canonical_at_its_own_address(client, lampadaires):
    english(lampadaires, title="Solar street lights", slug="solar-street-lights")
    # The French address under /en/ serves the translation too, and points to its own.
    document, _data = read_page(client, "/en/catalogue/lampadaires-solaires/")
    assert canonical(document) == SITE + "/en/catalogue/solar-street-lights/"


def test_a_missing_page_names_no_canonical_address(client, lampadaires):
    response = client.get("/catalogue/nulle-part/")
    assert response.status_code == 404
    assert canonical(html.fromstring(response.content)) is None


# The sitemap


def sitemap(client) -> dict[str, dict[str, str]]:
    """Each `<loc>` with its alternates by hreflang."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = etree.fromstring(response.content)
    return {
        url.findtext("s:loc", namespaces=SITEMAP_NS): {
            link.get("hreflang"): link.get("href")
            for link in url.iterfind("x:link", namespaces=SITEMAP_NS)
        }
        for url in root.iterfind("s:url", namespaces=SITEMAP_NS)
    }


def test_the_sitemap_lists_every_public_page_in_both_languages(client, lampadaires):
    english(lampadaires, title="Solar street lights", slug="solar-street-lights")
    untranslated = make_poc("Banc partagé", commune=commune("Lille"))
    urls = sitemap(client)

    both = {
        "fr": SITE + "/catalogue/lampadaires-solaires/",
        "en": SITE + "/en/catalogue/solar-street-lights/",
        "x-default": SITE + "/catalogue/lampadaires-solaires/",
    }
    assert urls[both["fr"]] == both
    assert urls[both["en"]] == both
    # Untranslated, the French page is read under /en/.
    assert urls[SITE + "/en/catalogue/banc-partage/"]["fr"] == SITE + untranslated.url
    for path in (
        "/",
        "/catalogue/",
        "/themes/habiter/",
        "/themes/prendre-soin/",
        "/communes/roubaix/",
        "/makers/atelier-lumiere/",
        "/makers/camille-durand/",
        "/submit/",
    ):
        assert SITE + path in urls, path
        assert SITE + "/en" + path in urls, path


def test_the_sitemap_names_the_same_alternates_as_the_pages(client, lampadaires):
    english(lampadaires, title="Solar street lights", slug="solar-street-lights")
    urls = sitemap(client)
    for url in (lampadaires.url, "/en/catalogue/solar-street-lights/", "/communes/roubaix/"):
        document, _data = read_page(client, url)
        on_page = {
            link.get("hreflang"): link.get("href")
            for link in document.xpath('//head/link[@rel="alternate"][@hreflang]')
        }
        assert urls[SITE + url] == on_page, url


def test_the_sitemap_leaves_out_what_visitors_cannot_see(client, lampadaires):
    draft = make_poc("Projet en brouillon", publish=False)
    private = make_poc("Projet réservé")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="clé"
    )
    make_maker("Atelier Caché", is_public=False)
    urls = "\n".join(sitemap(client))
    assert draft.slug not in urls
    assert "projet-reserve" not in urls
    assert "atelier-cache" not in urls
    # A commune without a published POC has an empty page: not worth a crawler's visit.
    assert "/communes/wambrechies/" not in urls
    assert "/submit/status/" not in urls


def test_robots_txt_keeps_crawlers_to_public_pages_and_names_the_sitemap(client, lampadaires):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    robots = RobotFileParser()
    robots.parse(response.content.decode().splitlines())
    for path in ("/", "/catalogue/?theme=habiter", lampadaires.url, "/en/makers/atelier-lumiere/"):
        assert robots.can_fetch("*", SITE + path), path
    for path in (
        "/admin/",
        "/api/catalogue/search/?q=velo",
        "/submit/status/abc/",
        "/en/submit/status/abc/",
        "/submit/thanks/",
    ):
        assert not robots.can_fetch("*", SITE + path), path
    assert robots.site_maps() == [SITE + "/sitemap.xml"]
