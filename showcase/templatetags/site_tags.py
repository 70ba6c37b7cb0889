"""Site-wide template tags: what every page's frame needs."""

from __future__ import annotations

import re

from django import template
from django.conf import settings
from django.http import QueryDict
from django.urls import translate_url
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import to_locale
from wagtail.models import Page

from poc_catalogue.feeds import all_pocs_feed
from poc_catalogue.translations import active_language, page_url_in_language, source_language

register = template.Library()

# OpenGraph names a language with its country: the regional form readers of each expect.
OPEN_GRAPH_LOCALES = {"fr": "fr-fr", "en": "en-gb"}


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


_TEMPLATE_WHITESPACE = re.compile(r"[ \t\n\r\f\v]+")


class MetaTextNode(template.Node):
    def __init__(self, nodelist: template.NodeList, name: str):
        self.nodelist, self.name = nodelist, name

    def render(self, context: template.Context) -> str:
        # The template escaped what it rendered: the text is safe as it stands.
        # Template whitespace only: `split()` would also break the no-break spaces of French
        # typography ("Erreur : …").
        text = _TEMPLATE_WHITESPACE.sub(" ", self.nodelist.render(context)).strip()
        context[f"meta_{self.name}"] = mark_safe(text)  # noqa: S308 - rendered, escaped output
        return ""


@register.tag
def meta_text(parser, token) -> MetaTextNode:
    """`{% meta_text "description" %}{% block description %}…{% endblock %}{% endmeta_text %}`:
    renders nothing, keeps the text, whitespace collapsed, as `meta_description`.

    A block's text can be shown once only; the head shows a page's title, description and
    address in several tags (`<title>`, OpenGraph, canonical), so base.html reads each block
    once into a variable that `includes/head_meta.html` uses as often as it needs.
    """
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} needs one name")
    nodelist = parser.parse(("endmeta_text",))
    parser.delete_first_token()
    return MetaTextNode(nodelist, bits[1].strip("\"'"))


@register.simple_tag(takes_context=True)
def canonical_url(context: template.Context, keep: str = "page") -> str:
    """This page's one address for search engines: absolute, in the visitor's language (a
    translation's own slug rather than the French one under /en/), with only the query
    parameters named in `keep` (a listing's page number); filters and sorting make views of
    the same content, not pages of their own."""
    request = context.get("request")
    if request is None:
        return ""
    path = _url_in_language(context, active_language()).split("?", 1)[0]
    kept = QueryDict(mutable=True)
    for name in keep.split():
        value = request.GET.get(name, "")
        # `isdigit()` takes "¹" or "٣", which `int()` refuses: a page number is ASCII digits.
        if name == "page" and (not re.fullmatch(r"[0-9]{1,6}", value) or int(value) <= 1):
            continue
        if value:
            kept[name] = value
    query = kept.urlencode()
    return request.build_absolute_uri(f"{path}?{query}" if query else path)


@register.simple_tag(takes_context=True)
def open_graph_locales(context: template.Context) -> SafeString:
    """`og:locale` for the visitor's language, `og:locale:alternate` for the others."""
    current = active_language()
    tags = [("og:locale", to_locale(OPEN_GRAPH_LOCALES.get(current, current)))]
    tags += [
        ("og:locale:alternate", to_locale(OPEN_GRAPH_LOCALES.get(code, code)))
        for code, _name in settings.LANGUAGES
        if code != current
    ]
    return format_html_join("\n  ", '<meta property="{}" content="{}">', tags)


@register.simple_tag(takes_context=True)
def feed_links(context: template.Context) -> SafeString:
    """`<link rel="alternate">` to the Atom feed of new POCs, and to the page's own feeds
    (`feeds` in its context: a theme's, a commune's)."""
    links = [all_pocs_feed(), *context.get("feeds", [])]
    return format_html_join(
        "\n  ",
        '<link rel="alternate" type="application/atom+xml" title="{}" href="{}">',
        ((link.title, link.url) for link in links),
    )
