"""Supports on the admin home's "Participation" panel: supports given, per POC and week."""

from __future__ import annotations

from datetime import date

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from poc_catalogue.participation import MEASURE_HOOK, Measure, WeeklyCounts, weekly_counts

from .models import DailySupport


def supports_per_week(start: date, end: date) -> WeeklyCounts:
    given = DailySupport.objects.filter(day__gte=start, day__lte=end)
    return weekly_counts(given, "day", Sum("given"))


@hooks.register(MEASURE_HOOK)
def supports_measure() -> Measure:
    return Measure("supports", _("Supports"), supports_per_week)
