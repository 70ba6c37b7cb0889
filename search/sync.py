"""Keep the catalogue index in step with what is published.

Sync follows publishing events (`page_published`, `page_unpublished`, deletion, moves) and
renames of what POCs show (makers, themes, communes, tags), never plain saves: Wagtail's
`save_revision()` saves drafts too, and drafts must not reach the index.

The database's folded text is written in the same transaction. The Elasticsearch update is
a task on the durable queue, committed with the change; the worker runs it. If the cluster
is down or slow the task gives up within the client's short timeout, remembers the POCs in
`PendingIndexUpdate` (as it does for any document Elasticsearch refuses), and the next sync
or `catalogue_index reconcile` retries them. Publishing never fails because of it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db.models import F, Model, QuerySet
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django_tasks import task
from taggit.models import Tag
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from poc_catalogue.models import Commune, Maker, POCPage, Theme
from poc_catalogue.signals import deferred_to_batch, pocs_bulk_published
from poc_catalogue.translations import source_language, source_page_id

from .catalogue import ELASTICSEARCH_FAILURES, cluster_failed
from .connection import cooling_down, elasticsearch_configured, mark_available, mark_unavailable
from .facet_labels import forget_facet_labels
from .models import PendingIndexUpdate
from .stored_text import save_search_text_of

logger = logging.getLogger(__name__)

# How many remembered failures one sync retries along with its own POCs.
BACKLOG_BATCH = 200


@task()
def sync_pocs(page_ids: list[int]) -> dict[str, int]:
    """Bring these POCs (and some earlier failures) up to date in Elasticsearch."""
    if not elasticsearch_configured():
        return {"indexed": 0, "removed": 0, "pending": 0}
    backlog = list(PendingIndexUpdate.objects.values_list("page_id", flat=True)[:BACKLOG_BATCH])
    ids = sorted(set(page_ids) | set(backlog))
    if cooling_down():
        remember_failed(ids)
        return {"indexed": 0, "removed": 0, "pending": len(ids)}
    from .indexing import update_pocs

    try:
        outcome = update_pocs(ids)
    except ELASTICSEARCH_FAILURES as error:
        if cluster_failed(error):
            mark_unavailable()
        remember_failed(ids)
        logger.warning(
            "Elasticsearch did not take %d POC update(s) (%s); they will be retried.",
            len(ids),
            error.__class__.__name__,
        )
        return {"indexed": 0, "removed": 0, "pending": len(ids)}
    mark_available()
    settle_pending(ids, outcome.failed)
    return {
        "indexed": len(outcome.indexed),
        "removed": len(outcome.removed),
        "pending": len(outcome.failed),
    }


def remember_failed(page_ids: Iterable[int]) -> None:
    """Keep these POCs for the next sync or reconcile; count how often each failed."""
    ids = set(page_ids)
    if not ids:
        return
    PendingIndexUpdate.objects.filter(page_id__in=ids).update(
        attempts=F("attempts") + 1, queued_at=timezone.now()
    )
    PendingIndexUpdate.objects.bulk_create(
        [PendingIndexUpdate(page_id=page_id) for page_id in sorted(ids)], ignore_conflicts=True
    )


def settle_pending(page_ids: Iterable[int], failed: set[int]) -> None:
    """After an update of `page_ids`: keep those that failed, forget the others."""
    remember_failed(failed)
    PendingIndexUpdate.objects.filter(page_id__in=set(page_ids) - failed).delete()


def schedule_sync(page_ids: Iterable[int]) -> None:
    """Queue an index update for these POCs, committed with the change that calls for it.

    On the database task backend the task is a row of the current transaction: it exists if
    and only if the change does. Should queueing fail, the POCs wait in `PendingIndexUpdate`.
    """
    ids = sorted(set(page_ids))
    if not ids or not elasticsearch_configured():
        return
    try:
        sync_pocs.enqueue(page_ids=ids)
    except Exception:
        # Whatever the queue does, publishing must succeed; reconcile repairs.
        logger.exception("Could not queue the index update of POCs %s", ids)
        remember_failed(ids)


def _indexed_id(page: POCPage) -> int:
    """A POC is indexed under its French page: a translation's change updates that one."""
    return source_page_id(page)


