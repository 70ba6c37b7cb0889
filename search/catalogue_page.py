"""The catalogue page: the search interface, serving the content app's catalogue page.

`CATALOGUE_PAGE_VIEW` names `serve_catalogue`, which `CatalogueIndexPage.serve` calls (its
previews included). The URL is the state: every link and form here is a plain GET on the
catalogue URL, so the page works without JavaScript and every view of it can be shared. The
catalogue's script asks for the results alone with the `X-Catalogue-Fragment` header.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from poc_catalogue.feeds import FeedLink, commune_feed, theme_feed
from poc_catalogue.geography import METROPOLE_EXTENT
from poc_catalogue.published_responses import cache_response
from poc_catalogue.structured_data import poc_item_list

from .catalogue import search_catalogue
from .connection import elasticsearch_configured
from .facet_labels import facet_labels
from .parameters import parse_search_request_leniently
from .statistics import mark_search
from .types import FacetValue, InvalidSearchRequest, SearchRequest, SearchResult

FRAGMENT_HEADER = "X-Catalogue-Fragment"
PAGE_TEMPLATE = "search/catalogue_page.html"
FRAGMENT_TEMPLATE = "search/includes/catalogue_results.html"

FACET_LABELS: dict[str, Promise] = {
    "theme": _("Theme"),
    "stage": _("Stage"),
    "commune": _("Commune"),
    "maker": _("Maker"),
    "tag": _("Tag"),
    "year": _("Year"),
}
FILTERABLE_FACETS = {"commune", "maker", "tag"}
FACET_VISIBLE_VALUES = 6
SORT_LABELS: dict[str, Promise] = {
    "relevance": _("Relevance"),
    "newest": _("Newest"),
    "title": _("Title (A–Z)"),
    "distance": _("Distance"),
    "supported": _("Most supported"),
}
VIEWS = ("list", "map")
# The map shows every matching POC, not only the current page of cards.
MAP_MAX_MARKERS = 2000
# `bbox` (the area searched) and `near` (the point distances are measured from): "Rechercher
# dans cette zone" and "Autour de moi" on the map.
STATE_PARAMS = ("q", *FACET_LABELS, "bbox", "near", "sort", "view")


@dataclass(frozen=True)
class FacetGroup:
    name: str
    label: str
    values: list[FacetValue]
    filterable: bool
    collapsible: bool
    selected_count: int


@dataclass(frozen=True)
class Chip:
    group_label: str
    label: str
    remove_url: str


@dataclass(frozen=True)
class PageLink:
    number: int | None
    url: str | None
    current: bool = False


def serve_catalogue(request: HttpRequest, page: Page) -> HttpResponse:
    """The catalogue page, or only its results when the catalogue's script asks."""
    context = page.get_context(request)
    context.update(catalogue_context(request.GET))
    context["fragment_header"] = FRAGMENT_HEADER
    fragment = bool(request.headers.get(FRAGMENT_HEADER))
    if not fragment:
        context.update(head_context(request, context["search_request"], context["result"]))
    template = FRAGMENT_TEMPLATE if fragment else PAGE_TEMPLATE
    response = TemplateResponse(request, template, context)
    response["Vary"] = FRAGMENT_HEADER
    mark_search(response, context["result"])
    if context["result"].backend == "elasticsearch" or not elasticsearch_configured():
        # Each index update raises the published version: the same address shows the same
        # page until then. A page the fallback answered while Elasticsearch is away is not
        # kept past its request.
        cache_response(response, keyed_on=(FRAGMENT_HEADER,))
    return response


