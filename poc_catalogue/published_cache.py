"""What pages show, rendered once per published version rather than once per visitor.

The home page and a POC page only change when something is published, unpublished, moved,
deleted, made private, or when a theme, commune, maker, tag, image or document is edited.
Each of those changes raises `PublishedVersion.number` in its own transaction; the
`{% published_fragment %}` tag caches a template fragment under that number (and the
language), so a change is visible on the next request in every process, and an unpublished
POC is never served from a fragment made before. A preview is never cached.

Reading the number costs one query per request (kept on the request). The fragments live in
Django's cache: per process by default (`CACHES` in the settings), shared if configured.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.db.models import F, Model
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language
from taggit.models import Tag
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from .models import Commune, Maker, PublishedVersion, Theme
from .signals import pocs_bulk_published

_REQUEST_ATTRIBUTE = "_published_version"

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


def published_version(request: HttpRequest | None = None) -> int:
    """The current number, read once per request."""
    if request is not None and hasattr(request, _REQUEST_ATTRIBUTE):
        return getattr(request, _REQUEST_ATTRIBUTE)
    number = PublishedVersion.objects.filter(pk=1).values_list("number", flat=True).first() or 0
    if request is not None:
        setattr(request, _REQUEST_ATTRIBUTE, number)
    return number


def bump() -> None:
    """Something visitors see changed: every fragment cached so far is out of date."""
    changed = PublishedVersion.objects.filter(pk=1).update(
        number=F("number") + 1, changed_at=timezone.now()
    )
    if not changed:
        PublishedVersion.objects.get_or_create(pk=1, defaults={"number": 1})


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
