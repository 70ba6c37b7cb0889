"""The public pages of a theme, a commune and a maker: who and what, then their POCs; and a
visitor's selection."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .feeds import FeedLink, commune_feed, theme_feed
from .limits import MAX_SELECTION_SIZE, PAGE_SIZE
from .models import Commune, Maker, POCPage, Theme
from .published_responses import cache_response
from .selection import read_selection
from .translations import active_language


def _poc_listing(
    request: HttpRequest,
    template: str,
    subject,
    pocs: QuerySet[POCPage],
    feeds: tuple[FeedLink, ...] = (),
):
    newest_first = pocs.order_by("-first_published_at", "pk")
    page = Paginator(newest_first.values_list("pk", flat=True), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        template,
        {
            "subject": subject,
            "page_obj": page,
            "cards": newest_first.filter(pk__in=list(page.object_list)).cards(),
            "feeds": feeds,
        },
    )


def theme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    theme = get_object_or_404(Theme, slug=slug)
    return _poc_listing(
        request,
        "poc_catalogue/theme_detail.html",
        theme,
        POCPage.objects.published().filter(themes=theme),
        feeds=(theme_feed(theme.slug, theme.label),),
    )


def commune_detail(request: HttpRequest, slug: str) -> HttpResponse:
    commune = get_object_or_404(Commune, slug=slug)
    return _poc_listing(
        request,
        "poc_catalogue/commune_detail.html",
        commune,
        POCPage.objects.published().filter(commune=commune),
        feeds=(commune_feed(commune.slug, commune.name),),
    )


def maker_detail(request: HttpRequest, slug: str) -> HttpResponse:
    maker = get_object_or_404(
        Maker.objects.select_related("commune", "logo"), slug=slug, is_public=True
    )
    return _poc_listing(
        request,
        "poc_catalogue/maker_detail.html",
        maker,
        POCPage.objects.published().filter(pk__in=maker.poc_roles.values("page_id")),
    )


def selection(request: HttpRequest) -> HttpResponse:
    """The POCs an address names (`?poc=1&poc=2`), rendered on the server: a shared link works
    without JavaScript. Without ids, the browser's script opens the visitor's own selection."""
    chosen = read_selection(request.GET.getlist("poc"))
    address = f"{request.path}?{chosen.query}" if chosen.cards else request.path
    # The same for every visitor until the next publication: may be served whole.
    return cache_response(
        render(
            request,
            "poc_catalogue/selection.html",
            {
                "selection": chosen,
                "share_url": request.build_absolute_uri(address),
                "exports": chosen.exports(active_language()),
                "max_selection_size": MAX_SELECTION_SIZE,
            },
        )
    )
