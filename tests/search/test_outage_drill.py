"""The outage drill: Elasticsearch goes away while staff publish, then comes back.

A cluster of the test's own (scripts/elasticsearch.sh in a private state directory) is stopped
and started again with its data, as an outage would leave it. Publishing never fails, the
catalogue keeps answering from the database, and once the cluster is back one reconcile, run
as cron runs it, leaves the index matching the published POCs.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from poc_catalogue.models import POCPage
from search import connection
from search.models import PendingIndexUpdate
from tests.admin_forms import add_poc_url, poc_form_data
from tests.factories import make_poc
from tests.processes import ROOT, manage, run_worker

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Thirty publications through the admin: more would add minutes, not coverage (the worker
# and the reconcile take the outage's POCs as one batch either way).
PUBLISHED_DURING_THE_OUTAGE = 30


@dataclass
class Cluster:
    state_dir: Path
    url: str = ""

    def script(self, *args: str) -> str:
        result = subprocess.run(
            [str(ROOT / "scripts" / "elasticsearch.sh"), *args],
            env={**os.environ, "SHOWCASE_STATE_DIR": str(self.state_dir)},
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def start(self) -> None:
        self.url = self.script("start").strip().removeprefix("ELASTICSEARCH_URL=")

    def stop(self) -> None:
        self.script("stop", "--keep-data")


@pytest.fixture
def own_cluster(elasticsearch_url, tmp_path, settings) -> Iterator[Cluster]:
    cluster = Cluster(tmp_path / "elasticsearch")
    cluster.start()
    settings.ELASTICSEARCH_URL = cluster.url
    try:
        yield cluster
    finally:
        settings.ELASTICSEARCH_URL = elasticsearch_url  # the run's cluster cleans up after the test
        cluster.script("stop")


def api_search(client) -> dict:
    return client.get("/api/catalogue/search/").json()


def test_publishing_through_an_outage_then_one_reconcile(client, own_cluster, durable_queue):
    make_poc("Publié avant la panne")
    assert manage("catalogue_index", "rebuild").returncode == 0

    own_cluster.stop()
    client.force_login(get_user_model().objects.create_superuser("staff", "s@example.org", "x"))
    for number in range(PUBLISHED_DURING_THE_OUTAGE):
        response = client.post(
            add_poc_url(),
            poc_form_data(title=f"Publié pendant la panne n° {number}", slug=f"panne-{number}"),
        )
        assert response.status_code == 302, number
    assert POCPage.objects.live().count() == PUBLISHED_DURING_THE_OUTAGE + 1
    during = api_search(client)
    assert (during["backend"], during["total"]) == ("database", PUBLISHED_DURING_THE_OUTAGE + 1)

    worker = run_worker()
    assert worker.returncode == 0, worker.stderr
    outage_pocs = set(
        POCPage.objects.filter(slug__startswith="panne-").values_list("pk", flat=True)
    )
    assert outage_pocs <= set(PendingIndexUpdate.objects.values_list("page_id", flat=True))

    own_cluster.start()
    reconciled = manage("catalogue_index", "reconcile")
    assert reconciled.returncode == 0, reconciled.stderr
    assert f"{PUBLISHED_DURING_THE_OUTAGE} missing" in reconciled.stdout
    checked = manage("catalogue_index", "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    connection.mark_available()
    after = api_search(client)
    assert (after["backend"], after["total"]) == ("elasticsearch", PUBLISHED_DURING_THE_OUTAGE + 1)