@receiver(page_published)
def on_page_published(sender: type, instance: Model, **kwargs: object) -> None:
    if isinstance(instance, POCPage):
        forget_facet_labels()
        if deferred_to_batch(_indexed_id(instance)):  # an import: all of it at the end
            return
        save_search_text_of([_indexed_id(instance)])
        schedule_sync([_indexed_id(instance)])


@receiver(pocs_bulk_published)
def on_pocs_bulk_published(sender: type, page_ids: list[int], **kwargs: object) -> None:
    """Loaders that insert live POCs in bulk bypass `page_published` and send this instead;
    imports publish in a batch (`publishing_in_batch`) and send it once at their end."""
    forget_facet_labels()
    save_search_text_of(page_ids)
    schedule_sync(page_ids)


@receiver(page_unpublished)
def on_page_unpublished(sender: type, instance: Model, **kwargs: object) -> None:
    if isinstance(instance, POCPage):
        forget_facet_labels()
        if _indexed_id(instance) != instance.pk:  # a translation: its French page stays
            save_search_text_of([_indexed_id(instance)])
        schedule_sync([_indexed_id(instance)])


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def on_view_restriction_changed(sender: type, instance: PageViewRestriction, **kwargs: object):
    """A restricted section leaves the index, a freed one comes back."""
    restricted = Page.objects.filter(pk=instance.page_id).first()
    if restricted is None:
        return
    forget_facet_labels()
    affected = POCPage.objects.descendant_of(restricted, inclusive=True)
    # A POC is indexed under its French page, whichever tree the restriction is on.
    affected_ids = list(
        POCPage.objects.filter(
            translation_key__in=affected.values("translation_key"),
            locale__language_code=source_language(),
        ).values_list("pk", flat=True)
    )
    save_search_text_of(affected_ids)
    schedule_sync(affected_ids)


@receiver(post_delete, sender=POCPage)
def on_poc_deleted(sender: type, instance: POCPage, **kwargs: object) -> None:
    if _indexed_id(instance) != instance.pk:
        save_search_text_of([_indexed_id(instance)])
    schedule_sync([_indexed_id(instance)])


@receiver(post_page_move)
def on_page_moved(sender: type, instance: Model, **kwargs: object) -> None:
    if isinstance(instance, POCPage) or issubclass(sender, POCPage):
        schedule_sync([_indexed_id(instance)])


def _resync_showing(pocs: QuerySet[POCPage]) -> None:
    published = pocs.filter(pk__in=POCPage.objects.published().values("pk"))
    page_ids = list(published.values_list("pk", flat=True).distinct())
    save_search_text_of(page_ids)
    schedule_sync(page_ids)


@receiver(post_save, sender=Maker)
def on_maker_saved(sender: type, instance: Maker, created: bool, **kwargs: object) -> None:
    forget_facet_labels()
    if not created:
        _resync_showing(POCPage.objects.filter(poc_makers__maker=instance))


@receiver(post_save, sender=Theme)
def on_theme_saved(sender: type, instance: Theme, created: bool, **kwargs: object) -> None:
    forget_facet_labels()
    if not created:
        _resync_showing(POCPage.objects.filter(themes=instance))


@receiver(post_save, sender=Commune)
def on_commune_saved(sender: type, instance: Commune, created: bool, **kwargs: object) -> None:
    forget_facet_labels()
    if not created:
        _resync_showing(POCPage.objects.filter(commune=instance))


@receiver(post_save, sender=Tag)
def on_tag_saved(sender: type, instance: Tag, created: bool, **kwargs: object) -> None:
    forget_facet_labels()
    if not created:
        _resync_showing(POCPage.objects.filter(tagged_items__tag=instance))


@receiver(post_delete, sender=Maker)
@receiver(post_delete, sender=Theme)
@receiver(post_delete, sender=Tag)
def on_labelled_thing_deleted(sender: type, **kwargs: object) -> None:
    forget_facet_labels()
