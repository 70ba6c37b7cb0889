"""Site-wide template tags: what every page's frame needs."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from wagtail.models import Page

from poc_catalogue.translations import page_url_in_language, source_language

register = template.Library()


def _url_in_language(context: template.Context, language: str) -> str:
    request = context.get("request")
    if request is None:
        return "/"
    # Asked twice per language and page (the switcher, the alternates): found once.
    known = request.__dict__.setdefault("_showcase_urls_in_language", {})
    if language not in known:
        known[language] = _find_url_in_language(request, context.get("page"), language)
    return known[language]


def _find_url_in_language(request, page, language: str) -> str:
    if isinstance(page, Page) and page.pk:
        # A page's translation may live at another address (a translated slug): ask the page.
        url = page_url_in_language(page, language, request)
        query = request.META.get("QUERY_STRING", "")
        return f"{url}?{query}" if query else url
    return translate_url(request.get_full_path(), language)


@register.simple_tag(takes_context=True)
def translated_url(context: template.Context, language: str) -> str:
    """This page, its query string kept, in `language`: the language switcher's links.

    A link rather than a form posting to `set_language`: the language is in the path, so a
    plain link says it all, search engines follow it, and a page carries no CSRF token, which
    made every page personal (a cookie set on each) and so uncacheable.
    """
    return _url_in_language(context, language)


@register.simple_tag(takes_context=True)
def language_alternates(context: template.Context) -> SafeString:
    """`<link rel="alternate" hreflang>` to this page in each language, French as x-default."""
    request = context.get("request")
    if request is None:
        return SafeString("")
    urls = {
        code: request.build_absolute_uri(_url_in_language(context, code))
        for code, _name in settings.LANGUAGES
    }
    urls["x-default"] = urls[source_language()]
    return format_html_join("\n  ", '<link rel="alternate" hreflang="{}" href="{}">', urls.items())
