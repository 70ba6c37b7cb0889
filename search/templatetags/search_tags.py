"""Template tags of the search app, for pages the content app renders."""

from __future__ import annotations

from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from poc_catalogue.translations import source_page_id
from search.catalogue import nearby_pocs as find_nearby_pocs
from search.catalogue import related_pocs as find_related_pocs
from search.catalogue_page import FACET_VISIBLE_VALUES
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
    return find_related_pocs(source_page_id(page), limit=limit) if _shown(context, page) else []


@register.simple_tag(takes_context=True)
def nearby_pocs(context, page, limit: int = NEARBY_COUNT) -> NearbyPOCs | list:
    """The published POCs nearest to `page`, each with its distance: "Nearby"."""
    return find_nearby_pocs(source_page_id(page), limit=limit) if _shown(context, page) else []


_FACET_VALUE = (
    '<li class="facet__value{extra}">'
    '<input type="checkbox" name="{name}" value="{value}" id="f-{name}-{number}"{checked}>'
    '<label for="f-{name}-{number}">{swatch}<span class="facet__label">{label}</span> '
    '<span class="facet__count">{count}<span class="visually-hidden"> {pocs}</span></span>'
    "</label></li>"
)
_SWATCH = '<span class="swatch theme-{}" aria-hidden="true"></span>'


def _folded(number: int, value) -> bool:
    """Past the first values, hidden until "Show all" unless ticked."""
    return number > FACET_VISIBLE_VALUES and not value.selected


@register.simple_tag
def facet_values(group) -> str:
    """A facet's checkboxes, rendered in Python: the catalogue's longest loop.

    Facets are complete (every value with its count, up to hundreds of makers and tags): as
    a template loop, or even through `format_html`, whose lazy-string checks run for every
    argument, they cost most of the catalogue page's rendering. Every text is escaped here
    with the standard library's `escape`, as Django's own `escape` does.
    """
    name = escape(group.name)
    pocs = escape(gettext("POCs"))
    items = []
    for number, value in enumerate(group.values, start=1):
        slug = escape(value.value)
        items.append(
            _FACET_VALUE.format(
                extra=" facet__value--extra" if _folded(number, value) else "",
                name=name,
                value=slug,
                number=number,
                checked=" checked" if value.selected else "",
                swatch=_SWATCH.format(slug) if group.name == "theme" else "",
                label=escape(str(value.label)),
                count=int(value.count),
                pocs=pocs,
            )
        )
    return mark_safe("".join(items))  # noqa: S308 - every text in it escaped above
