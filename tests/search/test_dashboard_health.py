"""The index health panel on the admin home, as staff read it, on the real cluster: in step,
drifted, repaired by "Réconcilier maintenant", unreachable, or absent (the embedded default)."""

from __future__ import annotations

import html
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from elasticsearch import Elasticsearch

from search import indexing
from search.connection import alias_name
from search.maintenance import reconcile_from_dashboard
from search.models import IndexOperation
from tests.factories import make_poc
from tests.processes import manage
from tests.search.faults import fault

pytestmark = pytest.mark.django_db

RECONCILE_URL = "/admin/search-index/reconcile/"
BUTTON = "Réconcilier maintenant"


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("redaction", password="secret-password")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def panel_text(client) -> str:
    """The index health panel's text, spaces collapsed, as a reader sees it."""
    response = client.get("/admin/")
    assert response.status_code == 200
    page = response.content.decode()
    start = page.index('id="index-health-section"')
    section = page[start : page.index("</section>", start)]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", section)).split())


def published_pocs(django_capture_on_commit_callbacks, *titles: str) -> list:
    """Published as an editor publishes: the index update runs after the commit."""
    with django_capture_on_commit_callbacks(execute=True):
        pocs = [make_poc(title) for title in titles]
    return pocs


def test_without_elasticsearch_the_panel_says_the_database_answers(
    without_elasticsearch, admin_client
):
    make_poc("Vélos partagés")
    text = panel_text(admin_client)
    assert "Elasticsearch n’est pas configuré" in text
    assert "la base de données répond aux recherches du catalogue" in text
    assert "pas d’index à surveiller" in text
    assert BUTTON not in text


def test_the_panel_shows_drift_and_reconcile_now_repairs_it(
    with_elasticsearch,
    es_client: Elasticsearch,
    admin_client,
    admin_user,
    django_capture_on_commit_callbacks,
):
    _kept, lost = published_pocs(django_capture_on_commit_callbacks, "Vélos partagés", "Bancs")
    make_poc("Brouillon", publish=False)
    es_client.indices.refresh(index=alias_name())

    in_step = panel_text(admin_client)
    assert "Elasticsearch joignable" in in_step
    assert "POC publiés 2" in in_step
    assert "Documents dans l’index 2 Conforme aux POC publiés" in in_step
    assert "Mapping à jour" in in_step
    assert "Mises à jour en attente d’un nouvel essai 0" in in_step
    assert "Dernière réconciliation jamais enregistrée" in in_step
    assert BUTTON in in_step

    es_client.delete(index=alias_name(), id=str(lost.pk), refresh=True)
    drifted = panel_text(admin_client)
    assert "Documents dans l’index 1 Écart : 1" in drifted
    assert "L’index et les POC publiés diffèrent" in drifted

    response = admin_client.post(RECONCILE_URL, follow=True)
    assert response.status_code == 200
    assert "Réconciliation lancée" in response.content.decode()
    repaired = panel_text(admin_client)
    assert "Dernière réconciliation terminé : 1 document corrigé" in repaired
    assert "Documents dans l’index 2 Conforme aux POC publiés" in repaired
    operation = IndexOperation.objects.get(kind=IndexOperation.Kind.RECONCILE)
    assert operation.requested_by == admin_user
    assert operation.outcome == IndexOperation.Outcome.SUCCEEDED


def test_the_button_posts_with_its_csrf_token(with_elasticsearch, admin_user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(admin_user)
    page = browser.get("/admin/").content.decode()
    form = re.search(rf'<form method="post" action="{RECONCILE_URL}".*?</form>', page, re.S)
    assert form, "no reconcile form"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(0))
    assert token, "the form carries no CSRF token"
    assert browser.post(RECONCILE_URL).status_code == 403
    response = browser.post(RECONCILE_URL, {"csrfmiddlewaretoken": token.group(1)})
    assert response.status_code == 302
    assert IndexOperation.objects.get().outcome == IndexOperation.Outcome.SUCCEEDED


def test_a_queued_reconcile_shows_in_progress_then_its_result(
    with_elasticsearch, es_client, admin_client, durable_queue
):
    poc = make_poc("Vélos partagés")
    indexing.rebuild_index()  # the queue holds the publication's update for the worker
    es_client.delete(index=alias_name(), id=str(poc.pk), refresh=True)

    admin_client.post(RECONCILE_URL)
    waiting = panel_text(admin_client)
    assert "Dernière réconciliation en cours" in waiting
    assert re.search(r"<button[^>]*disabled", admin_client.get("/admin/").content.decode())

    # What the task worker does with the queued task.
    operation = IndexOperation.objects.get()
    reconcile_from_dashboard.call(operation_id=operation.pk)
    done = panel_text(admin_client)
    assert "Dernière réconciliation terminé : 1 document corrigé" in done


def test_a_failed_reconcile_shows_its_error(faulty_cluster, admin_client, durable_queue):
    make_poc("Vélos partagés")
    indexing.rebuild_index()
    admin_client.post(RECONCILE_URL)
    operation = IndexOperation.objects.get()
    with fault("refused"):
        reconcile_from_dashboard.call(operation_id=operation.pk)
    text = panel_text(admin_client)
    assert "Dernière réconciliation échec" in text
    assert "ConnectionError" in text


@pytest.mark.parametrize("kind", ["refused", "timeout"])
def test_an_unreachable_cluster_is_said_and_the_page_still_loads(
    faulty_cluster, admin_client, django_capture_on_commit_callbacks, kind
):
    published_pocs(django_capture_on_commit_callbacks, "Vélos partagés")
    with fault(kind):
        text = panel_text(admin_client)
        assert "Elasticsearch injoignable" in text
        assert "Elasticsearch est injoignable" in text
        asked = faulty_cluster.calls
        # The breaker remembers the outage: the next visit does not wait for the cluster.
        assert "Elasticsearch injoignable" in panel_text(admin_client)
        assert faulty_cluster.calls == asked


def test_editors_see_the_health_but_not_the_button_and_cannot_post(
    with_elasticsearch, client, editor
):
    client.force_login(editor)
    text = panel_text(client)
    assert "Elasticsearch joignable" in text
    assert BUTTON not in text
    assert client.post(RECONCILE_URL).status_code == 403
    assert not IndexOperation.objects.exists()


def test_the_permission_gives_the_button_to_a_non_superuser(with_elasticsearch, client, editor):
    editor.user_permissions.add(Permission.objects.get(codename="reconcile_index"))
    client.force_login(editor)
    assert BUTTON in panel_text(client)
    assert client.post(RECONCILE_URL).status_code == 302
    assert IndexOperation.objects.get().requested_by == editor


committed = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@committed
def test_rebuilds_and_reconciles_from_the_command_line_show_on_the_panel(
    with_elasticsearch, admin_client
):
    make_poc("Vélos partagés")
    make_poc("Bancs")
    assert manage("catalogue_index", "rebuild").returncode == 0
    assert manage("catalogue_index", "reconcile").returncode == 0
    text = panel_text(admin_client)
    assert "Dernière reconstruction terminé : 2 documents indexés" in text
    assert "Dernière réconciliation terminé : 0 document corrigé" in text
    assert text.count("ligne de commande") == 2
