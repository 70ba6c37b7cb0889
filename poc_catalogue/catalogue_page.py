"""What the catalogue page shows around a search result: facet groups, chips, sort, pages.

The URL is the state: every link and form here is a plain GET on the catalogue URL, so the
page works without JavaScript and every view of it can be shared.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from django.conf import settings
from django.http import QueryDict
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from search.catalogue import (
    SearchResult,
    parse_search_request_leniently,
    search_catalogue,
)

from .models import Theme

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
}
VIEWS = ("list", "map")
# The map shows every matching POC, not only the current page of cards.
MAP_MAX_MARKERS = 2000
STATE_PARAMS = ("q", *FACET_LABELS, "sort", "view")


@dataclass(frozen=True)
class FacetOption:
    """A facet value as the panel shows it, with its theme colour when it has one."""

    value: str
    label: str
    count: int
    selected: bool
    colour: str = ""


@dataclass(frozen=True)
class FacetGroup:
    name: str
    label: str
    values: list
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


def _query(params: QueryDict) -> str:
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


def _state(params: QueryDict) -> QueryDict:
    """The GET parameters that make up the catalogue state, without unknown ones."""
    state = QueryDict(mutable=True)
    for name in STATE_PARAMS:
        values = [value for value in params.getlist(name) if value]
        if values:
            state.setlist(name, values)
    return state


def _without(state: QueryDict, name: str, value: str | None = None) -> QueryDict:
    params = state.copy()
    if value is None:
        params.pop(name, None)
    else:
        params.setlist(name, [v for v in params.getlist(name) if v != value])
    params.pop("page", None)
    return params


def _marker_colour(themes: list[dict], selected: tuple[str, ...]) -> str | None:
    """The colour of the theme the visitor filtered on, else the POC's first theme."""
    chosen = [theme for theme in themes if theme["slug"] in selected] or themes
    return chosen[0]["colour"] if chosen else None


def _page_links(state: QueryDict, page: int, num_pages: int) -> list[PageLink]:
    wanted = {1, num_pages, *range(page - 2, page + 3)}
    links: list[PageLink] = []
    previous = 0
    for number in sorted(n for n in wanted if 1 <= n <= num_pages):
        if number - previous > 1:
            links.append(PageLink(None, None))
        params = state.copy()
        if number == 1:
            params.pop("page", None)
        else:
            params["page"] = str(number)
        links.append(PageLink(number, _query(params), number == page))
        previous = number
    return links


def _page_url(state: QueryDict, number: int) -> str:
    params = state.copy()
    params["page"] = str(number)
    return _query(params)


def catalogue_context(params: QueryDict) -> dict:
    state = _state(params)
    view = params.get("view") if params.get("view") in VIEWS else "list"
    search_request, dropped = parse_search_request_leniently(params)
    for error in dropped:
        state = _without(state, error.field)
    if search_request.page > 1:
        state["page"] = str(search_request.page)
    result: SearchResult = search_catalogue(search_request)

    colours = dict(Theme.objects.values_list("slug", "colour"))
    groups = []
    for name, label in FACET_LABELS.items():
        options = [
            FacetOption(
                value.value,
                value.label,
                value.count,
                value.selected,
                colours.get(value.value, "") if name == "theme" else "",
            )
            for value in result.facets.get(name, [])
        ]
        groups.append(
            FacetGroup(
                name=name,
                label=str(label),
                values=options,
                filterable=name in FILTERABLE_FACETS,
                collapsible=len(options) > FACET_VISIBLE_VALUES,
                selected_count=sum(1 for option in options if option.selected),
            )
        )
    chips = []
    for group in groups:
        selected = getattr(search_request, group.name)
        labels = {value.value: value.label for value in group.values}
        for value in selected:
            remove_url = _query(_without(state, group.name, value))
            chips.append(Chip(group.label, labels.get(value, value), remove_url))
    cleared = QueryDict(mutable=True)
    for name in ("q", "sort", "view"):
        if name in state:
            cleared.setlist(name, state.getlist(name))

    map_points = []
    if view == "map":
        everything = search_catalogue(
            dataclasses.replace(search_request, page=1, page_size=MAP_MAX_MARKERS)
        )
        map_points = [
            {
                "title": hit.title,
                "url": hit.url,
                "commune": hit.commune["label"],
                "colour": _marker_colour(hit.themes, search_request.theme),
                "lat": hit.location["lat"],
                "lon": hit.location["lon"],
            }
            for hit in everything.hits
            if hit.location
        ]

    list_params, map_params = state.copy(), state.copy()
    list_params.pop("view", None)
    map_params["view"] = "map"
    map_params.pop("page", None)
    suggestion_params = state.copy()
    suggestion_params.pop("page", None)
    if result.suggestion:
        suggestion_params["q"] = result.suggestion
    return {
        "search_request": search_request,
        "ignored_parameters": [error.message for error in dropped],
        "result": result,
        "facet_groups": groups,
        "chips": chips,
        "clear_filters_url": _query(cleared) if chips else None,
        "sort_options": list(SORT_LABELS.items()),
        "page_links": _page_links(state, result.page, result.num_pages),
        "previous_page_url": _page_url(state, result.page - 1) if result.page > 1 else None,
        "next_page_url": (
            _page_url(state, result.page + 1) if result.page < result.num_pages else None
        ),
        "view": view,
        "list_view_url": _query(list_params),
        "map_view_url": _query(map_params),
        "map_points": map_points,
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "suggestion_url": _query(suggestion_params) if result.suggestion else None,
        "state_query": state.urlencode(),
    }
