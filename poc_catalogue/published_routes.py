"""Wagtail's site lookup and page routing, remembered once per published version.

Before serving a page, Wagtail finds the site for the host (a query), fetches its root page,
then walks the path one page per segment (a query each, and one more for aliases): five to
seven queries and a few milliseconds, the same answer for every visitor of an address until
something is published, moved or deleted, or a site edited, all of which raise the
published version (`published_cache`). So the answer is kept under that version: the next
request for the address fetches its page by primary key (one query) and hands it to Wagtail
the way Wagtail caches it itself (`request._wagtail_route_for_request`, `_wagtail_site`).

Only the route is kept, never a response: Wagtail's `before_serve_page` hooks, its privacy
check among them, run on every request as before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponseBase
from django.utils.translation import get_language
from wagtail.models import Page, Site
from wagtail.views import serve as wagtail_serve

from .published_cache import published_version

_KEY_ATTRIBUTE = "_published_route_key"


@dataclass(frozen=True)
class RememberedRoute:
    site: Site
    model: str  # "app_label.ModelName" of the specific page
    page_id: int
    args: tuple
    kwargs: dict[str, Any]


class PublishedRouteMiddleware:
    """Place anywhere after LocaleMiddleware (the language is part of the key)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        key = getattr(request, _KEY_ATTRIBUTE, None)
        route = getattr(request, "_wagtail_route_for_request", None)
        if key and route and getattr(request, "_wagtail_site", None):
            page, args, kwargs = route
            remembered = RememberedRoute(
                site=request._wagtail_site,
                model=page._meta.label,
                page_id=page.pk,
                args=tuple(args),
                kwargs=dict(kwargs),
            )
            caches[settings.PUBLISHED_CACHE].set(key, remembered, settings.PUBLISHED_CACHE_SECONDS)
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        if view_func is not wagtail_serve or request.method not in ("GET", "HEAD"):
            return
        path = view_kwargs.get("path", view_args[0] if view_args else "")
        try:
            host = request.get_host()
        except DisallowedHost:
            return
        address = f"{host}:{request.get_port()}/{get_language()}/{path}"
        digest = hashlib.sha256(address.encode()).hexdigest()
        key = f"published-route:{published_version(request)}:{digest}"
        remembered = caches[settings.PUBLISHED_CACHE].get(key)
        if remembered is None:
            setattr(request, _KEY_ATTRIBUTE, key)  # remember what Wagtail finds
            return
        model = apps.get_model(remembered.model)
        page = model.objects.filter(pk=remembered.page_id, live=True).first()
        if not isinstance(page, Page):
            return  # gone since: Wagtail routes it again
        request._wagtail_site = remembered.site
        request._wagtail_route_for_request = (page, remembered.args, remembered.kwargs)