def head_context(request: HttpRequest, search_request: SearchRequest, result: SearchResult) -> dict:
    """What the page's head tells search engines and feed readers: the POCs listed, as a
    schema.org `ItemList`, and the feeds of the themes and communes filtered on."""
    first_position = (result.page - 1) * search_request.page_size + 1
    # Only themes and communes that exist have a feed: an address may select any value.
    known = facet_labels()
    feeds: list[FeedLink] = [
        theme_feed(value.value, value.label)
        for value in result.facets.get("theme", [])
        if value.selected and value.value in known.themes
    ]
    feeds += [
        commune_feed(value.value, value.label)
        for value in result.facets.get("commune", [])
        if value.selected and value.value in known.communes
    ]
    return {
        "structured_data": poc_item_list(
            [hit.card for hit in result.hits],
            first_position=first_position,
            total=result.total,
            request=request,
        ),
        "feeds": feeds,
    }


def catalogue_context(params: QueryDict) -> dict:
    """Everything the catalogue page shows, built in named steps from the query string."""
    search_request, dropped = parse_search_request_leniently(params)
    state = catalogue_state(params, search_request, dropped)
    view = params.get("view") if params.get("view") in VIEWS else "list"
    result = search_catalogue(search_request)
    groups = facet_groups(result)
    chips = active_filters(groups, search_request, state) + place_chips(search_request, state)
    # Groups counted by the server from the threshold on, and whatever it says once the
    # results pass what the map shows as markers: no matching POC is ever left off the map.
    threshold = min(settings.CATALOGUE_MAP_CLUSTER_THRESHOLD, MAP_MAX_MARKERS + 1)
    clustered = view == "map" and result.total >= threshold
    # An area searched with nothing in it keeps its map, to move it and search again.
    show_map = view == "map" and bool(result.total or search_request.bbox)
    return {
        "search_request": search_request,
        "ignored_parameters": [error.message for error in dropped],
        "result": result,
        "facet_groups": groups,
        "chips": chips,
        "clear_filters_url": _query(_only(state, "q", "sort", "view", "near")) if chips else None,
        "sort_options": [
            (value, label)
            for value, label in SORT_LABELS.items()
            if value != "distance" or search_request.near
        ],
        **pagination(state, result),
        **view_links(state, view),
        **download_links(state, search_request.language),
        "show_map": show_map,
        "place_inputs": [(name, state[name]) for name in ("bbox", "near") if name in state],
        "map_points": map_points(search_request) if show_map and not clustered else [],
        "map_clusters_url": map_clusters_url(state) if clustered else None,
        "map_extent": ",".join(map(str, dataclasses.astuple(METROPOLE_EXTENT))),
        # The map opens on the area searched, and marks the point distances are measured from.
        "map_area": ",".join(map(str, dataclasses.astuple(search_request.bbox)))
        if search_request.bbox
        else "",
        "map_near": f"{search_request.near.lat},{search_request.near.lon}"
        if search_request.near
        else "",
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "suggestion_url": suggestion_url(state, result),
        "state_query": state.urlencode(),
    }


def catalogue_state(
    params: QueryDict, search_request: SearchRequest, dropped: list[InvalidSearchRequest]
) -> QueryDict:
    """The parameters that make up the catalogue's state, without unknown or unusable ones."""
    state = QueryDict(mutable=True)
    for name in STATE_PARAMS:
        values = [value for value in params.getlist(name) if value]
        if values:
            state.setlist(name, values)
    for error in dropped:
        state = _without(state, error.field)
    if search_request.page > 1:
        state["page"] = str(search_request.page)
    return state


def facet_groups(result: SearchResult) -> list[FacetGroup]:
    groups = []
    for name, label in FACET_LABELS.items():
        values = result.facets.get(name, [])
        groups.append(
            FacetGroup(
                name=name,
                label=str(label),
                values=values,
                filterable=name in FILTERABLE_FACETS,
                collapsible=len(values) > FACET_VISIBLE_VALUES,
                selected_count=sum(1 for value in values if value.selected),
            )
        )
    return groups


def active_filters(
    groups: list[FacetGroup], search_request: SearchRequest, state: QueryDict
) -> list[Chip]:
    """A chip per selected value, each a link to the same search without it."""
    chips = []
    for group in groups:
        labels = {value.value: value.label for value in group.values}
        for value in search_request.selected(group.name):
            remove_url = _query(_without(state, group.name, value))
            chips.append(Chip(group.label, labels.get(value, value), remove_url))
    return chips


