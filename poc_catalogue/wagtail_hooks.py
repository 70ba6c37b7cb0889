"""Staff admin for the catalogue: themes, makers and communes as snippets, and a POC listing.

Listings and choosers search Wagtail's index, by name with or without accents
(`poc_catalogue.admin_search`).
"""

from django import forms
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django_filters import ChoiceFilter, ModelChoiceFilter, ModelMultipleChoiceFilter
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .dashboard import (
    DRAFT,
    IN_MODERATION,
    PUBLISHED,
    CataloguePanel,
    RecentChangesPanel,
    can_edit_pocs,
    catalogue_figures,
    filter_by_status,
    waiting_work,
)
from .models import Commune, Maker, MakerKind, POCPage, Stage, Theme, TrailPage
from .participation import ParticipationPanel, measures, participation
from .transfer.columns import HEADERS
from .transfer.exporter import export_catalogue
from .transfer.views import (
    ImportJobView,
    ImportStartView,
    ImportTemplateView,
    can_import,
    spreadsheet_response,
)
from .translation_report import TranslationReportView


class ThemeIndexView(SnippetViewSet.index_view_class):
    # Wagtail's French says "Ajouter un(e) thème".
    add_item_label = _("Add a theme")


class ThemeViewSet(SnippetViewSet):
    model = Theme
    index_view_class = ThemeIndexView
    icon = "tag"
    menu_label = _("Themes")
    menu_order = 100
    list_display = ["name", "name_en", "slug", "colour", "sort_order"]
    ordering = ["sort_order", "name"]


class MakerFilterSet(WagtailFilterSet):
    kind = ChoiceFilter(label=_("Kind"), choices=MakerKind.choices, empty_label=_("Any kind"))
    commune = ModelChoiceFilter(
        label=_("Commune"), queryset=Commune.objects.all(), empty_label=_("Any commune")
    )

    class Meta:
        model = Maker
        fields = ["kind", "commune", "is_public"]


class MakerIndexView(SnippetViewSet.index_view_class):
    add_item_label = _("Add a maker")


class MakerViewSet(SnippetViewSet):
    model = Maker
    index_view_class = MakerIndexView
    icon = "group"
    menu_label = _("Makers")
    menu_order = 200
    list_display = [
        "name",
        Column("kind", label=_("Kind"), accessor="get_kind_display", sort_key="kind"),
        Column("commune", label=_("Commune"), sort_key="commune__name"),
        "is_public",
    ]
    list_per_page = 50
    filterset_class = MakerFilterSet
    ordering = ["name"]

    def get_queryset(self, request):
        return Maker.objects.select_related("commune")


class ReadMostlyPermissionPolicy(ModelPermissionPolicy):
    """Staff may correct a record but neither add nor delete one: the list is official."""

    fixed_actions = frozenset({"add", "delete"})

    def user_has_permission(self, user, action):
        return action not in self.fixed_actions and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return super().user_has_any_permission(user, set(actions) - self.fixed_actions)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(set(actions) - self.fixed_actions)


register_permission_policy(Commune, ReadMostlyPermissionPolicy(Commune), exact_class=True)


class CommuneViewSet(SnippetViewSet):
    """The 95 communes come from the official list (data migration): staff look them up."""

    model = Commune
    icon = "site"
    menu_label = _("Communes")
    menu_order = 300
    list_display = [
        "name",
        "insee_code",
        Column("population", label=_("Population"), sort_key="population"),
    ]
    list_per_page = 100
    ordering = ["name"]


class CatalogueSnippetGroup(SnippetViewSetGroup):
    items = (ThemeViewSet, MakerViewSet, CommuneViewSet)
    menu_label = _("Catalogue data")
    menu_icon = "folder-open-inverse"
    menu_order = 300


register_snippet(CatalogueSnippetGroup)


class POCPageFilterSet(PageListingViewSet.filterset_class):
    themes = ModelMultipleChoiceFilter(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        distinct=True,
    )
    stage = ChoiceFilter(label=_("Stage"), choices=Stage.choices, empty_label=_("Any stage"))
    commune = ModelChoiceFilter(
        label=_("Commune"), queryset=Commune.objects.all(), empty_label=_("Any commune")
    )
    # What the dashboard counts (`poc_catalogue.dashboard`), so each of its figures links here.
    status = ChoiceFilter(
        label=_("Publication"),
        choices=[
            (PUBLISHED, _("Published")),
            (DRAFT, _("Draft")),
            (IN_MODERATION, _("In moderation")),
        ],
        empty_label=_("Any publication status"),
        method="filter_status",
    )

    class Meta:
        model = POCPage
        fields = ["themes", "stage", "commune", "year"]

    def filter_status(self, queryset, name: str, value: str):
        return filter_by_status(queryset, value)


