"""Atom feeds of newly published POCs: all of them, per theme and per commune.

A feed reader or a newsroom follows what the Métropole publishes without visiting the site:
each entry is a POC's card (title, summary, makers, themes) linking to its page, newest
first, in the language of the feed's address (`/feeds/pocs/`, `/en/feeds/pocs/`). Entries
are cards (`POCPageQuerySet.cards`): a fixed number of queries however many POCs, and only
published ones. Feeds change only on publication, so they are stored whole per published
version like the pages (`cache_response`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from .models import CatalogueIndexPage, Commune, POCCard, POCPage, POCPageQuerySet, Theme
from .published_responses import cache_response
from .translations import active_language

# Enough for a reader polling daily or weekly; older POCs are in the catalogue.
FEED_LENGTH = 30


@dataclass(frozen=True)
class FeedSubject:
    """What a feed follows: every POC, or those of one theme or commune."""

    title: str
    subtitle: str
    link: str
    pocs: POCPageQuerySet


class NewPOCsFeed(Feed):
    """Every newly published POC (`/feeds/pocs/`)."""

    feed_type = Atom1Feed

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return cache_response(super().__call__(request, *args, **kwargs))

    def get_object(self, request: HttpRequest, *args, **kwargs) -> FeedSubject:
        return FeedSubject(
            title=_("New POCs"),
            subtitle=_(
                "The design proofs of concept of the Lille Métropole, as they are published."
            ),
            link=CatalogueIndexPage.url_for_visitor(request),
            pocs=POCPage.objects.published(),
        )

    def title(self, subject: FeedSubject) -> str:
        return f"{subject.title} · {_('POC Showcase')}"

    def subtitle(self, subject: FeedSubject) -> str:
        return subject.subtitle

    def link(self, subject: FeedSubject) -> str:
        return subject.link

    def author_name(self) -> str:
        return _("POC Showcase · Lille Métropole")

    def items(self, subject: FeedSubject) -> list[POCCard]:
        newest = subject.pocs.order_by("-first_published_at", "-pk")
        language = active_language()
        return [card.in_language(language) for card in newest[:FEED_LENGTH].cards(language)]

    def item_title(self, card: POCCard) -> str:
        return card.title

    def item_description(self, card: POCCard) -> str:
        return card.summary

    def item_link(self, card: POCCard) -> str:
        return card.url

    def item_pubdate(self, card: POCCard) -> datetime | None:
        return card.first_published_at

    def item_author_name(self, card: POCCard) -> str | None:
        # Makers are listed holder first: the one who carries the POC.
        return card.makers[0].label if card.makers else None

    def item_categories(self, card: POCCard) -> list[str]:
        return [theme.label for theme in card.themes]


class ThemeFeed(NewPOCsFeed):
    """Newly published POCs of one theme (`/feeds/themes/<slug>/`)."""

    def get_object(self, request: HttpRequest, slug: str) -> FeedSubject:
        theme = get_object_or_404(Theme, slug=slug)
        return FeedSubject(
            title=_("New POCs: %(theme)s") % {"theme": theme.label},
            subtitle=theme.localized_description or theme.label,
            link=theme.get_absolute_url(),
            pocs=POCPage.objects.published().filter(themes=theme),
        )


class CommuneFeed(NewPOCsFeed):
    """Newly published POCs of one commune (`/feeds/communes/<slug>/`)."""

    def get_object(self, request: HttpRequest, slug: str) -> FeedSubject:
        commune = get_object_or_404(Commune, slug=slug)
        return FeedSubject(
            title=_("New POCs in %(commune)s") % {"commune": commune.name},
            subtitle=_("The design proofs of concept tried out in %(commune)s.")
            % {"commune": commune.name},
            link=commune.get_absolute_url(),
            pocs=POCPage.objects.published().filter(commune=commune),
        )


@dataclass(frozen=True)
class FeedLink:
    title: str
    url: str


def all_pocs_feed() -> FeedLink:
    return FeedLink(f"{_('New POCs')} · {_('POC Showcase')}", reverse("poc_catalogue:feed_pocs"))


def theme_feed(slug: str, label: str) -> FeedLink:
    return FeedLink(
        _("New POCs: %(theme)s") % {"theme": label},
        reverse("poc_catalogue:feed_theme", kwargs={"slug": slug}),
    )


def commune_feed(slug: str, name: str) -> FeedLink:
    return FeedLink(
        _("New POCs in %(commune)s") % {"commune": name},
        reverse("poc_catalogue:feed_commune", kwargs={"slug": slug}),
    )
