"""Atom feeds of newly published POCs, read with feedparser as a feed reader reads them."""

from __future__ import annotations

from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone
from lxml import html
from wagtail.models import PageViewRestriction

from poc_catalogue.models import POCPage
from tests.factories import commune, english, make_maker, make_poc, theme

pytestmark = pytest.mark.django_db

SITE = "http://testserver"


def read_feed(client, url: str) -> feedparser.FeedParserDict:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    return feed


def published_days_ago(poc: POCPage, days: int) -> POCPage:
    when = timezone.now() - timedelta(days=days)
    POCPage.objects.filter(pk=poc.pk).update(first_published_at=when, last_published_at=when)
    poc.refresh_from_db()
    return poc


@pytest.fixture
def pocs(without_elasticsearch):
    maker = make_maker("Atelier Lumière")
    return {
        "lampadaires": published_days_ago(
            make_poc(
                "Lampadaires solaires",
                summary="Des lampadaires alimentés par le soleil.",
                makers=[maker],
                themes=[theme("habiter"), theme("mobilite")],
                commune=commune("Roubaix"),
            ),
            3,
        ),
        "velo": published_days_ago(
            make_poc("Vélo cargo", themes=[theme("mobilite")], commune=commune("Lille")), 1
        ),
        "banc": published_days_ago(
            make_poc("Banc partagé", themes=[theme("habiter")], commune=commune("Lille")), 2
        ),
    }


def test_the_feed_of_new_pocs_lists_them_newest_first(client, pocs):
    feed = read_feed(client, "/feeds/pocs/")
    assert feed.feed.title == "Nouveaux POC · Vitrine des POC"
    assert feed.feed.link == SITE + "/catalogue/"
    assert feed.feed.language == "fr"
    assert [entry.title for entry in feed.entries] == [
        "Vélo cargo",
        "Banc partagé",
        "Lampadaires solaires",
    ]
    lampadaires = feed.entries[2]
    assert lampadaires.link == SITE + "/catalogue/lampadaires-solaires/"
    assert lampadaires.summary == "Des lampadaires alimentés par le soleil."
    assert lampadaires.author == "Atelier Lumière"
    assert [tag.term for tag in lampadaires.tags] == ["Habiter", "Mobilité"]
    published = pocs["lampadaires"].first_published_at
    assert lampadaires.published_parsed[:6] == published.utctimetuple()[:6]


def test_a_themes_feed_holds_its_pocs_only(client, pocs):
    feed = read_feed(client, "/feeds/themes/habiter/")
    assert feed.feed.title == "Nouveaux POC : Habiter · Vitrine des POC"
    assert feed.feed.link == SITE + "/themes/habiter/"
    assert [entry.title for entry in feed.entries] == ["Banc partagé", "Lampadaires solaires"]


def test_a_communes_feed_holds_its_pocs_only(client, pocs):
    feed = read_feed(client, "/feeds/communes/lille/")
    assert feed.feed.title == "Nouveaux POC à Lille · Vitrine des POC"
    assert feed.feed.link == SITE + "/communes/lille/"
    assert [entry.title for entry in feed.entries] == ["Vélo cargo", "Banc partagé"]
    assert read_feed(client, "/feeds/communes/wambrechies/").entries == []


def test_unknown_themes_and_communes_have_no_feed(client, pocs):
    assert client.get("/feeds/themes/nulle-part/").status_code == 404
    assert client.get("/feeds/communes/nulle-part/").status_code == 404


def test_the_english_feed_links_to_the_english_pages(client, pocs):
    english(pocs["lampadaires"], title="Solar street lights", slug="solar-street-lights")
    feed = read_feed(client, "/en/feeds/themes/habiter/")
    assert feed.feed.title == "New POCs: Living · POC Showcase"
    assert feed.feed.language == "en"
    lampadaires, banc = feed.entries[1], feed.entries[0]
    assert lampadaires.title == "Solar street lights"
    assert lampadaires.link == SITE + "/en/catalogue/solar-street-lights/"
    assert [tag.term for tag in lampadaires.tags] == ["Living", "Mobility"]
    # Not translated yet: its French text, at its address on the English site.
    assert banc.title == "Banc partagé"
    assert banc.link == SITE + "/en/catalogue/banc-partage/"


def test_feeds_never_show_drafts_or_private_pocs(client, pocs):
    make_poc("Projet en brouillon", themes=[theme("habiter")], publish=False)
    private = make_poc("Projet réservé", themes=[theme("habiter")])
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="clé"
    )
    for url in ("/feeds/pocs/", "/feeds/themes/habiter/", "/feeds/communes/lille/"):
        titles = [entry.title for entry in read_feed(client, url).entries]
        assert "Projet en brouillon" not in titles and "Projet réservé" not in titles, url


def test_a_publication_shows_in_the_feed_at_once(client, pocs):
    read_feed(client, "/feeds/pocs/")  # stored whole until the next publication
    make_poc("Kiosque solidaire")
    assert read_feed(client, "/feeds/pocs/").entries[0].title == "Kiosque solidaire"


def feed_links(client, url: str) -> dict[str, str]:
    document = html.fromstring(client.get(url).content)
    return {
        link.get("href"): link.get("title")
        for link in document.xpath('//head/link[@rel="alternate"][@type="application/atom+xml"]')
    }


def test_pages_link_to_their_feeds(client, pocs):
    everything = "/feeds/pocs/"
    assert set(feed_links(client, "/")) == {everything}
    assert set(feed_links(client, pocs["velo"].url)) == {everything}
    assert feed_links(client, "/themes/habiter/") == {
        everything: "Nouveaux POC · Vitrine des POC",
        "/feeds/themes/habiter/": "Nouveaux POC : Habiter",
    }
    assert set(feed_links(client, "/communes/lille/")) == {everything, "/feeds/communes/lille/"}
    assert set(feed_links(client, "/catalogue/?theme=habiter&commune=lille")) == {
        everything,
        "/feeds/themes/habiter/",
        "/feeds/communes/lille/",
    }
    assert set(feed_links(client, "/en/themes/habiter/")) == {
        "/en/feeds/pocs/",
        "/en/feeds/themes/habiter/",
    }
    # Every link leads to a valid feed.
    for url in feed_links(client, "/catalogue/?theme=habiter&commune=lille"):
        read_feed(client, url)
