from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import CATALOGUE_PAGE_SIZE, Commune, Maker, POCPage, Theme, published_pocs

PAGE_SIZE = CATALOGUE_PAGE_SIZE


def _poc_listing(request: HttpRequest, template: str, subject, pocs: QuerySet[POCPage]):
    page = Paginator(pocs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, template, {"subject": subject, "page_obj": page, "pocs": page.object_list}
    )


def theme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    theme = get_object_or_404(Theme, slug=slug)
    return _poc_listing(
        request, "poc_catalogue/theme_detail.html", theme, published_pocs().filter(themes=theme)
    )


def commune_detail(request: HttpRequest, slug: str) -> HttpResponse:
    commune = get_object_or_404(Commune, slug=slug)
    return _poc_listing(
        request,
        "poc_catalogue/commune_detail.html",
        commune,
        published_pocs().filter(commune=commune),
    )


def maker_detail(request: HttpRequest, slug: str) -> HttpResponse:
    maker = get_object_or_404(
        Maker.objects.select_related("commune", "logo"), slug=slug, is_public=True
    )
    return _poc_listing(
        request,
        "poc_catalogue/maker_detail.html",
        maker,
        published_pocs().filter(poc_makers__maker=maker).distinct(),
    )
