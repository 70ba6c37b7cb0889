"""The admin report of what is left to translate: every French POC and its English version.

wagtail-localize's own "Translations" report lists the translations started in its editor;
staff also need the POCs nobody has started, and those whose French text changed after the
translation was published. Listed as rows, filterable, and exportable (CSV, XLSX) to hand a
batch to a translation agency, with a link to start or open each translation.
"""

from __future__ import annotations

from django.db.models import Case, CharField, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_filters import ChoiceFilter
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies.pages import PagePermissionPolicy

from .models import POCPage
from .translations import source_language

STATUSES = [
    ("missing", _("Not translated")),
    ("draft", _("Translation in draft")),
    ("outdated", _("French changed since")),
    ("current", _("Up to date")),
]
STATUS_LABELS = dict(STATUSES)


def with_english_status(pocs: QuerySet[POCPage], language: str = "en") -> QuerySet[POCPage]:
    """French POCs annotated with their translation into `language` and its status."""
    translation = POCPage.objects.filter(
        translation_key=OuterRef("translation_key"), locale__language_code=language
    )
    return pocs.annotate(
        translation_id=Subquery(translation.values("pk")[:1]),
        translation_live=Subquery(translation.values("live")[:1]),
        translation_published_at=Subquery(translation.values("last_published_at")[:1]),
    ).annotate(
        translation_status=Case(
            When(translation_id__isnull=True, then=Value("missing")),
            When(translation_live=False, then=Value("draft")),
            When(
                Q(last_published_at__gt=F("translation_published_at")),
                then=Value("outdated"),
            ),
            default=Value("current"),
            output_field=CharField(),
        )
    )


class TranslationStatusFilterSet(WagtailFilterSet):
    translation_status = ChoiceFilter(
        label=_("English version"), choices=STATUSES, empty_label=_("Any")
    )

    class Meta:
        model = POCPage
        fields = ["translation_status"]


class StatusColumn(Column):
    def get_value(self, instance):
        return STATUS_LABELS.get(instance.translation_status, "")


class ActionColumn(Column):
    cell_template_name = "poc_catalogue/admin/translation_action_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        if instance.translation_id:
            context["url"] = reverse("wagtailadmin_pages:edit", args=[instance.translation_id])
            context["label"] = _("Open the English version")
        else:
            context["url"] = reverse("wagtail_localize:submit_page_translation", args=[instance.pk])
            context["label"] = _("Translate")
        return context


class TranslationReportView(ReportView):
    page_title = _("POCs to translate")
    header_icon = "site"
    index_url_name = "poc_translation_report"
    index_results_url_name = "poc_translation_report_results"
    filterset_class = TranslationStatusFilterSet
    permission_policy = PagePermissionPolicy()
    any_permission_required = ["add", "change", "publish"]
    paginate_by = 100
    columns = [
        TitleColumn(
            "title",
            label=_("POC (French)"),
            get_url=lambda poc: reverse("wagtailadmin_pages:edit", args=[poc.pk]),
        ),
        StatusColumn("translation_status", label=_("English version")),
        DateColumn("last_published_at", label=_("French published")),
        DateColumn("translation_published_at", label=_("English published")),
        ActionColumn("action", label=_("Action")),
    ]
    list_export = ["title", "status_label", "url", "last_published_at", "translation_published_at"]
    export_headings = {
        "title": _("POC (French)"),
        "status_label": _("English version"),
        "url": _("Address"),
        "last_published_at": _("French published"),
        "translation_published_at": _("English published"),
    }

    def get_filename(self) -> str:
        return "pocs-to-translate"

    def as_spreadsheet(self, queryset, spreadsheet_format):
        # The file is written after the view returns, outside the staff member's language:
        # put the headings into it now, as the rows' statuses are.
        self.export_headings = {field: str(label) for field, label in self.export_headings.items()}
        return super().as_spreadsheet(queryset, spreadsheet_format)

    def get_queryset(self) -> QuerySet[POCPage]:
        french = POCPage.objects.filter(locale__language_code=source_language())
        return with_english_status(french).order_by(
            Case(
                *(
                    When(translation_status=value, then=Value(position))
                    for position, (value, _label) in enumerate(STATUSES)
                ),
            ),
            "title",
        )

    def decorate_paginated_queryset(self, object_list):
        for poc in object_list:
            poc.status_label = str(STATUS_LABELS.get(poc.translation_status, ""))
        return object_list
