"""Wagtail's per-save bookkeeping, done once per batch of imported rows.

Every object Wagtail saves queues two tasks: one refreshes the reference index ("usage" in the
admin), one the admin's own search index. An imported POC saves its page three times (created,
revision, published), its photos and any new maker: some nine task rows written per row, and
as many tasks for the worker to run, each reading its object again. During an import,
`bookkeeping_in_batches()` notes what was saved instead, and queues one `refresh_bookkeeping`
task for every `BATCH_SIZE` rows (and at the end, even when the import fails), which runs the
very same Wagtail updates for each object once.

Wagtail's admin-search handler is a process-wide signal receiver: it is disconnected for the
duration, so the import must run alone in its process, as it does in `manage.py
import_catalogue` and in the task worker (which runs one task at a time).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model
from django.db.models.signals import post_save
from django_tasks import task
from modelsearch.index import class_is_indexed, get_indexed_models
from modelsearch.signal_handlers import post_save_signal_handler
from modelsearch.tasks import insert_or_update_object_task
from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.tasks import update_reference_index_task

logger = logging.getLogger(__name__)

BATCH_SIZE = 100

ObjectKey = tuple[str, str, str]  # app label, model name, primary key


@task()
def refresh_bookkeeping(objects: list[list[str]]) -> int:
    """Wagtail's reference index and admin search for each (app label, model name, pk):
    what Wagtail would have queued one task per save for. Returns how many were refreshed."""
    refreshed = 0
    for app_label, model_name, pk in objects:
        model = apps.get_model(app_label, model_name)
        try:
            if model in ReferenceIndex.tracked_models:
                update_reference_index_task.call(app_label, model_name, pk)
            if class_is_indexed(model) and getattr(model, "search_auto_update", True):
                insert_or_update_object_task.call(app_label, model_name, pk)
        except ObjectDoesNotExist:
            continue  # saved by a row that failed, or deleted since
        except Exception:
            logger.exception(
                "Could not refresh %s.%s %s after an import", app_label, model_name, pk
            )
            continue
        refreshed += 1
    return refreshed


class Bookkeeping:
    """The objects saved since the last batch was queued."""

    def __init__(self) -> None:
        self.saved: dict[ObjectKey, None] = {}  # in the order they were first saved

    def record(self, sender: type[Model], instance: Model, raw: bool = False, **kwargs) -> None:
        if raw or instance.pk is None:
            return
        # A child object (a page's maker, a gallery photo) is indexed with its parent, saved too.
        if ReferenceIndex.is_indexed(sender) or class_is_indexed(sender):
            meta = instance._meta
            self.saved[(meta.app_label, meta.model_name, str(instance.pk))] = None

    def queue(self) -> None:
        """Queue one task for what was saved so far."""
        if self.saved:
            refresh_bookkeeping.enqueue([list(key) for key in self.saved])
            self.saved = {}


@contextmanager
def bookkeeping_in_batches() -> Iterator[Bookkeeping]:
    """Within the block, saves queue no task of their own; call `queue()` on what it yields
    between rows to queue one for what was saved so far. The rest is queued when it ends."""
    bookkeeping = Bookkeeping()
    models = [model for model in get_indexed_models() if getattr(model, "search_auto_update", True)]
    for model in models:
        post_save.disconnect(post_save_signal_handler, sender=model)
    post_save.connect(bookkeeping.record, weak=False, dispatch_uid=id(bookkeeping))
    try:
        with disable_reference_index_auto_update():
            yield bookkeeping
    finally:
        post_save.disconnect(dispatch_uid=id(bookkeeping))
        for model in models:
            post_save.connect(post_save_signal_handler, sender=model)
        bookkeeping.queue()
