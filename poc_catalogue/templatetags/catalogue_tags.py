"""Template helpers for the public site: links into the filtered catalogue, safe images."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.http import QueryDict
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext

from poc_catalogue import images, structured_data
from poc_catalogue.limits import MAX_SELECTION_SIZE
from poc_catalogue.models import CatalogueIndexPage, Maker, POCCard, POCPage, Theme
from poc_catalogue.published_cache import cached_fragment
from poc_catalogue.supports.buttons import support_button_html
from poc_catalogue.supports.counting import counts_of
from poc_catalogue.translations import (
    active_language,
    content_lang_attribute,
    source_page_id,
)

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
        base = cached_fragment(request, "catalogue-url", [], lambda: _catalogue_url(request))
        if request is not None:
            setattr(request, _CACHE_ATTRIBUTE, base)
    params = QueryDict(mutable=True)
    for name, value in filters.items():
        if value not in (None, ""):
            params[name] = str(value)
    return f"{base}?{params.urlencode()}" if params else base


@register.simple_tag
def content_lang(page) -> SafeString:
    """` lang="fr"` on an element holding `page`'s text when that text is not in the
    visitor's language: a page not translated yet, served in French under /en/."""
    return mark_safe(content_lang_attribute(page))  # noqa: S308 - a language code we chose


def _catalogue_url(request) -> str:
    return CatalogueIndexPage.url_for_visitor(request)


_CSS_SAFE_SLUG = re.compile(r"[a-z0-9-]+")


class PublishedFragmentNode(template.Node):
    def __init__(self, nodelist: template.NodeList, name: str, vary_on: list):
        self.nodelist, self.name, self.vary_on = nodelist, name, vary_on

    def render(self, context: template.Context) -> str:
        return cached_fragment(
            context.get("request"),
            self.name,
            [value.resolve(context) for value in self.vary_on],
            lambda: self.nodelist.render(context),
        )


@register.tag
def published_fragment(parser, token) -> PublishedFragmentNode:
    """`{% published_fragment "name" page.pk %}...{% endpublished_fragment %}`: the content,
    rendered once per published version and language (`published_cache.py`), never in a
    preview. Keep what varies per request (CSRF tokens, nonces, the user) outside it."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"{bits[0]} needs a fragment name")
    nodelist = parser.parse(("endpublished_fragment",))
    parser.delete_first_token()
    name = bits[1].strip("\"'")
    return PublishedFragmentNode(nodelist, name, [parser.compile_filter(bit) for bit in bits[2:]])


@register.simple_tag(takes_context=True)
def theme_palette(context) -> SafeString | str:
    """A `<style>` giving each `.theme-<slug>` its colour and readable ink.

    Theme colours are the staff's to choose, and the Content-Security-Policy refuses style
    attributes: elements take a theme's colours through its class instead.
    """
    request = context.get("request")
    rules = cached_fragment(
        request,
        "theme-palette",
        [],
        lambda: "".join(
            f".theme-{slug}{{--theme-colour:{colour};--theme-ink:{ink(colour)}}}"
            for slug, colour in Theme.objects.values_list("slug", "colour")
            if _CSS_SAFE_SLUG.fullmatch(slug) and hex_colour.fullmatch(colour)
        ),
    )
    nonce = getattr(request, "csp_nonce", "") if request is not None else ""
    return format_html('<style nonce="{}">{}</style>', nonce, rules)


@register.simple_tag
def safe_picture(image, kind: str, **attrs: str) -> str:
    """A responsive `<picture>` (`images.PICTURES[kind]`), or "" when the file is unreadable.

    Use `as name` and test it, so the figure around it goes too.
    """
    found = images.picture(image, kind, attrs)
    return found.__html__() if found is not None else ""


@register.simple_tag
def safe_rendition(image, spec: str):
    """`image` as `spec` (`as name`, then `name.url`...), or None when the file is unreadable."""
    return images.rendition(image, spec)


hex_colour = re.compile(r"#[0-9a-fA-F]{6}")

# What must not appear raw inside a <script> element (as Django's `json_script` escapes it).
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def json_ld(data: Mapping[str, Any] | None) -> SafeString | str:
    """`data` as a schema.org JSON-LD `<script>`, or "" without data.

    No CSP nonce: a data block is never run, and a page's cached fragments may hold it.
    """
    if not data:
        return ""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(_SCRIPT_ESCAPES)),  # noqa: S308 - JSON, escaped for <script>
    )


@register.simple_tag(takes_context=True)
def share_image(context, image, alt: str = "") -> SafeString | str:
    """OpenGraph tags of the picture a shared link shows: `image` as 1200×630 JPEG, its size
    and alternative text; "" when there is no image or its file cannot be read."""
    found = images.rendition(image, images.SHARE_IMAGE) if image else None
    request = context.get("request")
    if found is None or request is None:
        return ""
    return format_html(
        '<meta property="og:image" content="{}">\n'
        '  <meta property="og:image:width" content="{}">\n'
        '  <meta property="og:image:height" content="{}">\n'
        '  <meta property="og:image:alt" content="{}">',
        request.build_absolute_uri(found.url),
        found.width,
        found.height,
        alt,
    )


@register.simple_tag(takes_context=True)
def poc_structured_data(context, page: POCPage, url: str) -> SafeString | str:
    """The POC page's schema.org `CreativeWork`, from the makers and themes it shows."""
    return json_ld(
        structured_data.poc_creative_work(
            page,
            url=url,
            makers=context.get("makers") or [],
            themes=context.get("themes") or [],
            request=context["request"],
        )
    )


