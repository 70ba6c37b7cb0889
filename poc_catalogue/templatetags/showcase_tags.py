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
