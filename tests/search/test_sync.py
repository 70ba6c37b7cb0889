"""Live sync: publishing events reach the real index after commit; drafts never do."""

from __future__ import annotations

import contextlib

import pytest
from elastic_transport import TransportError
from taggit.models import Tag

from poc_catalogue.models import POCPage
from search import indexing
from search.catalogue import search_catalogue
from search.connection import alias_name, get_client
from search.models import PendingIndexUpdate, POCSearchText
from search.sync import sync_pocs
from search.types import SearchRequest
from tests.factories import make_maker, make_poc, theme
from tests.search.faults import fault

pytestmark = pytest.mark.django_db


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Run what is queued for after commit, as a real request's commit would."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = action(*args, **kwargs)
        with contextlib.suppress(TransportError):  # a fault may be on
            if get_client().indices.exists_alias(name=alias_name()):
                indexing.refresh()
        return result

    return run


def found(q: str = "", **filters) -> list[str]:
    result = search_catalogue(SearchRequest(q=q, **filters))
    assert result.backend == "elasticsearch"
    return [hit.card.title for hit in result.hits]


def test_publishing_makes_a_poc_findable_and_unpublishing_removes_it(with_elasticsearch, publish):
    poc = publish(make_poc, "Ombrières solaires")
    assert found("ombrieres") == ["Ombrières solaires"]
    publish(poc.unpublish)
    assert found("ombrieres") == []


def test_a_draft_never_reaches_the_index(with_elasticsearch, publish):
    publish(make_poc, "Brouillon caché", publish=False)
    poc = publish(make_poc, "Titre publié")
    poc.title = "Titre en brouillon"
    publish(poc.save_revision)
    assert found("brouillon") == []
    assert found("publie") == ["Titre publié"]
    publish(poc.get_latest_revision().publish)
    assert found("brouillon") == ["Titre en brouillon"]


def test_deleting_a_poc_removes_it(with_elasticsearch, publish):
    poc = publish(make_poc, "Kiosque démontable")
    assert found("kiosque")
    publish(poc.delete)
    assert found("kiosque") == []


def test_a_new_slug_gives_a_new_url(with_elasticsearch, publish):
    poc = publish(make_poc, "Parcours sonore")
    poc.slug = "balade-sonore"
    publish(poc.save_revision().publish)
    hit = search_catalogue(SearchRequest(q="sonore")).hits[0]
    assert hit.card.url == "/catalogue/balade-sonore/"


def test_renaming_a_maker_theme_or_tag_updates_the_pocs_that_show_it(with_elasticsearch, publish):
    maker = make_maker("Studio Ancien")
    publish(make_poc, "Banc connecté", makers=[maker], themes=[theme("habiter")], tags=["bois"])

    maker.name = "Studio Nouveau"
    publish(maker.save)
    assert found("nouveau") == ["Banc connecté"]
    assert (
        search_catalogue(SearchRequest(q="banc")).hits[0].card.makers[0].label == "Studio Nouveau"
    )

    habiter = theme("habiter")
    habiter.name = "Habiter la ville"
    publish(habiter.save)
    assert found("habiter ville") == ["Banc connecté"]

    tag = Tag.objects.get(name="bois")
    tag.name = "chêne"
    publish(tag.save)
    assert found("chene") == ["Banc connecté"]


def test_renames_reach_the_database_backend_too(without_elasticsearch, settings):
    maker = make_maker("Atelier Avant")
    make_poc("Lampadaire", makers=[maker])
    maker.name = "Atelier Après"
    maker.save()
    result = search_catalogue(SearchRequest(q="apres"))
    assert result.backend == "database"
    assert [hit.card.title for hit in result.hits] == ["Lampadaire"]


