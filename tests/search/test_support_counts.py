"""Support counts reach the index in batches: a click queues at most one batch, never a
reindex, and the worker's batch updates the `supports` field on the real cluster."""

from __future__ import annotations

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from search import indexing
from search.catalogue import search_catalogue
from search.connection import alias_name, get_client
from search.models import PendingSupportCount
from search.types import SearchRequest
from tests.factories import make_poc
from tests.processes import run_worker

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BATCH = "search.support_counts.index_support_counts"


def support(poc) -> None:
    answer = Client().post(
        f"/supports/{poc.pk}/", {"action": "support"}, HTTP_ACCEPT="application/json"
    )
    assert answer.status_code == 200


def indexed_supports(poc) -> int:
    return get_client().get(index=alias_name(), id=str(poc.pk))["_source"]["supports"]


def test_clicks_queue_one_batch_that_updates_the_index(with_elasticsearch, durable_queue, settings):
    settings.SUPPORT_INDEX_BATCH_SECONDS = 0
    banc, kiosque = make_poc("Banc à partager"), make_poc("Kiosque à livres")
    indexing.rebuild_index()
    DBTaskResult.objects.all().delete()

    for poc in (banc, banc, kiosque):
        support(poc)  # three browsers

    assert DBTaskResult.objects.filter(task_path=BATCH).count() == 1
    assert not DBTaskResult.objects.exclude(task_path=BATCH).exists(), "no reindex per click"
    assert set(PendingSupportCount.objects.values_list("page_id", flat=True)) == {
        banc.pk,
        kiosque.pk,
    }
    assert indexed_supports(banc) == 0

    worked = run_worker()
    assert worked.returncode == 0, worked.stderr
    indexing.refresh()
    assert (indexed_supports(banc), indexed_supports(kiosque)) == (2, 1)
    assert not PendingSupportCount.objects.exists()
    result = search_catalogue(SearchRequest(sort="supported"))
    assert result.backend == "elasticsearch"
    assert [(hit.card.title, hit.supports) for hit in result.hits] == [
        ("Banc à partager", 2),
        ("Kiosque à livres", 1),
    ]

    # A click after the batch queues the next one.
    support(kiosque)
    assert DBTaskResult.objects.filter(task_path=BATCH, status="READY").count() == 1


def test_a_click_before_the_index_exists_creates_no_index(
    with_elasticsearch, durable_queue, settings
):
    settings.SUPPORT_INDEX_BATCH_SECONDS = 0
    poc = make_poc("Placette ombragée")
    DBTaskResult.objects.all().delete()  # the publication's own index update
    support(poc)
    worked = run_worker()
    assert worked.returncode == 0, worked.stderr
    assert not get_client().indices.exists(index=alias_name())
    indexing.rebuild_index()
    assert indexed_supports(poc) == 1
