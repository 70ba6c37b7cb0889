"""How the catalogue index is doing: the figures `catalogue_index check` and the dashboard show.

The dashboard asks Elasticsearch with a one-second timeout and respects the breaker of
`search.connection`: while the cluster is known to be away it is not asked again, so a
cluster that is down never slows the admin home by more than about a second.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _gettext
from elasticsearch import Elasticsearch, NotFoundError

from poc_catalogue.models import POCPage

from .catalogue import ELASTICSEARCH_FAILURES, cluster_failed
from .connection import (
    alias_name,
    cooling_down,
    elasticsearch_configured,
    get_client,
    indexing_client,
    mark_available,
    mark_unavailable,
)
from .indexing import outdated_fields
from .models import IndexOperation, PendingIndexUpdate

# Seconds the dashboard waits for Elasticsearch.
DASHBOARD_TIMEOUT = 1.0


@dataclass(frozen=True)
class IndexFigures:
    published: int
    # Documents behind the alias; None when there is no index yet.
    indexed: int | None
    pending: int
    # Fields the live index lacks or maps otherwise: only a rebuild helps.
    outdated: list[str] = field(default_factory=list)

    @property
    def gap(self) -> int | None:
        """Published POCs the index lacks (negative: documents it should not have)."""
        return None if self.indexed is None else self.published - self.indexed

    @property
    def in_step(self) -> bool:
        return self.gap == 0 and not self.pending and not self.outdated


def index_figures(client: Elasticsearch | None = None) -> IndexFigures:
    """Published POCs against the documents in the index. Raises when the cluster fails."""
    client = client or indexing_client()
    try:
        indexed: int | None = client.count(index=alias_name())["count"]
    except NotFoundError:
        indexed = None
    return IndexFigures(
        published=POCPage.objects.published().count(),
        indexed=indexed,
        pending=PendingIndexUpdate.objects.count(),
        outdated=outdated_fields(client) if indexed is not None else [],
    )


@dataclass(frozen=True)
class IndexHealth:
    configured: bool
    reachable: bool = False
    figures: IndexFigures | None = None
    # Why Elasticsearch could not be read, for staff: the error's class.
    problem: str = ""
    last_rebuild: IndexOperation | None = None
    last_reconcile: IndexOperation | None = None


def _latest(kind: str) -> IndexOperation | None:
    return IndexOperation.objects.filter(kind=kind).select_related("requested_by").first()


def index_health() -> IndexHealth:
    """Everything the dashboard's index panel shows, asked within `DASHBOARD_TIMEOUT`."""
    if not elasticsearch_configured():
        return IndexHealth(configured=False)
    operations = {
        "last_rebuild": _latest(IndexOperation.Kind.REBUILD),
        "last_reconcile": _latest(IndexOperation.Kind.RECONCILE),
    }
    if cooling_down():
        problem = _gettext("did not answer a moment ago")
        return IndexHealth(configured=True, problem=problem, **operations)
    client = get_client().options(request_timeout=DASHBOARD_TIMEOUT)
    try:
        figures = index_figures(client)
    except ELASTICSEARCH_FAILURES as error:
        if cluster_failed(error):
            mark_unavailable()
        return IndexHealth(configured=True, problem=error.__class__.__name__, **operations)
    mark_available()
    return IndexHealth(configured=True, reachable=True, figures=figures, **operations)
