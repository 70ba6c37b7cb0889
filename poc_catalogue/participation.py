"""What visitors do with POCs, week by week, on the admin home ("Participation").

Each kind of participation is a `Measure`: a name and a function counting it per POC and
week. The panel knows none of them: apps register theirs with the
`register_participation_measure` hook (supports do in `supports.wagtail_hooks`), and each
adds a column to the POC table and a table of weeks per theme. A measure costs one grouped
query over its own rows; the panel adds one for the themes and one for the titles.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Aggregate, QuerySet
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.functional import Promise
from wagtail import hooks
from wagtail.admin.ui.components import Component

from .models import POCPage, Theme
from .models.taxonomy import theme_label

MEASURE_HOOK = "register_participation_measure"
WEEKS = 8
TOP_POCS = 10

# Counts per (page id, Monday of the week) between two days, both included.
WeeklyCounts = dict[tuple[int, date], int]


@dataclass(frozen=True)
class Measure:
    key: str
    label: Promise
    counts: Callable[[date, date], WeeklyCounts]


def weekly_counts(rows: QuerySet, when: str, amount: Aggregate) -> WeeklyCounts:
    """`amount` of `rows` per POC (their `page_id`) and week of their `when` (a date or a
    time): one grouped query, for a measure's `counts`."""
    grouped = (
        rows.annotate(week=TruncWeek(when))
        .values("page_id", "week")
        .annotate(amount=amount)
        .values_list("page_id", "week", "amount")
    )
    counts: WeeklyCounts = {}
    for page_id, week, value in grouped:
        monday = week.date() if hasattr(week, "date") else week
        counts[(page_id, monday)] = counts.get((page_id, monday), 0) + value
    return counts


def measures() -> list[Measure]:
    return [hook() for hook in hooks.get_hooks(MEASURE_HOOK)]


def last_weeks(today: date | None = None, weeks: int = WEEKS) -> list[date]:
    """The Mondays of the last `weeks` weeks, this one last."""
    today = today or timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    return [monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


@dataclass(frozen=True)
class MeasureByTheme:
    measure: Measure
    # (theme label, counts per week in `weeks` order, total)
    rows: list[tuple[str, list[int], int]]


@dataclass(frozen=True)
class TopPOC:
    page_id: int
    title: str
    # One total over the weeks per measure, in `measures` order.
    totals: list[int]


@dataclass(frozen=True)
class Participation:
    weeks: list[date]
    measures: list[Measure]
    by_theme: list[MeasureByTheme]
    top: list[TopPOC]


def participation(today: date | None = None) -> Participation:
    weeks = last_weeks(today)
    start, end = weeks[0], weeks[-1] + timedelta(days=6)
    chosen = measures()
    counted = [measure.counts(start, end) for measure in chosen]
    page_ids = {page_id for counts in counted for page_id, _week in counts}
    themes = {theme.pk: theme for theme in Theme.objects.order_by("name")}
    themes_of: dict[int, list[int]] = defaultdict(list)
    links = POCPage.themes.through.objects.filter(pocpage_id__in=page_ids)
    for page_id, theme_id in links.values_list("pocpage_id", "theme_id"):
        themes_of[page_id].append(theme_id)
    by_theme = []
    for measure, counts in zip(chosen, counted, strict=True):
        per_theme: dict[int, dict[date, int]] = defaultdict(lambda: defaultdict(int))
        for (page_id, week), count in counts.items():
            for theme_id in themes_of[page_id]:
                per_theme[theme_id][week] += count
        rows = []
        for theme_id, theme in themes.items():
            values = [per_theme[theme_id][week] for week in weeks]
            rows.append((theme_label(theme.name, theme.name_en), values, sum(values)))
        by_theme.append(MeasureByTheme(measure, rows))
    totals: dict[int, list[int]] = defaultdict(lambda: [0] * len(chosen))
    for index, counts in enumerate(counted):
        for (page_id, _week), count in counts.items():
            totals[page_id][index] += count
    ranked = sorted(totals.items(), key=lambda item: (-sum(item[1]), item[0]))[:TOP_POCS]
    titles = dict(
        POCPage.objects.filter(pk__in=[pk for pk, _t in ranked]).values_list("pk", "title")
    )
    top = [TopPOC(pk, titles.get(pk, str(pk)), values) for pk, values in ranked if pk in titles]
    return Participation(weeks, chosen, by_theme, top)


class ParticipationPanel(Component):
    """Participation per theme and week, and the POCs visitors took most part in."""

    name = "participation"
    template_name = "poc_catalogue/admin/participation_panel.html"
    order = 240

    class Media:
        css = {"all": ["css/admin-dashboard.css"]}

    def __init__(self, figures: Participation) -> None:
        self.figures = figures

    def get_context_data(self, parent_context: dict[str, Any]) -> dict[str, Any]:
        return {"figures": self.figures}
