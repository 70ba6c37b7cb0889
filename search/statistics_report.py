"""The admin report of what visitors search (`search.statistics`): over a chosen period, the
most searched texts, or those that found nothing, exportable as CSV or XLSX."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Max, OuterRef, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import ChoiceFilter, DateFromToRangeFilter
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies.pages import PagePermissionPolicy

from .models import SearchQueryDay

PERIODS = [("7", _("Last 7 days")), ("30", _("Last 30 days")), ("90", _("Last 90 days"))]
DEFAULT_PERIOD = "30"
VIEWS = [("top", _("Most searched")), ("zero", _("Searches without results"))]


class SearchStatisticsFilterSet(WagtailFilterSet):
    show = ChoiceFilter(label=_("Show"), choices=VIEWS, empty_label=None, method="filter_show")
    period = ChoiceFilter(
        label=_("Period"), choices=PERIODS, empty_label=_("Chosen dates"), method="filter_period"
    )
    day = DateFromToRangeFilter(label=_("Dates"), widget=DateRangePickerWidget)
    language = ChoiceFilter(
        label=_("Language"),
        choices=[("fr", _("French")), ("en", _("English"))],
        empty_label=_("Any"),
    )

    class Meta:
        model = SearchQueryDay
        fields = ["show", "period", "day", "language"]

    def filter_show(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(zero_result_searches__gt=0) if value == "zero" else queryset

    def filter_period(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        first_day = timezone.localdate() - timedelta(days=int(value) - 1)
        return queryset.filter(day__gte=first_day)


class SearchStatisticsReportView(ReportView):
    page_title = _("Visitor searches")
    header_icon = "search"
    index_url_name = "search_statistics_report"
    index_results_url_name = "search_statistics_report_results"
    filterset_class = SearchStatisticsFilterSet
    permission_policy = PagePermissionPolicy()
    any_permission_required = ["add", "change", "publish"]
    paginate_by = 100
    columns = [
        Column("query", label=_("Searched text")),
        Column("language", label=_("Language")),
        Column("total_searches", label=_("Searches")),
        Column("zero_result_total", label=_("Searches without results")),
        Column("last_results", label=_("Results (last search)")),
        # A day, not a moment: "il y a 14 heures" would read as a time of day.
        Column("last_day", label=_("Last searched")),
    ]
    list_export = [
        "query",
        "language",
        "total_searches",
        "zero_result_total",
        "last_results",
        "last_day",
    ]
    export_headings = {
        "query": _("Searched text"),
        "language": _("Language"),
        "total_searches": _("Searches"),
        "zero_result_total": _("Searches without results"),
        "last_results": _("Results (last search)"),
        "last_day": _("Last searched"),
    }

    def get_filename(self) -> str:
        return "visitor-searches"

    def get_filterset_kwargs(self) -> dict:
        """The last 30 days and the most searched, unless the staff member chose otherwise."""
        kwargs = super().get_filterset_kwargs()
        data = kwargs["data"].copy()
        if "period" not in data and not data.get("day_after") and not data.get("day_before"):
            data["period"] = DEFAULT_PERIOD
        data.setdefault("show", "top")
        kwargs["data"] = data
        return kwargs

    def as_spreadsheet(self, queryset, spreadsheet_format):
        # Written after the view returns, outside the staff member's language (as the
        # translation report does).
        self.export_headings = {field: str(label) for field, label in self.export_headings.items()}
        return super().as_spreadsheet(queryset, spreadsheet_format)

    def get_queryset(self) -> QuerySet:
        """One row per text and language over the period, most searched (or most often
        without results) first."""
        days = self.filter_queryset(SearchQueryDay.objects.all())
        latest = SearchQueryDay.objects.filter(
            query=OuterRef("query"), language=OuterRef("language")
        ).order_by("-day")
        rows = days.values("query", "language").annotate(
            total_searches=Sum("searches"),
            zero_result_total=Sum("zero_result_searches"),
            last_day=Max("day"),
            last_results=Subquery(latest.values("last_results")[:1]),
        )
        first = "-zero_result_total" if self.showing_zero_results else "-total_searches"
        return rows.order_by(first, "query", "language")

    @property
    def showing_zero_results(self) -> bool:
        return bool(self.filters and self.filters.is_valid()) and (
            self.filters.form.cleaned_data.get("show") == "zero"
        )
