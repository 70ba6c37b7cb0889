"""Submissions in the Wagtail admin: a staff-only listing with the private contact details."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from poc_catalogue.models import POCPage

from . import review
from .models import Submission


class SubmissionPermissionPolicy(ModelPermissionPolicy):
    """Submissions come from the public form only: nobody adds one in the admin."""

    def user_has_permission(self, user, action: str) -> bool:
        return action != "add" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(Submission, SubmissionPermissionPolicy(Submission))


class SubmissionViewSet(ModelViewSet):
    """Only users with the submissions permissions see this menu and these details."""

    model = Submission
    icon = "mail"
    menu_label = _("Submissions")
    menu_order = 250
    add_to_admin_menu = True
    inspect_view_enabled = True
    list_display = [
        "title",
        Column("status", label=_("Status"), accessor="get_status_display"),
        "contact_name",
        "contact_email",
        DateColumn("created_at", label=_("Submitted")),
    ]
    list_filter = ["status"]
    search_fields = ["title", "contact_name", "contact_email"]
    ordering = ["-created_at"]
    inspect_view_fields = [
        "title",
        "page",
        "status",
        "moderator_comment",
        "contact_name",
        "contact_email",
        "contact_phone",
        "consented_to_publication_at",
        "consented_to_processing_at",
        "contact_purged_at",
        "created_at",
    ]
    panels = [
        FieldPanel("title", read_only=True),
        FieldPanel("status", read_only=True),
        FieldPanel("moderator_comment", read_only=True),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("contact_name"), FieldPanel("contact_phone")]),
                FieldPanel("contact_email"),
            ],
            heading=_("Private contact details"),
        ),
    ]

    copy_view_enabled = False


submission_viewset = SubmissionViewSet("submission_records")


@hooks.register("register_admin_viewset")
def register_submission_viewset():
    return submission_viewset


@hooks.register("before_edit_page")
def mark_submission_in_review(request, page) -> None:
    """A moderator opening a submitted draft is the start of its review."""
    if request.method == "GET" and isinstance(page.specific, POCPage):
        task = page.current_workflow_task
        if task is not None and task.specific.get_actions(page, request.user):
            review.record_review_started(page.pk)