def place_chips(search_request: SearchRequest, state: QueryDict) -> list[Chip]:
    """A chip for the area searched, and one for the point distances are measured from:
    removing it goes back to the default order."""
    chips = []
    if search_request.bbox:
        chips.append(
            Chip(str(_("Place")), str(_("Area of the map")), _query(_without(state, "bbox")))
        )
    if search_request.near:
        without_point = _without(state, "near")
        if search_request.sort == "distance":
            without_point.pop("sort", None)
        chips.append(Chip(str(_("Place")), str(_("Around your position")), _query(without_point)))
    return chips


def pagination(state: QueryDict, result: SearchResult) -> dict:
    page, num_pages = result.page, result.num_pages
    wanted = {1, num_pages, *range(page - 2, page + 3)}
    links: list[PageLink] = []
    previous = 0
    for number in sorted(n for n in wanted if 1 <= n <= num_pages):
        if number - previous > 1:
            links.append(PageLink(None, None))
        links.append(PageLink(number, _page_url(state, number), number == page))
        previous = number
    return {
        "page_links": links,
        "previous_page_url": _page_url(state, page - 1) if page > 1 else None,
        "next_page_url": _page_url(state, page + 1) if page < num_pages else None,
    }


def view_links(state: QueryDict, view: str) -> dict:
    list_params, map_params = state.copy(), state.copy()
    list_params.pop("view", None)
    map_params["view"] = "map"
    map_params.pop("page", None)
    return {"view": view, "list_view_url": _query(list_params), "map_view_url": _query(map_params)}


def map_points(search_request: SearchRequest) -> list[dict]:
    """Every matching POC with a position, coloured by the theme filtered on if any."""
    everything = search_catalogue(
        dataclasses.replace(search_request, page=1, page_size=MAP_MAX_MARKERS)
    )
    points = []
    for hit in everything.hits:
        card = hit.card
        if card.location is None:
            continue
        themes = [theme for theme in card.themes if theme.slug in search_request.theme]
        themes = themes or list(card.themes)
        points.append(
            {
                "title": card.title,
                "url": card.url,
                "commune": card.commune.label if card.commune else "",
                "colour": themes[0].colour if themes else None,
                "lat": card.location.lat,
                "lon": card.location.lon,
            }
        )
    return points


def map_clusters_url(state: QueryDict) -> str:
    """The clusters API for this search: the map adds its zoom and visible area."""
    return reverse("search:api_map_clusters") + _query(_only(state, "q", *FACET_LABELS, "bbox"))


def download_links(state: QueryDict, language: str) -> dict[str, str]:
    """This search's results whole, as the open-data files: same words, filters and order,
    in the page's language."""
    params = _only(state, "q", *FACET_LABELS, "sort")
    params["lang"] = language
    return {
        "download_csv_url": reverse("search:api_export_csv") + _query(params),
        "download_geojson_url": reverse("search:api_export_geojson") + _query(params),
    }


def suggestion_url(state: QueryDict, result: SearchResult) -> str | None:
    if not result.suggestion:
        return None
    params = state.copy()
    params.pop("page", None)
    params["q"] = result.suggestion
    return _query(params)


def _query(params: QueryDict) -> str:
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


def _only(state: QueryDict, *names: str) -> QueryDict:
    kept = QueryDict(mutable=True)
    for name in names:
        if name in state:
            kept.setlist(name, state.getlist(name))
    return kept


def _without(state: QueryDict, name: str, value: str | None = None) -> QueryDict:
    params = state.copy()
    if value is None:
        params.pop(name, None)
    else:
        params.setlist(name, [v for v in params.getlist(name) if v != value])
    params.pop("page", None)
    return params


def _page_url(state: QueryDict, number: int) -> str:
    params = state.copy()
    if number == 1:
        params.pop("page", None)
    else:
        params["page"] = str(number)
    return _query(params)