@register.simple_tag(takes_context=True)
def website_structured_data(context, name: str, url: str) -> SafeString | str:
    """The home page's schema.org `WebSite`: the site's name and address."""
    return json_ld(structured_data.website(name=name, url=url, language=active_language()))


@register.simple_tag(takes_context=True)
def maker_structured_data(context, maker: Maker, url: str) -> SafeString | str:
    """The maker page's schema.org `Person` or `Organization`."""
    return json_ld(structured_data.maker_entity(maker, url=url, request=context["request"]))


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(value) for value in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


@register.filter
def ink(colour: str) -> str:
    """The theme colour, darkened until white text on it (and it on white) meets WCAG AA.

    Staff choose theme colours freely; labels stay readable whatever they pick.
    """
    try:
        rgb = [int(colour[index : index + 2], 16) for index in (1, 3, 5)]
    except (TypeError, ValueError):
        return "#16161d"
    for _ in range(40):
        if 1.05 / (_luminance(tuple(rgb)) + 0.05) >= 4.8:
            break
        rgb = [round(value * 0.93) for value in rgb]
    return "#{:02x}{:02x}{:02x}".format(*rgb)


@register.filter
def distance_label(metres: float | None) -> str:
    """`à 1,2 km`, `à 350 m`, `à moins de 100 m` in the visitor's language."""
    if metres is None:
        return ""
    if metres < 100:
        return gettext("less than 100 m away")
    if metres < 1000:
        return gettext("%(metres)s m away") % {"metres": number_format(round(metres, -1), 0)}
    return gettext("%(km)s km away") % {"km": number_format(round(metres / 1000, 1), 1)}


def _bookmark_icon(css_class: str) -> str:
    """The selection's sign: a bookmark, outlined (filled by CSS once a POC is kept)."""
    return (
        f'<svg class="{css_class}" viewBox="0 0 24 24" aria-hidden="true" focusable="false">'
        '<path d="M6.5 3.5h11v17l-5.5-4-5.5 4z"/></svg>'
    )


def keep_toggle_html(poc_id: int, title: str = "", lang: str = "", modifier: str = "") -> str:
    """The "Keep" button that adds a POC to the visitor's selection (`static/js/selection.js`
    sets `aria-pressed` from the browser's list; CSS shows it only to script-enabled pages).

    `title` (escaped by the caller) completes its accessible name where many POCs are listed.
    """
    modifier = f" keep-toggle--{modifier}" if modifier else ""
    hidden_title = f'<span class="visually-hidden"{lang}> {title}</span>' if title else ""
    return (
        f'<button type="button" class="keep-toggle{modifier}" data-keep="{int(poc_id)}"'
        f' aria-pressed="false">{_bookmark_icon("keep-toggle__icon")}'
        f'<span class="keep-toggle__label">{escape(gettext("Keep"))}</span>{hidden_title}</button>'
    )


@register.simple_tag
def support_counts(cards: Iterable[POCCard]) -> dict[int, int]:
    """`{% support_counts cards as counts %}`: the support counts of these cards' POCs."""
    return counts_of(card.page_id for card in cards)


@register.simple_tag
def support_button(page) -> SafeString:
    """`{% support_button page %}`: "Je soutiens" and the count of a POC page, in any language
    (supports are counted on the French page)."""
    poc_id = source_page_id(page)
    html = support_button_html(poc_id, counts_of([poc_id])[poc_id], modifier="page")
    return mark_safe(html)  # noqa: S308 - a number and escaped labels


@register.simple_tag
def keep_toggle(page) -> SafeString:
    """`{% keep_toggle page %}`: the "Keep" button of a POC page, in any language (the
    selection knows a POC by its French page's id)."""
    html = keep_toggle_html(source_page_id(page), modifier="page")
    return mark_safe(html)  # noqa: S308 - a number and an escaped label


