"""`catalogue_index rebuild|check|reconcile` run as cron and operators run them: as processes,
on the real cluster, exit statuses included."""

from __future__ import annotations

import pytest
from elasticsearch import Elasticsearch

from search import indexing
from search.connection import alias_name
from search.models import PendingIndexUpdate
from tests.factories import make_poc
from tests.processes import manage
from tests.search.faults import fault

committed = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def indexed_ids(es_client: Elasticsearch) -> set[int]:
    es_client.indices.refresh(index=alias_name())
    found = es_client.search(index=alias_name(), size=100, source=False)
    return {int(hit["_id"]) for hit in found["hits"]["hits"]}


def catalogue_index(action: str):
    return manage("catalogue_index", action)


@committed
def test_rebuild_indexes_published_pocs_behind_the_alias(with_elasticsearch, es_client):
    published = make_poc("Publié")
    make_poc("Brouillon", publish=False)
    result = catalogue_index("rebuild")
    assert result.returncode == 0, result.stderr
    assert "Indexed 1 POCs" in result.stdout
    assert indexed_ids(es_client) == {published.pk}
    aliases = es_client.indices.get_alias(name=alias_name()).body
    assert len(aliases) == 1
    assert next(iter(aliases)).startswith(f"{alias_name()}-v")


@committed
def test_a_second_rebuild_moves_the_alias_and_leaves_no_old_index(with_elasticsearch, es_client):
    make_poc("Premier")
    assert catalogue_index("rebuild").returncode == 0
    first = indexing.current_index()
    make_poc("Second")
    result = catalogue_index("rebuild")
    assert result.returncode == 0, result.stderr
    second = indexing.current_index()
    assert first != second
    assert indexing.versioned_indices() == [second]
    assert "1 old index(es) deleted" in result.stdout
    assert len(indexed_ids(es_client)) == 2


@committed
def test_check_reports_drift_made_during_an_outage_and_reconcile_repairs_it(
    faulty_cluster, es_client
):
    kept = make_poc("Gardé")
    renamed = make_poc("Ancien titre")
    removed = make_poc("Retiré")
    assert catalogue_index("rebuild").returncode == 0
    clean = catalogue_index("check")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "matches" in clean.stdout

    with fault("refused"):
        added = make_poc("Ajouté pendant la panne")
        renamed.title = "Nouveau titre"
        renamed.save_revision().publish()
        removed.unpublish()
    assert PendingIndexUpdate.objects.count() == 3

    drift = catalogue_index("check")
    assert drift.returncode == 1
    assert "1 missing, 1 stale, 1 orphaned" in drift.stdout + drift.stderr
    repaired = catalogue_index("reconcile")
    assert repaired.returncode == 0, repaired.stderr
    assert "2 indexed, 1 removed" in repaired.stdout
    assert catalogue_index("check").returncode == 0
    assert indexed_ids(es_client) == {kept.pk, renamed.pk, added.pk}
    assert not PendingIndexUpdate.objects.exists()


@committed
def test_documents_a_write_blocked_index_refuses_are_kept_and_reconciled(
    with_elasticsearch, es_client
):
    make_poc("Avant le blocage")
    assert catalogue_index("rebuild").returncode == 0
    index = indexing.current_index()
    es_client.indices.put_settings(index=index, settings={"index.blocks.write": True})
    try:
        poc = make_poc("Refusé par l'index")
        assert PendingIndexUpdate.objects.filter(page_id=poc.pk).exists()
        still_blocked = catalogue_index("reconcile")
        assert still_blocked.returncode == 1
        assert "refused 1 POC(s)" in still_blocked.stderr
    finally:
        es_client.indices.put_settings(index=index, settings={"index.blocks.write": False})
    repaired = catalogue_index("reconcile")
    assert repaired.returncode == 0, repaired.stderr
    assert poc.pk in indexed_ids(es_client)
    assert not PendingIndexUpdate.objects.exists()


@pytest.mark.django_db
def test_a_refused_document_aborts_the_rebuild_and_keeps_the_old_index(
    with_elasticsearch, monkeypatch
):
    make_poc("Premier")
    indexing.rebuild_index()
    before = indexing.current_index()
    original = indexing.document_source

    def broken_source(page, *args):
        source = original(page, *args)
        source["year"] = "not a year"  # the mapping refuses it
        return source

    monkeypatch.setattr(indexing, "document_source", broken_source)
    with pytest.raises(indexing.IndexingFailed):
        indexing.rebuild_index()
    assert indexing.current_index() == before
    assert indexing.versioned_indices() == [before]


@pytest.mark.django_db
def test_a_rebuild_settles_earlier_retries_but_keeps_those_queued_while_it_ran(
    with_elasticsearch,
):
    poc = make_poc("Indexé")
    late = make_poc("Modifié pendant la reconstruction")
    PendingIndexUpdate.objects.create(page_id=poc.pk)

    def while_running(done: int, total: int) -> None:
        PendingIndexUpdate.objects.get_or_create(page_id=late.pk)

    summary = indexing.rebuild_index(progress=while_running)
    assert summary.pending_cleared == 1
    assert list(PendingIndexUpdate.objects.values_list("page_id", flat=True)) == [late.pk]


@committed
def test_without_elasticsearch_rebuild_refreshes_the_database_text_only(without_elasticsearch):
    make_poc("Sans cluster")
    rebuilt = catalogue_index("rebuild")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "Database search text refreshed for 1 published POCs" in rebuilt.stdout
    checked = catalogue_index("check")
    assert checked.returncode == 1
    assert "ELASTICSEARCH_URL is not set" in checked.stderr


@committed
def test_a_rebuild_does_not_fail_on_a_cluster_slower_than_a_visitors_timeout(
    with_elasticsearch, es_client
):
    """A busy cluster makes bulk chunks slower than the 2 s a visitor waits; a rebuild waits."""
    published = [make_poc(f"Projet {number}") for number in range(3)]
    result = manage("catalogue_index", "rebuild", ELASTICSEARCH_TIMEOUT="0.001")
    assert result.returncode == 0, result.stderr
    assert indexed_ids(es_client) == {poc.pk for poc in published}
    assert manage("catalogue_index", "check", ELASTICSEARCH_TIMEOUT="0.001").returncode == 0


@committed
def test_an_index_built_by_an_older_version_asks_for_a_rebuild(with_elasticsearch, es_client):
    """After an upgrade that adds fields (the English text), only a rebuild analyses them:
    check and reconcile say so instead of passing or re-sending into the old mapping."""
    poc = make_poc("Vélos cargo partagés")
    assert catalogue_index("rebuild").returncode == 0
    old_name = f"{alias_name()}-v19990101000000000000"
    body = indexing.index_definition(old_name).to_dict()
    for field in ("title_en", "summary_en", "body_en", "all_text_en", "all_words_en"):
        del body["mappings"]["properties"][field]
    es_client.indices.create(index=old_name, **body)
    current = indexing.current_index()
    es_client.indices.update_aliases(
        actions=[
            {"remove": {"index": current, "alias": alias_name()}},
            {"add": {"index": old_name, "alias": alias_name()}},
        ]
    )

    for action in ("check", "reconcile"):
        refused = catalogue_index(action)
        assert refused.returncode == 1, action
        assert "built by an older version" in refused.stderr, action
        assert "title_en" in refused.stderr and "catalogue_index rebuild" in refused.stderr
    assert catalogue_index("rebuild").returncode == 0
    assert catalogue_index("check").returncode == 0
    assert indexed_ids(es_client) == {poc.pk}
