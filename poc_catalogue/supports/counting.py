"""Adding and withdrawing supports, and reading the counts: one `F()` update per table, so
concurrent clicks never lose one, and one signal for the search index to follow in batches."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from .models import DailySupport, SupportCount
from .signals import support_count_changed


def _bump(model, field: str, change: int, **where) -> None:
    """Add `change` to `field` of the row `where`, creating it at zero if missing."""
    updated = model.objects.filter(**where).update(**{field: Greatest(F(field) + change, 0)})
    if not updated:
        model.objects.get_or_create(**where)
        model.objects.filter(**where).update(**{field: Greatest(F(field) + change, 0)})


def record(page_id: int, *, given: bool) -> int:
    """Count a support given (or withdrawn) for this POC; the POC's new count."""
    with transaction.atomic():
        _bump(SupportCount, "supports", 1 if given else -1, page_id=page_id)
        _bump(
            DailySupport,
            "given" if given else "withdrawn",
            1,
            page_id=page_id,
            day=timezone.localdate(),
        )
        count = SupportCount.objects.values_list("supports", flat=True).get(page_id=page_id)
        # In the transaction: whatever the index queues for it is committed with the count.
        support_count_changed.send(SupportCount, page_id=page_id)
    return count


def counts_of(page_ids: Iterable[int]) -> dict[int, int]:
    """The support count of each of these POCs (zero for those nobody supported)."""
    ids = set(page_ids)
    found = dict(SupportCount.objects.filter(page_id__in=ids).values_list("page_id", "supports"))
    return {page_id: found.get(page_id, 0) for page_id in ids}
