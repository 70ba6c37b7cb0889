"""Discovery trails ("Parcours"): POCs to visit on foot, in an order staff chose.

A trail is a page under the trails index (`/parcours/`), translated like every page: its
title, introduction and each stop's note are segments for wagtail-localize; its stops' POCs
and its theme are synchronised from the French trail. A stop names a POC page; what the
visitor sees of it is that POC's card (`POCCard`), so a trail shows only published POCs,
and a POC unpublished later drops out of every trail with its walks recomputed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, PageChooserPanel
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index
from wagtail.url_routing import RouteResult

from ..forms import TrailPageForm
from ..gpx import GPX_CONTENT_TYPE, GPXStop, GPXWalk, walk_gpx
from ..panels import NamedInlinePanel
from ..published_responses import cache_response
from ..translations import (
    active_language,
    page_in_language,
    page_language,
    page_url_in_language,
    source_language,
    source_page_id,
    url_in_language,
)
from ..walking import Walk, total_walk, walk_between
from .cards import POCCard
from .poc import POCPage, SectionIndexPage
from .taxonomy import Theme

MAX_NOTE_LENGTH = 600
GPX_PATH = "gpx"


class TrailIndexPage(SectionIndexPage):
    """`/parcours/`: every trail is its child."""

    subpage_types = ["poc_catalogue.TrailPage"]

    class Meta:
        verbose_name = _("trails index")

    @classmethod
    def url_for_visitor(cls, request: HttpRequest | None = None) -> str:
        """The trails' address in the visitor's language, or "" on a site without them."""
        index = cls.objects.live().public().filter(locale__language_code=source_language())
        index = index.first()
        if index is None:
            return ""
        return page_url_in_language(index, active_language(), request)

    def serve(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # Changes only on publication: served whole to visitors without a session.
        return cache_response(super().serve(request, *args, **kwargs))

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context["trails"] = SimpleLazyObject(lambda: self.trails(active_language()))
        return context

    def trails(self, language: str) -> list[TrailSummary]:
        """The published trails, as read in `language`, in the staff's order of the tree."""
        source = self
        if page_language(self) != source_language():
            source = page_in_language(self, source_language()) or self
        french = TrailPage.objects.child_of(source).live().public().order_by("path")
        shown = translations_to_show(list(french.select_related("theme")), language)
        routes = trail_routes(shown, language)
        return [
            TrailSummary(trail, url_for_reader(trail, language), routes[trail.pk])
            for trail in shown
        ]


