"""The index health panel on the admin home, and its "reconcile now" for administrators.

Staff see whether visitors' searches run on an index that matches the published POCs; an
administrator (a superuser, or a user with `search.reconcile_index`) queues the repair on the
task worker and reads its result on the same panel.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _gettext
from django.views.decorators.http import require_POST
from wagtail.admin.ui.components import Component

from .connection import elasticsearch_configured
from .health import IndexHealth
from .maintenance import reconcile_from_dashboard
from .models import IndexOperation

PANEL_ID = "index-health"


def can_reconcile(user) -> bool:
    return user.is_active and (user.is_superuser or user.has_perm("search.reconcile_index"))


class IndexHealthPanel(Component):
    name = "index_health"
    template_name = "search/admin/index_health_panel.html"
    order = 240

    class Media:
        css = {"all": ["css/admin-dashboard.css"]}

    def __init__(self, health: IndexHealth, show_reconcile: bool) -> None:
        self.health = health
        self.show_reconcile = show_reconcile

    def get_context_data(self, parent_context: dict[str, Any]) -> dict[str, Any]:
        last = self.health.last_reconcile
        return {
            "health": self.health,
            "figures": self.health.figures,
            "panel_id": PANEL_ID,
            "show_reconcile": self.show_reconcile and self.health.configured,
            "reconcile_running": last is not None
            and last.outcome == IndexOperation.Outcome.RUNNING,
            # A component renders with its own context: the form needs the page's token.
            "csrf_token": parent_context.get("csrf_token"),
        }


@require_POST
def reconcile_now(request: HttpRequest) -> HttpResponse:
    """Queue a reconcile; the panel shows it "in progress", then its result."""
    if not can_reconcile(request.user):
        # Not PermissionDenied: Wagtail's admin turns it into a redirect to the dashboard.
        return HttpResponseForbidden()
    if not elasticsearch_configured():
        messages.error(request, _gettext("There is no Elasticsearch index to reconcile."))
    else:
        operation = IndexOperation.objects.create(
            kind=IndexOperation.Kind.RECONCILE, requested_by=request.user
        )
        reconcile_from_dashboard.enqueue(operation_id=operation.pk)
        messages.success(
            request,
            _gettext("Reconciliation queued: this panel shows its result when it is done."),
        )
    # Wagtail's `{% panel %}` names its section "<id>-section".
    return redirect(f"{reverse('wagtailadmin_home')}#{PANEL_ID}-section")
