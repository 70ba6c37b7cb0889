"""What pages show, rendered once per published version rather than once per visitor.

The home page and a POC page only change when something is published, unpublished, moved,
deleted, made private, or when a theme, commune, maker, tag, image or document is edited.
Each of those changes raises `PublishedVersion.number` in its own transaction; the
`{% published_fragment %}` tag caches a template fragment under that version (the number and
when it was raised, and the language), so a change is visible on the next request in every
process, and an unpublished POC is never served from a fragment made before. A preview is
never cached.

Reading the version costs one query per request (kept on the request). The fragments live in
Django's cache: per process by default (`CACHES` in the settings), shared if configured.

Whole pages (`PublishedResponseMiddleware`, below): a page that opts in
(`published_responses.cache_response` in its `serve`) is stored after its first rendering
under the published version, the host, the scheme, the language and the full path; the next
visitor of that address gets the stored bytes without Wagtail finding the site, routing the
path or rendering a template. Any publication raises the version, so no stored page outlives
a change a visitor would see, in any process.

Who gets a stored page, and what is stored, is narrow on purpose:
- only GET requests whose cookies are at most the CSRF, language and supports ones (no page
  reads the last): a session (staff, a visitor who gave a private page's password, a pending
  message) always gets the page rendered for it;
- only 200 responses marked by the page itself, setting no cookie, never a preview: Wagtail's
  privacy hook answers a restricted page before the page's own `serve` runs, so a private
  page's login form or password prompt is never marked, let alone the page behind it.
The CSP nonce is the one per-response secret in a page: a stored page is replayed with a
fresh nonce in its HTML and in its Content-Security-Policy header.
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.core.exceptions import DisallowedHost
from django.db.models import F, Model
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.translation import get_language
from taggit.models import Tag
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from .models import Commune, Maker, PublishedVersion, Theme
from .published_responses import stored_on
from .signals import pocs_bulk_published

_REQUEST_ATTRIBUTE = "_published_version"
# The request being answered, so code without it (the facet labels, deep in a search) reads
# the version kept on it rather than a query of its own. Set by `PublishedResponseMiddleware`.
_current_request: ContextVar[HttpRequest | None] = ContextVar("published_request", default=None)

# A page's own bookkeeping, saved with a draft or a lock: nothing a visitor sees.
NOT_SHOWN = frozenset(
    {
        "draft_title",
        "has_unpublished_changes",
        "latest_revision",
        "latest_revision_created_at",
        "locked",
        "locked_at",
        "locked_by",
    }
)


def published_version(request: HttpRequest | None = None) -> str:
    """The current version, read once per request: its number and when it was raised.

    The time makes a version never come back: a restored backup brings an older number, and
    the next change raises it to a number this process may have cached pages under already.
    Without `request`, the request being answered is used, if any.
    """
    if request is None:
        request = _current_request.get()
    if request is not None and hasattr(request, _REQUEST_ATTRIBUTE):
        return getattr(request, _REQUEST_ATTRIBUTE)
    row = PublishedVersion.objects.filter(pk=1).values_list("number", "changed_at").first()
    version = f"{row[0]}-{row[1].timestamp():.6f}" if row else "0"
    if request is not None:
        setattr(request, _REQUEST_ATTRIBUTE, version)
    return version


_deferred_bump: ContextVar[list[bool] | None] = ContextVar("deferred_bump", default=None)


@contextmanager
def one_bump_for_the_block() -> Iterator[None]:
    """Changes made within the block raise the version once, when it ends (even if it fails),
    rather than once per object saved: an import saves thousands. What the block publishes
    reaches visitors' cached pages when it ends, as it reaches the search index."""
    if _deferred_bump.get() is not None:  # an outer block bumps
        yield
        return
    asked: list[bool] = []
    token = _deferred_bump.set(asked)
    try:
        yield
    finally:
        _deferred_bump.reset(token)
        if asked:
            bump()


def bump() -> None:
    """Something visitors see changed: every fragment cached so far is out of date."""
    deferred = _deferred_bump.get()
    if deferred is not None:
        deferred.append(True)
        return
    changed = PublishedVersion.objects.filter(pk=1).update(
        number=F("number") + 1, changed_at=timezone.now()
    )
    if not changed:
        PublishedVersion.objects.get_or_create(pk=1, defaults={"number": 1})
    request = _current_request.get()
    if request is not None and hasattr(request, _REQUEST_ATTRIBUTE):
        # What this request renders after the change is made under the new version.
        delattr(request, _REQUEST_ATTRIBUTE)


