"""The moderators' queue of comments in the Wagtail admin.

A listing filtered by status (waiting, approved, rejected) and by reports, each comment with
its POC in context; approve or reject one or several at once from the listing; a reply from
a comment's own page, emailed to the commenter. Only users with "Can moderate comments"
(the "Moderators" group has it) see the menu or reach these views; others get a 403.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic import EditView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from poc_catalogue.dashboard import WAITING_WORK_HOOK, WaitingWork
from poc_catalogue.participation import MEASURE_HOOK, Measure, WeeklyCounts, weekly_counts

from . import moderation
from .forms import plain_text
from .models import Comment, CommentStatus

MODERATE = "comments.moderate_comment"


class CommentPermissionPolicy(ModelPermissionPolicy):
    """Moderating is one permission; comments come from visitors only, never added here."""

    def user_has_permission(self, user, action: str) -> bool:
        return action != "add" and user.is_active and user.has_perm(MODERATE)

    def user_has_any_permission(self, user, actions) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(["moderate"])


comment_permissions = CommentPermissionPolicy(Comment)
register_permission_policy(Comment, comment_permissions)


def can_moderate(user) -> bool:
    return comment_permissions.user_has_permission(user, "change")


class TemplateColumn(Column):
    def __init__(self, name: str, template: str, **kwargs) -> None:
        super().__init__(name, **kwargs)
        self.cell_template_name = template

    def get_value(self, instance):
        return instance


class CommentEditView(EditView):
    """A comment's own page: the comment, its POC, and the reply."""

    success_message = _("Reply saved.")

    def save_instance(self):
        comment = self.form.instance
        emailed = moderation.reply(
            comment, plain_text(self.form.cleaned_data["reply"]), language=get_language() or "fr"
        )
        if emailed:
            self.success_message = _("Reply saved and emailed to the commenter.")
        return comment


class CommentViewSet(ModelViewSet):
    model = Comment
    icon = "comment"
    menu_label = _("Comments")
    menu_order = 260
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False
    permission_policy = comment_permissions
    edit_view_class = CommentEditView
    index_template_name = "comments/admin/index.html"
    list_display = [
        TemplateColumn("select", "comments/admin/select_cell.html", label=""),
        TemplateColumn("comment", "comments/admin/comment_cell.html", label=_("Comment")),
        TemplateColumn("poc", "comments/admin/poc_cell.html", label=_("POC")),
        Column("status", label=_("Status"), accessor="get_status_display"),
        DateColumn("created_at", label=_("Posted")),
        TemplateColumn("decide", "comments/admin/decide_cell.html", label=_("Decision")),
    ]
    list_filter = ["status", "reported"]
    search_fields = ["display_name", "body"]
    ordering = ["-reported", "-created_at"]
    form_fields = ["reply"]
    panels = [
        HelpPanel(template="comments/admin/comment_panel.html", heading=_("Comment")),
        FieldPanel("reply"),
    ]

    def get_queryset(self, request: HttpRequest):
        return Comment.objects.select_related("page", "page__hero_image")

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("decide/", decide_view, name="decide")]


comment_viewset = CommentViewSet("comment_moderation")


@hooks.register("register_admin_viewset")
def register_comment_viewset():
    return comment_viewset


DECISIONS = {
    "approve": (
        moderation.approve,
        lambda count: ngettext(
            "%(count)d comment approved.", "%(count)d comments approved.", count
        ),
    ),
    "reject": (
        moderation.reject,
        lambda count: ngettext(
            "%(count)d comment rejected.", "%(count)d comments rejected.", count
        ),
    ),
}


@require_POST
def decide_view(request: HttpRequest) -> HttpResponse:
    """Approve or reject the ticked comments, or the one whose button was pressed
    (`approve:<id>`), then go back to the listing as it was filtered."""
    if not can_moderate(request.user):
        raise PermissionDenied
    action, _sep, single = request.POST.get("action", "").partition(":")
    if action not in DECISIONS:
        raise PermissionDenied
    ids = [single] if single else request.POST.getlist("comment")
    ids = [int(value) for value in ids if value.isdigit()]
    decide, message = DECISIONS[action]
    if not ids:
        messages.warning(request, _("Tick at least one comment."))
    else:
        count = decide(Comment.objects.filter(pk__in=ids).select_related("page"), request.user)
        messages.success(request, message(count) % {"count": count})
    return redirect(
        get_valid_next_url_from_request(request) or reverse(comment_viewset.get_url_name("index"))
    )


@hooks.register(WAITING_WORK_HOOK)
def comments_waiting_for_moderation(request: HttpRequest) -> WaitingWork:
    count = Comment.objects.waiting().count()
    queue = f"{reverse(comment_viewset.get_url_name('index'))}?status={CommentStatus.PENDING}"
    return WaitingWork(
        label=ngettext("comment waiting for moderation", "comments waiting for moderation", count),
        count=count,
        url=queue if can_moderate(request.user) and count else None,
    )


def comments_per_week(start: date, end: date) -> WeeklyCounts:
    """Comments posted, per POC and week: those waiting and those approved (a rejected one is
    most often spam, which says nothing of the POC)."""
    posted = Comment.objects.filter(created_at__date__gte=start, created_at__date__lte=end).exclude(
        status=CommentStatus.REJECTED
    )
    return weekly_counts(posted, "created_at", Count("pk"))


@hooks.register(MEASURE_HOOK, order=10)  # after supports
def comments_measure() -> Measure:
    return Measure("comments", _("Comments"), comments_per_week)
