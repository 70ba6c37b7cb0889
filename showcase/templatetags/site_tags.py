"""Site-wide template tags: what every page's frame needs."""

from __future__ import annotations

from django import template
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def translated_url(context: template.Context, language: str) -> str:
    """This page, its query string kept, in `language`: the language switcher's links.

    A link rather than a form posting to `set_language`: the language is in the path, so a
    plain link says it all, search engines follow it, and a page carries no CSRF token, which
    made every page personal (a cookie set on each) and so uncacheable.
    """
    request = context.get("request")
    if request is None:
        return "/"
    return translate_url(request.get_full_path(), language)
