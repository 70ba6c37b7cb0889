"""Template helpers for discovery trails: their address, the trails through a POC, walks."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext

from poc_catalogue.models import TrailIndexPage, TrailMention, trails_through
from poc_catalogue.published_cache import cached_fragment
from poc_catalogue.translations import active_language

register = template.Library()

_CACHE_ATTRIBUTE = "_showcase_trails_url"


@register.simple_tag(takes_context=True)
def trails_url(context) -> str:
    """The trails index in the visitor's language, or "" on a site without one.

    Looked up once per published version: the header links to it from every page.
    """
    request = context.get("request")
    url = getattr(request, _CACHE_ATTRIBUTE, None)
    if url is None:
        url = cached_fragment(
            request, "trails-url", [], lambda: TrailIndexPage.url_for_visitor(request)
        )
        if request is not None:
            setattr(request, _CACHE_ATTRIBUTE, url)
    return url


@register.simple_tag
def poc_trails(page) -> list[TrailMention]:
    """The published trails this POC is a stop of, in the visitor's language."""
    return trails_through(page, active_language())


@register.filter
def walk_distance(metres: float | None) -> str:
    """`850 m`, `1,2 km`: a walk's length, rounded as a walker reads it."""
    if metres is None:
        return ""
    if metres < 1000:
        return gettext("%(metres)s m") % {"metres": number_format(max(10, round(metres, -1)), 0)}
    return gettext("%(km)s km") % {"km": number_format(round(metres / 1000, 1), 1)}


@register.filter
def walk_time(minutes: int | None) -> str:
    """`9 min`, `1 h 05`: how long a walk takes."""
    if minutes is None:
        return ""
    if minutes < 60:
        return gettext("%(minutes)s min") % {"minutes": minutes}
    return gettext("%(hours)s h %(minutes)s min") % {
        "hours": minutes // 60,
        "minutes": f"{minutes % 60:02d}",
    }
