"""The search app in the Wagtail admin: the index health panel on the dashboard."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.http import HttpRequest
from django.urls import path
from wagtail import hooks

from poc_catalogue.dashboard import can_edit_pocs

from .dashboard import IndexHealthPanel, can_reconcile, reconcile_now
from .health import index_health


@hooks.register("construct_homepage_panels")
def index_health_dashboard(request: HttpRequest, panels: list) -> None:
    if can_edit_pocs(request.user):
        panels.append(IndexHealthPanel(index_health(), can_reconcile(request.user)))


@hooks.register("register_admin_urls")
def index_health_urls():
    return [path("search-index/reconcile/", reconcile_now, name="search_index_reconcile")]


@hooks.register("register_permissions")
def reconcile_permission():
    """Offered in the group editor, so administrators can grant it without being superusers."""
    return Permission.objects.filter(content_type__app_label="search", codename="reconcile_index")
