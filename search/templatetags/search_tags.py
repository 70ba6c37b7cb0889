"""Template tags of the search app, for pages the content app renders."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext

from search.catalogue import nearby_pocs as find_nearby_pocs
from search.catalogue import related_pocs as find_related_pocs
from search.types import NearbyPOCs, RelatedPOCs

register = template.Library()

RELATED_COUNT = 4
NEARBY_COUNT = 4


def _shown(context, page) -> bool:
    """Not in a preview, which shows unsaved relations and position."""
    request = context.get("request")
    return not getattr(request, "is_preview", False) and bool(page.pk)


@register.simple_tag(takes_context=True)
def related_pocs(context, page, limit: int = RELATED_COUNT) -> RelatedPOCs | list:
    """POCs like `page` (shared themes, tags and words): "Similar POCs"."""
    return find_related_pocs(page.pk, limit=limit) if _shown(context, page) else []


@register.simple_tag(takes_context=True)
def nearby_pocs(context, page, limit: int = NEARBY_COUNT) -> NearbyPOCs | list:
    """The published POCs nearest to `page`, each with its distance: "Nearby"."""
    return find_nearby_pocs(page.pk, limit=limit) if _shown(context, page) else []


@register.filter
def distance_label(metres: float | None) -> str:
    """`à 1,2 km`, `à 350 m`, `à moins de 100 m` in the visitor's language."""
    if metres is None:
        return ""
    if metres < 100:
        return gettext("less than 100 m away")
    if metres < 1000:
        return gettext("%(metres)s m away") % {"metres": number_format(round(metres, -1), 0)}
    return gettext("%(km)s km away") % {"km": number_format(round(metres / 1000, 1), 1)}
