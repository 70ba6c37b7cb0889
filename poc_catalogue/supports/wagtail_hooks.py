"""Supports on the admin home's "Participation" panel: supports given, per POC and week."""

from __future__ import annotations

from datetime import date

from django.db.models import Sum
from django.db.models.functions import TruncWeek
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from poc_catalogue.participation import MEASURE_HOOK, Measure, WeeklyCounts

from .models import DailySupport


def supports_per_week(start: date, end: date) -> WeeklyCounts:
    rows = (
        DailySupport.objects.filter(day__gte=start, day__lte=end)
        .annotate(week=TruncWeek("day"))
        .values("page_id", "week")
        .annotate(given=Sum("given"))
        .values_list("page_id", "week", "given")
    )
    counts: WeeklyCounts = {}
    for page_id, week, given in rows:
        monday = week.date() if hasattr(week, "date") else week
        counts[(page_id, monday)] = counts.get((page_id, monday), 0) + given
    return counts


@hooks.register(MEASURE_HOOK)
def supports_measure() -> Measure:
    return Measure("supports", _("Supports"), supports_per_week)