@pytest.mark.parametrize("kind", ["timeout", "refused"])
def test_publishing_succeeds_when_elasticsearch_fails_and_the_update_is_retried(
    faulty_cluster, publish, kind
):
    publish(make_poc, "Déjà là")
    with fault(kind):
        poc = publish(make_poc, "Publié pendant la panne")
    assert poc.live
    assert PendingIndexUpdate.objects.filter(page_id=poc.pk).exists()

    # Once the cluster answers again, the next sync takes the remembered POC along.
    from search import connection

    connection.mark_available()
    publish(make_poc, "Publié après la panne")
    assert not PendingIndexUpdate.objects.exists()
    assert set(found()) == {"Déjà là", "Publié pendant la panne", "Publié après la panne"}


def test_after_a_failure_syncs_skip_the_cluster_for_a_while(
    faulty_cluster, django_capture_on_commit_callbacks
):
    with fault("refused"):
        with django_capture_on_commit_callbacks(execute=True):
            make_poc("Premier pendant la panne")
        calls = faulty_cluster.calls
        with django_capture_on_commit_callbacks(execute=True):
            make_poc("Second pendant la panne")
    # The second publication did not wait for the cluster at all.
    assert faulty_cluster.calls == calls
    assert PendingIndexUpdate.objects.count() == 2


def test_the_sync_task_reports_what_it_did(with_elasticsearch):
    poc = make_poc("Tâche")
    result = sync_pocs.call(page_ids=[poc.pk])
    assert result == {"indexed": 1, "removed": 0, "pending": 0}


def test_pocs_loaded_in_bulk_without_signals_are_still_found_by_the_database(
    without_elasticsearch,
):
    make_poc("Chargé en masse")
    POCSearchText.objects.all().delete()  # as a bulk loader that bypasses publishing leaves it
    result = search_catalogue(SearchRequest(q="masse"))
    assert [hit.card.title for hit in result.hits] == ["Chargé en masse"]


def test_moving_a_poc_updates_its_url(with_elasticsearch, publish):
    from poc_catalogue.models import CatalogueIndexPage, HomePage

    poc = publish(make_poc, "Pavillon mobile")
    archive = HomePage.objects.get().add_child(
        instance=CatalogueIndexPage(title="Archives", slug="archives")
    )
    publish(poc.move, archive, pos="last-child")
    assert search_catalogue(SearchRequest(q="pavillon")).hits[0].card.url == (
        "/archives/pavillon-mobile/"
    )


def test_the_demo_loader_bulk_publishes_into_both_backends(with_elasticsearch, publish, settings):
    from poc_catalogue.demo import load_demo_catalogue

    publish(load_demo_catalogue, count=3, seed=7)
    titles = set(POCPage.objects.published().values_list("title", flat=True))
    assert len(titles) == 3  # the French pages: the English translations are their text
    assert set(found()) == titles
    assert POCSearchText.objects.count() == 3
    english = POCPage.objects.filter(locale__language_code="en", live=True)
    assert english.exists()
    assert set(
        POCSearchText.objects.exclude(title_terms_en=" ").values_list("page", flat=True)
    ) == {
        POCPage.objects.get(translation_key=poc.translation_key, locale__language_code="fr").pk
        for poc in english
    }


def test_an_import_publishes_into_both_backends_in_one_index_update(with_elasticsearch, publish):
    from django_tasks.signals import task_enqueued

    from poc_catalogue.transfer.archive import ImageArchive
    from poc_catalogue.transfer.importer import import_catalogue
    from tests.poc_catalogue.transfer_files import csv_file, photos_for, poc_row

    updates = []

    def on_enqueued(sender, task_result, **kwargs):
        if task_result.task.func is sync_pocs.func:
            updates.append(task_result.args or task_result.kwargs)

    rows = [poc_row(f"IMP-{n}", title=f"Kiosque importé {n}") for n in range(3)]
    task_enqueued.connect(on_enqueued)
    try:
        report = publish(
            import_catalogue, csv_file(rows), images=ImageArchive(photos_for(rows)), publish=True
        )
    finally:
        task_enqueued.disconnect(on_enqueued)

    assert [row.action for row in report.rows] == ["create"] * 3
    assert sorted(found("kiosque")) == [f"Kiosque importé {n}" for n in range(3)]
    assert POCSearchText.objects.filter(title__contains="kiosque").count() == 3
    assert len(updates) == 1  # one index update for the whole import, not one per POC
