"""Signals other apps can listen to, and publishing in one batch."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.dispatch import Signal

# Sent after POC pages were published in bulk: created live by the demo loader (which bypasses
# Wagtail's `page_published`), or published one by one inside `publishing_in_batch()`.
# Receivers get `page_ids`, a list of POCPage ids, e.g. to index them in one go.
pocs_bulk_published = Signal()

_batch: ContextVar[list[int] | None] = ContextVar("poc_publishing_batch", default=None)


@contextmanager
def publishing_in_batch() -> Iterator[list[int]]:
    """Publish many POCs, each through Wagtail's usual `revision.publish()`, and let what
    follows every publication (the search's stored text, the index update) happen once for
    all of them when the block ends, as `pocs_bulk_published`, even if the block fails: what
    was published stays published. Receivers of `page_published` ask `deferred_to_batch()`.
    """
    if _batch.get() is not None:  # already in a batch: the outer one announces
        yield _batch.get()
        return
    published: list[int] = []
    token = _batch.set(published)
    try:
        yield published
    finally:
        _batch.reset(token)
        page_ids = sorted(set(published))
        if page_ids:
            pocs_bulk_published.send(sender=None, page_ids=page_ids)


def deferred_to_batch(page_id: int) -> bool:
    """Whether a batch is open (see `publishing_in_batch`): then `page_id` is announced with it
    at its end, and a `page_published` receiver can leave its per-page work to that."""
    published = _batch.get()
    if published is None:
        return False
    published.append(page_id)
    return True