class POCPageIndexView(PageListingViewSet.index_view_class):
    # Wagtail's "Download CSV/XLSX" buttons export the filtered listing, in the import's
    # columns (`transfer.columns`), so an exported selection imports back.
    list_export = list(HEADERS)
    export_filename = "pocs"

    def get_base_queryset(self):
        # The listing yields specific pages, which select_related would not reach.
        return super().get_base_queryset().prefetch_related("commune")

    def as_spreadsheet(self, queryset, spreadsheet_format):
        ids = [page.pk for page in queryset]
        content = export_catalogue(spreadsheet_format, POCPage.objects.filter(pk__in=ids))
        return spreadsheet_response(content, spreadsheet_format, self.get_filename())


class POCPageListingViewSet(PageListingViewSet):
    model = POCPage
    icon = "doc-full-inverse"
    menu_label = _("POCs")
    menu_order = 150
    add_to_admin_menu = True
    index_view_class = POCPageIndexView
    filterset_class = POCPageFilterSet
    columns = [
        *PageListingViewSet.columns,
        Column("commune", label=_("Commune"), sort_key="commune__name"),
        Column("stage", label=_("Stage"), accessor="get_stage_display", sort_key="stage"),
        Column("year", label=_("Year"), sort_key="year"),
    ]


poc_listing_viewset = POCPageListingViewSet("poc_pages")


@hooks.register("register_admin_viewset")
def register_poc_listing_viewset() -> POCPageListingViewSet:
    return poc_listing_viewset


class TrailPageIndexView(PageListingViewSet.index_view_class):
    # Wagtail's French says "Ajouter un(e) parcours".
    add_item_label = _("Add a trail")


class TrailPageListingViewSet(PageListingViewSet):
    """The discovery trails, wherever they are in the tree: staff find and add them here."""

    model = TrailPage
    icon = "list-ol"
    menu_label = _("Trails")
    menu_order = 160
    add_to_admin_menu = True
    index_view_class = TrailPageIndexView
    columns = [
        *PageListingViewSet.columns,
        Column("theme", label=_("Theme colour"), sort_key="theme__sort_order"),
    ]


trail_listing_viewset = TrailPageListingViewSet("trail_pages")


@hooks.register("register_admin_viewset")
def register_trail_listing_viewset() -> TrailPageListingViewSet:
    return trail_listing_viewset


@hooks.register("register_admin_urls")
def translation_report_urls():
    view = TranslationReportView
    return [
        path("reports/pocs-to-translate/", view.as_view(), name="poc_translation_report"),
        path(
            "reports/pocs-to-translate/results/",
            view.as_view(results_only=True),
            name="poc_translation_report_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def translation_report_menu_item():
    return MenuItem(
        _("POCs to translate"), reverse("poc_translation_report"), icon_name="site", order=9010
    )


@hooks.register("construct_homepage_panels")
def catalogue_dashboard(request, panels: list) -> None:
    """The catalogue's figures and newest changes, for whoever edits POCs."""
    if not can_edit_pocs(request.user):
        return
    figures = catalogue_figures()
    panels.append(CataloguePanel(figures, waiting_work(request)))
    panels.append(RecentChangesPanel(figures.recent_changes))
    if measures():
        panels.append(ParticipationPanel(participation()))


@hooks.register("register_admin_urls")
def import_urls():
    return [
        path("pocs/import/", ImportStartView.as_view(), name="poc_import"),
        path("pocs/import/<str:job_id>/", ImportJobView.as_view(), name="poc_import_job"),
        path(
            "pocs/import-template.<str:file_format>",
            ImportTemplateView.as_view(),
            name="poc_import_template",
        ),
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_import(request.user)


@hooks.register("register_admin_menu_item")
def import_menu_item():
    return ImportMenuItem(_("Import POCs"), reverse("poc_import"), icon_name="upload", order=151)
