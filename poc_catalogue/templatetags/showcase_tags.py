"""Template helpers for the public site: links into the filtered catalogue."""

from __future__ import annotations

from django import template
from django.http import QueryDict

from poc_catalogue.models import CatalogueIndexPage

register = template.Library()

_CACHE_ATTRIBUTE = "_showcase_catalogue_url"


@register.simple_tag(takes_context=True)
def catalogue_url(context, **filters: str) -> str:
    """The catalogue URL in the current language, filtered by e.g. theme="mobilite".

    Looked up once per request: the catalogue is linked from every page's header.
    """
    request = context.get("request")
    base = getattr(request, _CACHE_ATTRIBUTE, None)
    if base is None:
        catalogue = CatalogueIndexPage.objects.live().first()
        base = catalogue.get_url(request) if catalogue else "/catalogue/"
        if request is not None:
            setattr(request, _CACHE_ATTRIBUTE, base)
    params = QueryDict(mutable=True)
    for name, value in filters.items():
        if value not in (None, ""):
            params[name] = str(value)
    return f"{base}?{params.urlencode()}" if params else base


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(value) for value in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


@register.filter
def ink(colour: str) -> str:
    """The theme colour, darkened until white text on it (and it on white) meets WCAG AA.

    Staff choose theme colours freely; labels stay readable whatever they pick.
    """
    try:
        rgb = [int(colour[index : index + 2], 16) for index in (1, 3, 5)]
    except (TypeError, ValueError):
        return "#16161d"
    for _ in range(40):
        if 1.05 / (_luminance(tuple(rgb)) + 0.05) >= 4.8:
            break
        rgb = [round(value * 0.93) for value in rgb]
    return "#{:02x}{:02x}{:02x}".format(*rgb)