class TrailPage(Page):
    """A walk through POCs: an introduction, then stops in order, each with a note."""

    introduction = models.TextField(
        _("introduction"),
        help_text=_(
            "Who the trail is for, where it starts and what it shows. "
            "Paragraphs separated by an empty line."
        ),
    )
    # Nullable so that a draft saves without it; the form requires it to publish.
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("theme colour"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "The trail takes this theme's colour: its line on the map, its stop numbers, "
            "its labels."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction"),
        FieldPanel("theme", widget=forms.RadioSelect),
        NamedInlinePanel(
            "stops",
            label=_("Stop"),
            heading=_("Stops, in walking order"),
            add_label=_("Add a stop"),
            help_text=_(
                "The POCs to visit, in the order of the walk (drag to reorder). Walking "
                "distances and times are worked out from their positions."
            ),
        ),
    ]

    search_fields = [*Page.search_fields, index.SearchField("introduction")]

    parent_page_types = ["poc_catalogue.TrailIndexPage"]
    subpage_types: list[str] = []
    base_form_class = TrailPageForm

    class Meta:
        verbose_name = _("trail")
        verbose_name_plural = _("trails")

    def route(self, request: HttpRequest, path_components: list[str]) -> RouteResult:
        # `<trail>/gpx/`: the trail for a phone's map application.
        if path_components == [GPX_PATH] and self.live:
            return RouteResult(self, kwargs={"as_gpx": True})
        return super().route(request, path_components)

    def serve(self, request: HttpRequest, *args, as_gpx: bool = False, **kwargs) -> HttpResponse:
        if as_gpx:
            return cache_response(self.serve_gpx(request))
        # Changes only on publication: served whole to visitors without a session.
        return cache_response(super().serve(request, *args, **kwargs))

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        if getattr(request, "is_preview", False):
            # A preview shows the edited, unsaved stops.
            route = SimpleLazyObject(lambda: edited_route(self, active_language()))
        else:
            route = SimpleLazyObject(self.route_for_visitor)
        context.update(
            route=route,
            map_tile_url=settings.MAP_TILE_URL,
            map_tile_attribution=settings.MAP_TILE_ATTRIBUTION,
        )
        return context

    def serve_gpx(self, request: HttpRequest) -> HttpResponse:
        """The trail as a GPX file, in the visitor's language, its links absolute."""
        route = self.route_for_visitor()
        walk = GPXWalk(
            name=self.title,
            description=" ".join(self.introduction.split()),
            url=request.build_absolute_uri(self.url_for_visitor),
            author=gettext("POC Showcase"),
            keywords=", ".join(route.communes),
            time=self.last_published_at,
            stop_type=gettext("POC"),
            stops=[
                GPXStop(
                    name=f"{stop.number}. {stop.card.title}",
                    latitude=stop.card.location.lat,
                    longitude=stop.card.location.lon,
                    description=stop.note or stop.card.summary,
                    address=stop.address,
                    url=request.build_absolute_uri(stop.card.url),
                    link_text=stop.card.title,
                )
                for stop in route.stops
                if stop.card.location is not None
            ],
        )
        response = HttpResponse(walk_gpx(walk), content_type=f"{GPX_CONTENT_TYPE}; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.slug}.gpx"'
        return response

    def route_for_visitor(self) -> TrailRoute:
        return trail_routes([self], active_language())[self.pk]

    @property
    def url_for_visitor(self) -> str:
        """Where the visitor reads this trail: under /en/ too while it is not translated."""
        return url_for_reader(self, active_language())

    @property
    def gpx_url(self) -> str:
        return f"{self.url_for_visitor}{GPX_PATH}/"

    @property
    def description(self) -> str:
        """What search engines and shared links show: the staff's, else the introduction's
        beginning."""
        return self.search_description or Truncator(" ".join(self.introduction.split())).chars(160)


class TrailStop(TranslatableMixin, Orderable):
    """A POC on a trail, with what to look at there; its note is translated with the trail."""

    page = ParentalKey(TrailPage, on_delete=models.CASCADE, related_name="stops")
    poc = models.ForeignKey(
        POCPage, verbose_name=_("POC"), on_delete=models.CASCADE, related_name="trail_stops"
    )
    note = models.TextField(
        _("note"),
        max_length=MAX_NOTE_LENGTH,
        blank=True,
        help_text=_("What to look at here, or how to find it: a sentence or two."),
    )

    panels = [PageChooserPanel("poc", "poc_catalogue.POCPage"), FieldPanel("note")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("stop")
        verbose_name_plural = _("stops")


@dataclass(frozen=True)
class Stop:
    """A stop as a visitor reads it: its number, the POC's card, the note, the way on."""

    number: int
    card: POCCard
    note: str
    address: str
    walk_to_next: Walk | None


@dataclass(frozen=True)
class TrailRoute:
    stops: tuple[Stop, ...]
    total: Walk

    @property
    def communes(self) -> list[str]:
        names: list[str] = []
        for stop in self.stops:
            if stop.card.commune and stop.card.commune.label not in names:
                names.append(stop.card.commune.label)
        return names

    def map_data(self) -> list[dict]:
        """What the page's map script draws: the stops in order."""
        return [
            {
                "number": stop.number,
                "title": stop.card.title,
                "url": stop.card.url,
                "lat": round(stop.card.location.lat, 6),
                "lon": round(stop.card.location.lon, 6),
            }
            for stop in self.stops
            if stop.card.location
        ]


@dataclass(frozen=True)
class TrailSummary:
    page: TrailPage
    url: str
    route: TrailRoute


@dataclass(frozen=True)
class TrailMention:
    """A trail a POC is a stop of, for the POC's page."""

    page: TrailPage
    url: str
    number: int
    stop_count: int


def url_for_reader(page: Page, language: str) -> str:
    """`page`'s address for a visitor reading `language`: its own, or the French page's
    under that language's prefix while it has no translation. No query."""
    url = page.url or ""
    return url if page_language(page) == language else url_in_language(url, language)


def translations_to_show(french: Sequence[TrailPage], language: str) -> list[TrailPage]:
    """Each French trail's live translation into `language`, or the French trail itself."""
    if language == source_language() or not french:
        return list(french)
    translations = {
        trail.translation_key: trail
        for trail in TrailPage.objects.live()
        .public()
        .filter(
            translation_key__in=[trail.translation_key for trail in french],
            locale__language_code=language,
        )
        .select_related("theme")
    }
    return [translations.get(trail.translation_key, trail) for trail in french]


def trail_routes(trails: Iterable[TrailPage], language: str) -> dict[int, TrailRoute]:
    """Each trail's published stops in order with their walks, by trail id, in a fixed
    number of queries however many trails and stops."""
    trails = list(trails)
    rows = (
        TrailStop.objects.filter(page__in=trails)
        .order_by("page_id", "sort_order", "pk")
        .values_list("page_id", "poc__translation_key", "note")
    )
    return _routes(trails, list(rows), language)


def edited_route(trail: TrailPage, language: str) -> TrailRoute:
    """The route of `trail` as staff are editing it, unsaved stops included: its preview."""
    stops = sorted(trail.stops.all(), key=lambda stop: stop.sort_order or 0)
    rows = [(trail.pk, stop.poc.translation_key, stop.note) for stop in stops if stop.poc_id]
    return _routes([trail], rows, language)[trail.pk]


def _routes(
    trails: list[TrailPage], rows: list[tuple[int | None, str, str]], language: str
) -> dict[int, TrailRoute]:
    """The routes of `trails` from their stops' rows (trail id, POC translation key, note).

    A stop may name a POC's English page (staff chose it in the chooser): it stands for its
    French page, which is what is published, listed and searched.
    """
    published = dict(
        POCPage.objects.published()
        .filter(translation_key__in={key for _page, key, _note in rows})
        .values_list("translation_key", "pk")
    )
    addresses = dict(POCPage.objects.filter(pk__in=published.values()).values_list("pk", "address"))
    cards = {
        card.page_id: card.in_language(language)
        for card in POCPage.objects.published().cards_in_order(list(published.values()), language)
    }
    stops_by_trail: dict[int | None, list[tuple[POCCard, str]]] = defaultdict(list)
    for page_id, key, note in rows:
        card = cards.get(published.get(key, 0))
        if card is not None:
            stops_by_trail[page_id].append((card, note))
    return {trail.pk: _route(stops_by_trail[trail.pk], addresses) for trail in trails}


def _route(stops: list[tuple[POCCard, str]], addresses: dict[int, str]) -> TrailRoute:
    walks: list[Walk | None] = [None] * len(stops)
    for position in range(len(stops) - 1):
        here, there = stops[position][0].location, stops[position + 1][0].location
        if here is not None and there is not None:
            walks[position] = walk_between(here, there)
    return TrailRoute(
        stops=tuple(
            Stop(number, card, note, addresses.get(card.page_id, ""), walks[number - 1])
            for number, (card, note) in enumerate(stops, start=1)
        ),
        total=total_walk([walk for walk in walks if walk is not None]),
    )


def trails_through(poc: Page, language: str) -> list[TrailMention]:
    """The published trails `poc` is a stop of, as read in `language`."""
    french = list(
        TrailPage.objects.live()
        .public()
        .filter(
            locale__language_code=source_language(),
            stops__poc__translation_key=poc.translation_key,
        )
        .distinct()
        .order_by("path")
    )
    if not french:
        return []
    shown = translations_to_show(french, language)
    routes = trail_routes(shown, language)
    french_id = source_page_id(poc)
    mentions = []
    for trail in shown:
        route = routes[trail.pk]
        for stop in route.stops:
            if stop.card.page_id == french_id:
                url = url_for_reader(trail, language)
                mentions.append(TrailMention(trail, url, stop.number, len(route.stops)))
                break
    return mentions
