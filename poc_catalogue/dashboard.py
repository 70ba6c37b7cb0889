"""The catalogue on the admin home: POCs by theme, stage and commune, and the newest changes.

Staff open the dashboard all day, so the figures cost a fixed number of queries whatever the
catalogue's size: one grouped count per table, one for the newest revisions. A POC is its
French page; "published" is `POCPageQuerySet.published()`, "draft" a page that is not live,
"in moderation" a page with a workflow in progress (a published POC whose changes are in
review counts as published and in moderation). Work waiting elsewhere (the proposals from the
public form) reaches the panel through the `describe_catalogue_waiting_work` hook: the
catalogue knows nothing of submissions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import BigIntegerField, Count, Q, QuerySet
from django.db.models.functions import Cast
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _gettext
from django.utils.translation import ngettext, npgettext
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.models import Page, Revision, WorkflowState
from wagtail.permission_policies.pages import PagePermissionPolicy

from .models import POCPage, Stage
from .models.taxonomy import theme_label
from .translations import source_language

# Communes listed by name before the rest are summed up as "other communes".
TOP_COMMUNES = 8
# Revisions listed under "Newest changes".
RECENT_CHANGES = 10
# The filter values of the POC listing's `status` filter (`wagtail_hooks.POCPageFilterSet`).
PUBLISHED, DRAFT, IN_MODERATION = "published", "draft", "in_moderation"
STATUSES = (PUBLISHED, DRAFT, IN_MODERATION)
WAITING_WORK_HOOK = "describe_catalogue_waiting_work"


def can_edit_pocs(user) -> bool:
    return PagePermissionPolicy().user_has_any_permission(user, {"add", "change", "publish"})


def pocs_in_moderation() -> QuerySet:
    """The ids of pages with a workflow in progress, as a subquery."""
    return (
        WorkflowState.objects.filter(
            status=WorkflowState.STATUS_IN_PROGRESS,
            base_content_type=ContentType.objects.get_for_model(Page),
        )
        # Workflow states name any object by a text id; pages' are numbers.
        .annotate(page_id=Cast("object_id", BigIntegerField()))
        .values("page_id")
    )


def filter_by_status(pocs: QuerySet, status: str) -> QuerySet:
    """The listing's filter and the dashboard's counts: one meaning of each status."""
    if status == PUBLISHED:
        return pocs.filter(pk__in=POCPage.objects.published().values("pk"))
    if status == DRAFT:
        return pocs.filter(live=False)
    if status == IN_MODERATION:
        return pocs.filter(pk__in=pocs_in_moderation())
    return pocs


@dataclass(frozen=True)
class StatusCounts:
    published: int = 0
    draft: int = 0
    in_moderation: int = 0
    total: int = 0

    def __add__(self, other: StatusCounts) -> StatusCounts:
        return StatusCounts(
            self.published + other.published,
            self.draft + other.draft,
            self.in_moderation + other.in_moderation,
            self.total + other.total,
        )


@dataclass(frozen=True)
class CountLink:
    count: int
    url: str | None


@dataclass(frozen=True)
class CatalogueRow:
    """One theme, stage or commune, and its POCs per status, each linked to the listing."""

    label: str
    counts: StatusCounts
    # The POC listing's filters selecting this row; None when the listing has none for it.
    filters: dict[str, str] | None = None

    def links(self) -> list[CountLink]:
        def url(status: str | None) -> str | None:
            if self.filters is None:
                return None
            query = {"locale": source_language(), **self.filters}
            if status:
                query["status"] = status
            return f"{reverse('poc_pages:index')}?{urlencode(query)}"

        counts = self.counts
        return [
            CountLink(counts.published, url(PUBLISHED)),
            CountLink(counts.draft, url(DRAFT)),
            CountLink(counts.in_moderation, url(IN_MODERATION)),
            CountLink(counts.total, url(None)),
        ]


@dataclass(frozen=True)
class RecentChange:
    title: str
    page_id: int
    # None for a revision no staff member made: a proposal from the public form.
    author: str | None
    created_at: Any


@dataclass(frozen=True)
class WaitingWork:
    """Something staff have to do, counted, with where to do it (from a hook)."""

    label: str
    count: int
    url: str | None = None


@dataclass(frozen=True)
class CatalogueFigures:
    totals: StatusCounts
    by_theme: list[CatalogueRow]
    by_stage: list[CatalogueRow]
    by_commune: list[CatalogueRow]
    recent_changes: list[RecentChange] = field(default_factory=list)


def _grouped_counts(pocs: QuerySet, *group_by: str) -> list[dict[str, Any]]:
    published = POCPage.objects.published().values("pk")
    in_moderation = pocs_in_moderation()
    return list(
        pocs.values(*group_by)
        .annotate(
            published=Count("pk", filter=Q(pk__in=published), distinct=True),
            draft=Count("pk", filter=Q(live=False), distinct=True),
            in_moderation=Count("pk", filter=Q(pk__in=in_moderation), distinct=True),
            total=Count("pk", distinct=True),
        )
        .order_by()
    )


def _counts(row: dict[str, Any]) -> StatusCounts:
    return StatusCounts(row["published"], row["draft"], row["in_moderation"], row["total"])


def _by_theme(pocs: QuerySet) -> list[CatalogueRow]:
    rows = _grouped_counts(pocs, "themes", "themes__name", "themes__name_en", "themes__sort_order")
    rows.sort(key=lambda row: (row["themes"] is None, row["themes__sort_order"] or 0))
    return [
        CatalogueRow(
            theme_label(row["themes__name"], row["themes__name_en"]),
            _counts(row),
            {"themes": str(row["themes"])},
        )
        if row["themes"] is not None
        else CatalogueRow(_gettext("No theme"), _counts(row))
        for row in rows
    ]


def _by_stage(pocs: QuerySet) -> list[CatalogueRow]:
    found = {row["stage"]: _counts(row) for row in _grouped_counts(pocs, "stage")}
    return [
        CatalogueRow(str(stage.label), found[stage.value], {"stage": stage.value})
        for stage in Stage
        if stage.value in found
    ]


def _by_commune(pocs: QuerySet) -> tuple[list[CatalogueRow], StatusCounts]:
    """The communes with the most POCs, then the others summed up; and the totals."""
    rows = _grouped_counts(pocs, "commune", "commune__name")
    rows.sort(key=lambda row: (row["commune"] is None, -row["total"], row["commune__name"] or ""))
    named = [row for row in rows if row["commune"] is not None]
    shown = [
        CatalogueRow(row["commune__name"], _counts(row), {"commune": str(row["commune"])})
        for row in named[:TOP_COMMUNES]
    ]
    others = named[TOP_COMMUNES:]
    if others:
        shown.append(
            CatalogueRow(
                ngettext("%(count)d other commune", "%(count)d other communes", len(others))
                % {"count": len(others)},
                sum((_counts(row) for row in others), StatusCounts()),
            )
        )
    without = [row for row in rows if row["commune"] is None]
    if without:
        shown.append(CatalogueRow(_gettext("No commune yet"), _counts(without[0])))
    # A POC has at most one commune: these rows add up to the catalogue.
    return shown, sum((_counts(row) for row in rows), StatusCounts())


def recent_changes(limit: int = RECENT_CHANGES) -> list[RecentChange]:
    revisions = (
        Revision.objects.filter(content_type=ContentType.objects.get_for_model(POCPage))
        .select_related("user")
        .order_by("-created_at", "-pk")[:limit]
    )
    return [
        RecentChange(
            title=revision.object_str,
            page_id=int(revision.object_id),
            author=_author(revision.user),
            created_at=revision.created_at,
        )
        for revision in revisions
    ]


def _author(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


def catalogue_figures() -> CatalogueFigures:
    pocs = POCPage.objects.filter(locale__language_code=source_language())
    by_commune, totals = _by_commune(pocs)
    return CatalogueFigures(
        totals=totals,
        by_theme=_by_theme(pocs),
        by_stage=_by_stage(pocs),
        by_commune=by_commune,
        recent_changes=recent_changes(),
    )


def waiting_work(request: HttpRequest) -> list[WaitingWork]:
    found: Iterable[WaitingWork | None] = (
        describe(request) for describe in hooks.get_hooks(WAITING_WORK_HOOK)
    )
    return [work for work in found if work is not None]


def listing_url(**filters: str) -> str:
    return f"{reverse('poc_pages:index')}?{urlencode({'locale': source_language(), **filters})}"


class CataloguePanel(Component):
    """POCs by theme, stage and commune per status, and the work waiting for staff."""

    name = "catalogue_figures"
    template_name = "poc_catalogue/admin/catalogue_panel.html"
    order = 230

    class Media:
        css = {"all": ["css/admin-dashboard.css"]}

    def __init__(self, figures: CatalogueFigures, waiting: list[WaitingWork]) -> None:
        self.figures = figures
        self.waiting = waiting

    def get_context_data(self, parent_context: dict[str, Any]) -> dict[str, Any]:
        totals = self.figures.totals
        return {
            "figures": self.figures,
            "waiting": self.waiting,
            "all_url": listing_url(),
            "summary": [
                (
                    totals.published,
                    npgettext("POCs", "published", "published", totals.published),
                    listing_url(status=PUBLISHED),
                ),
                (
                    totals.draft,
                    ngettext("draft", "drafts", totals.draft),
                    listing_url(status=DRAFT),
                ),
                (
                    totals.in_moderation,
                    _gettext("in moderation"),
                    listing_url(status=IN_MODERATION),
                ),
            ],
            "tables": [
                ("catalogue-by-theme", _gettext("Theme"), self.figures.by_theme),
                ("catalogue-by-stage", _gettext("Stage"), self.figures.by_stage),
                ("catalogue-by-commune", _gettext("Commune"), self.figures.by_commune),
            ],
        }


class RecentChangesPanel(Component):
    """The newest revisions of POC pages, whoever made them, the public form included."""

    name = "catalogue_recent_changes"
    template_name = "poc_catalogue/admin/recent_changes_panel.html"
    order = 235

    def __init__(self, changes: list[RecentChange]) -> None:
        self.changes = changes

    def get_context_data(self, parent_context: dict[str, Any]) -> dict[str, Any]:
        return {"changes": self.changes}
