"""French is the source of every page; English pages are its translations.

Staff translate pages with wagtail-localize: a translation is a page of the English tree
sharing its French page's `translation_key`. Until a page is translated, the English site
serves the French one at the same address under /en/ (its text marked `lang="fr"`), so every
French page has an English address from the day it is published, and the English tree holds
only real translations: no alias per page to create, publish and index twice.

One POC is its French page everywhere else: listings, facets, counts and the search index
count French pages and read the English text from their translation.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.http import Http404, HttpRequest
from django.urls import reverse, translate_url
from django.utils.translation import get_language, override
from wagtail.models import Locale, Page
from wagtail.url_routing import RouteResult


def source_language() -> str:
    """The language every page is written in first: the site's default language."""
    return settings.LANGUAGE_CODE


def active_language() -> str:
    """The visitor's language among the site's, or the source language."""
    language = (get_language() or source_language()).split("-")[0]
    return language if language in dict(settings.LANGUAGES) else source_language()


@lru_cache(maxsize=16)
def _language_of_locale(locale_id: int) -> str:
    # Locales are created once and never change language: read each once per process.
    return Locale.objects.filter(pk=locale_id).values_list("language_code", flat=True).first() or ""


def page_language(page: Page) -> str:
    """The language `page`'s content is written in."""
    return _language_of_locale(page.locale_id) or source_language()


def content_lang_attribute(page: Page | None) -> str:
    """` lang="fr"` when `page`'s text is not in the visitor's language (a page not
    translated yet, served under /en/), else nothing: the page inherits the document's."""
    if page is None or not getattr(page, "locale_id", None):
        return ""
    language = page_language(page)
    return f' lang="{language}"' if language != active_language() else ""


def page_in_language(page: Page, language: str) -> Page | None:
    """The live translation of `page` (itself included) written in `language`, if any."""
    if page_language(page) == language:
        return page if page.live else None
    return (
        page.get_translations()
        .filter(locale__language_code=language, live=True)
        .order_by("pk")
        .first()
    )


def source_page_id(page: Page) -> int:
    """The id of `page`'s French original: what the index and listings know a POC by."""
    if page_language(page) == source_language():
        return page.pk
    source = (
        Page.objects.filter(translation_key=page.translation_key)
        .filter(locale__language_code=source_language())
        .values_list("pk", flat=True)
        .first()
    )
    return source or page.pk


def page_url_in_language(page: Page, language: str, request: HttpRequest | None = None) -> str:
    """Where `page` is read in `language`: its translation, or itself under that language's
    prefix when it has none yet (`/en/catalogue/x/` serves the French page)."""
    translation = page_in_language(page, language)
    if translation is not None:
        url = translation.get_url(request)
        if url:
            return url
    source = page_in_language(page, source_language()) or page
    url = source.get_url(request) or "/"
    with override(page_language(source)):  # read the address in the language it is written in
        return translate_url(url, language)


@lru_cache(maxsize=8)
def _language_prefix(language: str) -> str:
    with override(language):
        return reverse("wagtail_serve", args=("",)).rstrip("/")


def url_in_language(url: str, language: str) -> str:
    """A French page's address (`/catalogue/x/`) as read in `language` (`/en/catalogue/x/`):
    where the English site serves it until it is translated. Cheap: no URL resolving."""
    if language == source_language() or not url:
        return url
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=_language_prefix(language) + parts.path))


class FallsBackToSourceLanguage:
    """For pages with children (home, catalogue): an address the translated tree lacks is
    routed in the French tree instead, so `/en/catalogue/x/` serves the French `x` until `x`
    is translated (then its translation, whatever its own slug), and the English catalogue's
    draft leaves the French one in place."""

    def route(self, request: HttpRequest, path_components: list[str]):
        try:
            return super().route(request, path_components)
        except Http404:
            if page_language(self) == source_language():
                raise
            source = self.get_translation_or_none(
                Locale.objects.get_for_language(source_language())
            )
            if source is None:
                raise
            found = source.specific.route(request, path_components)
            # A translation kept its own slug: its French address under /en/ serves it too.
            translation = page_in_language(found.page, page_language(self))
            if translation is not None and translation.pk != found.page.pk:
                return RouteResult(translation.specific, found.args, found.kwargs)
            return found


def translate_page(
    page: Page,
    language: str,
    texts: Mapping[str, str],
    *,
    publish: bool = True,
    user: Any = None,
) -> Page:
    """Create or update `page`'s translation in `language` the way wagtail-localize's editor
    does, so staff find it there to review and change: the page's segments are extracted,
    `texts` (segment path to translated text: `title`, `slug`, `summary`, `body.<block id>`,
    `body.<block id>.text`...) recorded as translations, and the translated page saved from
    them. A segment without a text keeps the French one until it is translated.

    Published here rather than when the transaction commits (as the editor does), so the
    translation is live when this returns, inside a transaction or not.
    """
    from wagtail_localize.models import StringTranslation, Translation, TranslationSource

    locale = Locale.objects.get(language_code=language)
    source, _created = TranslationSource.update_or_create_from_instance(page)
    translation, _created = Translation.objects.get_or_create(
        source=source, target_locale=locale, defaults={"enabled": True}
    )
    for segment in source.stringsegment_set.select_related("string", "context"):
        text = texts.get(segment.context.path)
        if text:
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=locale,
                context=segment.context,
                defaults={"data": text},
            )
    translation.save_target(user=user, publish=False)
    translated = page.get_translation(locale)
    if publish:
        translated.get_latest_revision().publish(user=user)
        translated.refresh_from_db()
    return translated
