"""The "Je soutiens" button of a card or a POC page: the same for every visitor, so pages
with it are still stored whole (`published_cache`).

A link to the POC's support page: without JavaScript it leads there, where a form counts the
support; `static/js/supports.js` turns it into a one-click toggle button (`aria-pressed`,
fresh count) for this browser. Not a form: cards are listed inside the catalogue's filter
form, and a form within a form is dropped by the HTML parser. Rendered in Python like the
cards it sits on.
"""

from __future__ import annotations

from html import escape

from django.urls import reverse
from django.utils.translation import gettext, ngettext


def support_label(count: int) -> str:
    return ngettext("%(count)s support", "%(count)s supports", count) % {"count": count}


_HEART = (
    '<svg class="support__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">'
    '<path d="M12 20.5s-7.5-4.6-7.5-10.1A4.4 4.4 0 0 1 12 7.6a4.4 4.4 0 0 1 7.5 2.8'
    'c0 5.5-7.5 10.1-7.5 10.1z"/></svg>'
)


def support_button_html(
    poc_id: int, count: int | None, title: str = "", lang: str = "", modifier: str = ""
) -> str:
    """`title` (escaped by the caller) completes the button's name where many POCs are
    listed; `count` None leaves the count for the script to fill."""
    poc_id = int(poc_id)
    modifier = f" support--{modifier}" if modifier else ""
    hidden_title = f'<span class="visually-hidden"{lang}> {title}</span>' if title else ""
    shown = escape(support_label(count)) if count is not None else ""
    return (
        f'<div class="support{modifier}" data-support="{poc_id}">'
        f'<a class="support__button" href="{escape(reverse("supports:support", args=[poc_id]))}">'
        f'{_HEART}<span class="support__label">{escape(gettext("I support"))}</span>'
        f'{hidden_title}</a> <span class="support__count" data-support-count>{shown}</span></div>'
    )
