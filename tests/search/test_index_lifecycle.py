"""`catalogue_index rebuild|check|reconcile` on the real cluster."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from elasticsearch import Elasticsearch

from search import indexing
from search.connection import alias_name
from search.models import PendingIndexUpdate
from tests.factories import make_poc

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("catalogue_index", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def indexed_ids(es_client: Elasticsearch) -> set[int]:
    es_client.indices.refresh(index=alias_name())
    found = es_client.search(index=alias_name(), size=100, source=False)
    return {int(hit["_id"]) for hit in found["hits"]["hits"]}


def test_rebuild_indexes_published_pocs_behind_the_alias(with_elasticsearch, es_client):
    published = make_poc("Publié")
    make_poc("Brouillon", publish=False)
    output = run("rebuild")
    assert "Indexed 1 POCs" in output
    assert indexed_ids(es_client) == {published.pk}
    aliases = es_client.indices.get_alias(name=alias_name()).body
    assert len(aliases) == 1
    assert next(iter(aliases)).startswith(f"{alias_name()}-v")


def test_a_second_rebuild_moves_the_alias_and_leaves_no_old_index(with_elasticsearch, es_client):
    make_poc("Premier")
    run("rebuild")
    first = indexing.current_index()
    make_poc("Second")
    output = run("rebuild")
    second = indexing.current_index()
    assert first != second
    assert indexing.versioned_indices() == [second]
    assert "1 old index(es) deleted" in output
    assert len(indexed_ids(es_client)) == 2


def test_a_refused_document_aborts_the_rebuild_and_keeps_the_old_index(
    with_elasticsearch, es_client, monkeypatch
):
    make_poc("Premier")
    run("rebuild")
    before = indexing.current_index()
    original = indexing.document_source

    def broken_source(page, *args):
        source = original(page, *args)
        source["year"] = "not a year"  # the mapping refuses it
        return source

    monkeypatch.setattr(indexing, "document_source", broken_source)
    with pytest.raises(CommandError, match="alias was not moved"):
        run("rebuild")
    assert indexing.current_index() == before
    assert indexing.versioned_indices() == [before]


def test_check_reports_missing_stale_and_orphaned_then_reconcile_repairs(
    with_elasticsearch, es_client
):
    kept = make_poc("Gardé")
    renamed = make_poc("Ancien titre")
    removed = make_poc("Retiré")
    run("rebuild")
    assert "matches" in run("check")

    added = make_poc("Ajouté sans synchronisation")
    renamed.title = "Nouveau titre"
    renamed.save_revision().publish()
    removed.unpublish()

    with pytest.raises(CommandError, match="1 missing, 1 stale, 1 orphaned"):
        run("check")
    output = run("reconcile")
    assert "2 indexed, 1 removed" in output
    assert "matches" in run("check")
    assert indexed_ids(es_client) == {kept.pk, renamed.pk, added.pk}


def test_reconcile_retries_updates_that_failed(with_elasticsearch, es_client):
    poc = make_poc("En attente")
    run("rebuild")
    PendingIndexUpdate.objects.create(page_id=poc.pk)
    run("reconcile")
    assert not PendingIndexUpdate.objects.exists()


def test_without_elasticsearch_rebuild_refreshes_the_database_text_only(without_elasticsearch):
    make_poc("Sans cluster")
    output = run("rebuild")
    assert "Database search text refreshed for 1 published POCs" in output
    with pytest.raises(CommandError, match="ELASTICSEARCH_URL"):
        run("check")