def cached_fragment(request: HttpRequest | None, name: str, vary_on: Iterable[Any], render):
    """`render()`, or what it returned for this published version, language and `vary_on`."""
    if request is None or getattr(request, "is_preview", False):
        return render()
    cache = caches[settings.PUBLISHED_CACHE]
    key = make_template_fragment_key(name, [published_version(request), get_language(), *vary_on])
    fragment = cache.get(key)
    if fragment is None:
        fragment = render()
        cache.set(key, fragment, settings.PUBLISHED_CACHE_SECONDS)
    return fragment


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
@receiver(pocs_bulk_published)
def on_publishing(**kwargs: object) -> None:
    bump()


@receiver(post_save)
def on_save(sender: type, instance: Model, update_fields=None, **kwargs: object) -> None:
    if isinstance(instance, Page):
        if update_fields is None or not set(update_fields) <= NOT_SHOWN:
            bump()
    elif issubclass(sender, _shown_models()):
        bump()


@receiver(post_delete)
def on_delete(sender: type, instance: Model, **kwargs: object) -> None:
    if isinstance(instance, Page) or issubclass(sender, _shown_models()):
        bump()


@cache
def _shown_models() -> tuple[type[Model], ...]:
    """What pages show besides pages (the swappable image and document models included)."""
    return (
        PageViewRestriction,
        Site,
        Theme,
        Commune,
        Maker,
        Tag,
        get_image_model(),
        get_document_model(),
    )


_CSP_HEADERS = ("Content-Security-Policy", "Content-Security-Policy-Report-Only")


@dataclass(frozen=True)
class StoredResponse:
    content: bytes
    headers: tuple[tuple[str, str], ...]
    nonce: str | None


def _new_nonce() -> str:
    # As django-csp makes them: the same length, so Content-Length still holds.
    return base64.b64encode(os.urandom(16)).decode("ascii")


class PublishedResponseMiddleware:
    """Place after LocaleMiddleware (the language is part of the key) and before the rest."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response
        # The supports cookie changes no page: the button and count are the same for all
        # (`supports.buttons`), and the visitor's own state is asked for by script.
        self.allowed_cookies = {
            settings.CSRF_COOKIE_NAME,
            settings.LANGUAGE_COOKIE_NAME,
            settings.SUPPORT_COOKIE_NAME,
        }

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        answering = _current_request.set(request)
        try:
            return self.respond(request)
        finally:
            _current_request.reset(answering)

    def respond(self, request: HttpRequest) -> HttpResponseBase:
        address = self.address_key(request)
        if address is None:
            return self.get_response(request)
        cache = caches[settings.PUBLISHED_CACHE]
        # As Django's cache middleware does for `Vary`: the headers a page is keyed on are
        # learnt from its first response and stored beside it.
        keyed_on = cache.get(f"published-response-headers:{address}")
        if keyed_on is not None:
            stored = cache.get(self.response_key(request, address, keyed_on))
            if stored is not None:
                return self.replay(stored)
        response = self.get_response(request)
        keyed_on = stored_on(response)
        if keyed_on is not None and self.storable(request, response):
            seconds = settings.PUBLISHED_CACHE_SECONDS
            cache.set(f"published-response-headers:{address}", keyed_on, seconds)
            key = self.response_key(request, address, keyed_on)
            cache.set(key, self.freeze(request, response), seconds)
        return response

    def address_key(self, request: HttpRequest) -> str | None:
        if request.method != "GET" or not set(request.COOKIES) <= self.allowed_cookies:
            return None
        try:
            host = request.get_host()
        except DisallowedHost:
            return None  # Django answers it further in
        address = f"{request.scheme}://{host}{request.get_full_path()}"
        digest = hashlib.sha256(address.encode()).hexdigest()
        return f"{published_version(request)}:{get_language()}:{digest}"

    @staticmethod
    def response_key(request: HttpRequest, address: str, keyed_on: tuple[str, ...]) -> str:
        values = "\n".join(request.headers.get(name, "") for name in keyed_on)
        return f"published-response:{address}:{hashlib.sha256(values.encode()).hexdigest()}"

    @staticmethod
    def storable(request: HttpRequest, response: HttpResponseBase) -> bool:
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not getattr(request, "is_preview", False)
            # A page that used the visitor's CSRF token is theirs alone.
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        )

    @staticmethod
    def freeze(request: HttpRequest, response: HttpResponse) -> StoredResponse:
        nonce = getattr(request, "_csp_nonce", None)
        return StoredResponse(
            content=response.content,
            headers=tuple(response.headers.items()),
            nonce=nonce if isinstance(nonce, str) else None,
        )

    @staticmethod
    def replay(stored: StoredResponse) -> HttpResponse:
        content = stored.content
        headers = dict(stored.headers)
        if stored.nonce:
            nonce = _new_nonce()
            content = content.replace(stored.nonce.encode(), nonce.encode())
            for name in _CSP_HEADERS:
                if name in headers:
                    headers[name] = headers[name].replace(stored.nonce, nonce)
        response = HttpResponse(content)
        for name, value in headers.items():
            response.headers[name] = value
        return response