@register.simple_tag(takes_context=True)
def selection_link(context) -> SafeString:
    """The header's link to the visitor's selection: its count and address come from the
    browser's list (`static/js/selection.js`), so every page stays the same for everyone."""
    address = reverse("poc_catalogue:selection")
    request = context.get("request")
    full = gettext("Your selection is full: keep at most %(max)d POCs.")
    return format_html(
        '<a href="{address}" class="selection-link" data-selection-link data-limit="{limit}"'
        ' data-full="{full}"{current}>{icon}<span class="selection-link__text">{name}</span> '
        '<span class="selection-link__count" data-selection-count hidden></span></a>'
        '<span class="visually-hidden" role="status" data-selection-status></span>',
        address=address,
        limit=MAX_SELECTION_SIZE,
        full=full % {"max": MAX_SELECTION_SIZE},
        current=(
            mark_safe(' aria-current="page"')
            if request is not None and request.path == address
            else ""
        ),
        icon=mark_safe(_bookmark_icon("selection-link__icon")),  # noqa: S308 - a constant
        name=gettext("My selection"),
    )


_CARD = """<article class="card{theme_class}">
  <div class="card__media">
    {media}
  </div>
  <div class="card__body">
    <h3 class="card__title"{lang}><a href="{url}">{title}</a></h3>
    <p class="card__summary"{lang}>{summary}</p>
    {match}
    <ul class="card__themes" aria-label="{themes_label}">
      {themes}
    </ul>
    <dl class="card__meta">
      {makers}
      <div><dt>{where}</dt><dd>{commune}{distance}</dd></div>
      <div><dt>{when}</dt><dd>{year} · {stage}</dd></div>
    </dl>
    {support}
  </div>
  {keep}
</article>
"""
_THUMBNAIL = '<img src="{}" width="480" height="320" alt="" loading="lazy" decoding="async">'
_PLACEHOLDER = '<span class="card__placeholder" aria-hidden="true"></span>'


@register.simple_tag
def poc_card(
    card: POCCard,
    highlight: Mapping[str, str] | None = None,
    distance: float | None = None,
    supports: int | Mapping[int, int] | None = None,
) -> SafeString:
    """A POC's card, as every listing shows it (home, catalogue, similar and nearby POCs).

    `highlight` is the search layer's HTML, escaped there, with `<mark>` around the query's
    words; the card names a matching tag only when neither the title nor the summary matched.
    `supports`: the POC's support count, or counts by POC id (`support_counts`).

    Rendered in Python: a catalogue page shows 24 cards, and the same markup as an included
    template cost half the page's time. Every other text is escaped here with the standard
    library's `escape`, as Django's own `escape` does.
    """
    language = active_language()
    card = card.in_language(language)
    highlight = highlight or {}
    marked_title, marked_summary = highlight.get("title"), highlight.get("summary")
    match = ""
    if highlight.get("tag_names") and not marked_title and not marked_summary:
        tag = gettext("Tag: %(tag)s") % {"tag": highlight["tag_names"]}
        match = f'<p class="card__match">{tag}</p>'
    makers = ""
    if card.makers:
        names = ", ".join(escape(maker.label) for maker in card.makers[:2])
        if len(card.makers) > 2:
            extra = len(card.makers) - 2
            names += " " + ngettext("and %(extra)s other", "and %(extra)s others", extra) % {
                "extra": extra
            }
        makers = f"<div><dt>{escape(gettext('By'))}</dt><dd>{names}</dd></div>"
    around = ""
    if distance is not None:
        around = f' · <span class="card__distance">{escape(distance_label(distance))}</span>'
    # A POC not translated yet shows its French text, marked so for screen readers.
    text_lang = f' lang="{card.text_language}"' if card.text_language != language else ""
    html = _CARD.format(
        theme_class=f" theme-{escape(card.themes[0].slug)}" if card.themes else "",
        media=_THUMBNAIL.format(escape(card.thumbnail)) if card.thumbnail else _PLACEHOLDER,
        url=escape(card.url),
        lang=text_lang,
        title=marked_title or escape(card.title),
        summary=marked_summary or escape(Truncator(card.summary).chars(160)),
        match=match,
        themes_label=escape(gettext("Themes")),
        themes="".join(
            f'<li class="theme-label theme-{escape(theme.slug)}">{escape(theme.label)}</li>'
            for theme in card.themes
        ),
        makers=makers,
        where=escape(gettext("Where")),
        commune=escape(card.commune.label) if card.commune else "",
        distance=around,
        when=escape(gettext("When")),
        year=card.year,
        stage=escape(card.stage_label),
        keep=keep_toggle_html(card.page_id, escape(card.title), text_lang),
        support=support_button_html(
            card.page_id,
            supports.get(card.page_id, 0) if isinstance(supports, Mapping) else supports,
            escape(card.title),
            text_lang,
        ),
    )
    return mark_safe(html)  # noqa: S308 - every text in it escaped above, highlights upstream
