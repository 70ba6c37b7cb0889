"""Index updates wait on the durable queue for the worker, and survive until it runs."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django_tasks_db.models import DBTaskResult

from search.catalogue import search_catalogue
from search.types import SearchRequest
from tests.admin_forms import add_poc_url, poc_form_data
from tests.processes import run_worker

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def titles_found(q: str) -> list[str]:
    result = search_catalogue(SearchRequest(q=q))
    assert result.backend == "elasticsearch"
    return [hit.card.title for hit in result.hits]


def test_a_poc_published_in_the_admin_is_indexed_by_the_worker(
    client, with_elasticsearch, durable_queue
):
    from search import indexing

    indexing.rebuild_index()
    client.force_login(get_user_model().objects.create_superuser("staff", "s@example.org", "x"))
    response = client.post(add_poc_url(), poc_form_data())
    assert response.status_code == 302
    assert DBTaskResult.objects.filter(task_path="search.sync.sync_pocs").count() == 1
    assert titles_found("bancs reemploi") == []

    worked = run_worker()
    assert worked.returncode == 0, worked.stderr
    indexing.refresh()
    assert titles_found("bancs reemploi") == ["Des bancs de réemploi pour la Grand-Place"]
