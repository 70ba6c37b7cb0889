"""`/sitemap.xml`: every public page, in French and in English, each naming the other.

Django's sitemap framework writes the file (`i18n` gives one `<url>` per page and language,
`alternates` their `xhtml:link hreflang`, French as `x-default`), with the same addresses
the pages give in their own `<link rel="alternate" hreflang>`: a page's translation where it
has one, else the French page under /en/ (`poc_catalogue.translations`).

The pages are every live page of the French tree that visitors may see (no view restriction
on it or an ancestor), whatever its type: a new page type is listed without a change here.
The rest are the Django views visitors land on: themes, the communes and public makers with
published POCs, and the proposal form.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.urls import reverse
from django.utils.translation import get_language, override
from wagtail.models import Page, Site

from poc_catalogue.models import Commune, Maker, POCPage, Theme
from poc_catalogue.translations import source_language, url_in_language


@dataclass(frozen=True)
class SitemapEntry:
    """One page: its address and last change in each language it is read in."""

    urls: dict[str, str]
    lastmod: dict[str, datetime | None] = field(default_factory=dict)


class LocalizedSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def location(self, entry: SitemapEntry) -> str:
        return entry.urls[_language()]

    def lastmod(self, entry: SitemapEntry) -> datetime | None:
        return entry.lastmod.get(_language())


class PageSitemap(LocalizedSitemap):
    """The site's Wagtail pages: home, catalogue, POCs, and any page type added later."""

    def items(self) -> list[SitemapEntry]:
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is None:
            return []
        pages = list(
            site.root_page.get_descendants(inclusive=True)
            .live()
            .public()
            .filter(locale__language_code=source_language())
            .order_by("path")
        )
        translations = _live_translations(pages)
        entries = []
        for page in pages:
            url = page.get_url()
            if not url:
                continue
            urls, lastmod = {}, {}
            for language in _languages():
                translation = translations.get((page.translation_key, language))
                if language == source_language() or translation is None:
                    urls[language] = url_in_language(url, language)
                    lastmod[language] = page.last_published_at
                else:
                    urls[language] = translation.get_url() or url_in_language(url, language)
                    lastmod[language] = translation.last_published_at
            entries.append(SitemapEntry(urls, lastmod))
        return entries


def _live_translations(pages: Iterable[Page]) -> dict[tuple, Page]:
    """The live translations of `pages`, by translation key and language, in one query."""
    keys = [page.translation_key for page in pages]
    found = (
        Page.objects.live()
        .public()
        .filter(translation_key__in=keys)
        .exclude(locale__language_code=source_language())
        .select_related("locale")
    )
    return {(page.translation_key, page.locale.language_code): page for page in found}


class ViewSitemap(LocalizedSitemap):
    """Pages made by Django views: their address is reversed in each language."""

    def items(self) -> list[SitemapEntry]:
        return [
            self.entry(reverse_name, kwargs, lastmod)
            for reverse_name, kwargs, lastmod in self.views()
        ]

    def views(self) -> Iterable[tuple[str, dict[str, str], datetime | None]]:
        published = POCPage.objects.published()
        newest = Max("pocs__last_published_at", filter=Q(pocs__in=published))
        for theme in Theme.objects.annotate(newest=newest).order_by("sort_order", "name"):
            yield "poc_catalogue:theme", {"slug": theme.slug}, theme.newest
        communes = Commune.objects.annotate(newest=newest).filter(newest__isnull=False)
        for commune in communes.order_by("name"):
            yield "poc_catalogue:commune", {"slug": commune.slug}, commune.newest
        makers = (
            Maker.objects.filter(is_public=True)
            .annotate(
                newest=Max(
                    "poc_roles__page__last_published_at",
                    filter=Q(poc_roles__page__in=published),
                )
            )
            .filter(newest__isnull=False)
        )
        for maker in makers.order_by("name"):
            yield "poc_catalogue:maker", {"slug": maker.slug}, maker.newest
        yield "submissions:submit", {}, None

    @staticmethod
    def entry(name: str, kwargs: dict[str, str], lastmod: datetime | None) -> SitemapEntry:
        urls = {}
        for language in _languages():
            with override(language):
                urls[language] = reverse(name, kwargs=kwargs)
        return SitemapEntry(urls, dict.fromkeys(urls, lastmod))


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _language() -> str:
    return (get_language() or source_language()).split("-")[0]


SITEMAPS = {"pages": PageSitemap, "views": ViewSitemap}
