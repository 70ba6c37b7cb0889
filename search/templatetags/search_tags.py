"""Template tags of the search app, for pages the content app renders."""

from __future__ import annotations

from django import template

from search.catalogue import related_pocs as find_related_pocs
from search.types import RelatedPOCs

register = template.Library()

RELATED_COUNT = 4


@register.simple_tag(takes_context=True)
def related_pocs(context, page, limit: int = RELATED_COUNT) -> RelatedPOCs | list:
    """POCs to read after `page` (none in a preview, which shows unsaved relations)."""
    request = context.get("request")
    if getattr(request, "is_preview", False) or not page.pk:
        return []
    return find_related_pocs(page.pk, limit=limit)
