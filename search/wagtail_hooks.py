"""The search app in the Wagtail admin: the index health panel on the dashboard, synonyms
beside Wagtail's "Promoted search results", and the report of what visitors search."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import DateColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from poc_catalogue.dashboard import can_edit_pocs

from .dashboard import IndexHealthPanel, can_reconcile, reconcile_now
from .health import index_health
from .models import SynonymSet
from .statistics_report import SearchStatisticsReportView


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


class SynonymSetIndexView(SnippetViewSet.index_view_class):
    add_item_label = _("Add synonyms")


class SynonymSetViewSet(SnippetViewSet):
    model = SynonymSet
    index_view_class = SynonymSetIndexView
    icon = "search"
    menu_label = _("Synonyms")
    menu_name = "synonyms"
    add_to_settings_menu = True
    menu_order = 901
    # Wagtail's own column and label ("Mis à jour"), from the field's value.
    list_display = ["words", DateColumn("updated_at", label=_("Updated"))]
    ordering = ["words"]


register_snippet(SynonymSetViewSet)


@hooks.register("register_admin_urls")
def search_statistics_report_urls():
    view = SearchStatisticsReportView
    return [
        path("reports/visitor-searches/", view.as_view(), name="search_statistics_report"),
        path(
            "reports/visitor-searches/results/",
            view.as_view(results_only=True),
            name="search_statistics_report_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def search_statistics_report_menu_item():
    return MenuItem(
        _("Visitor searches"),
        reverse("search_statistics_report"),
        icon_name="search",
        order=9020,
    )


@hooks.register("construct_reports_menu")
def hide_wagtail_search_terms(request, menu_items):
    """Wagtail's "Search terms" report counts hits the catalogue never records: ours does."""
    menu_items[:] = [item for item in menu_items if item.name != "search-terms"]
