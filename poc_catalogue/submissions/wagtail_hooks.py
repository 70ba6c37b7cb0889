"""Submissions in the Wagtail admin: the moderators' side of a proposal.

A staff-only listing with the private contact details, linked both ways with the draft POC;
the review actions first on a proposal's draft, with messages saying what happened; the
dashboard's review queue, the proposals waiting on their maker, and who gets the alerts.
The catalogue knows nothing of this: everything reaches its pages through these hooks.
"""

from __future__ import annotations

from django.contrib import messages as django_messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.action_menu import CancelWorkflowMenuItem, PublishMenuItem, WorkflowMenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.home import WorkflowObjectsToModeratePanel
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.models import Page
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from poc_catalogue.dashboard import WAITING_WORK_HOOK, WaitingWork
from poc_catalogue.models import POCPage

from . import review
from .dashboard import AlertRecipientsPanel, AwaitingMakerPanel, ReviewQueuePanel
from .intake import REVISED_BY_MAKER, SUBMITTED_BY_MAKER, WITHDRAWN_BY_MAKER
from .models import Submission, SubmissionReviewTask, SubmissionStatus
from .moderators import alert_recipients, review_groups


class SubmissionPermissionPolicy(ModelPermissionPolicy):
    """Submissions come from the public form only: nobody adds one in the admin."""

    def user_has_permission(self, user, action: str) -> bool:
        return action != "add" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)


submission_permissions = SubmissionPermissionPolicy(Submission)
register_permission_policy(Submission, submission_permissions)


def can_see_submissions(user) -> bool:
    return submission_permissions.user_has_permission(user, "view")


def draft_edit_link(submission: Submission) -> str:
    if submission.page_id is None:
        return _gettext("Deleted")
    return format_html(
        '<a href="{}">{}</a>',
        reverse("wagtailadmin_pages:edit", args=[submission.page_id]),
        _gettext("Edit the draft POC “%(title)s”") % {"title": submission.page.title},
    )


class SubmissionIndexView(IndexView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(alert_recipients=alert_recipients(), **kwargs)


class SubmissionInspectView(InspectView):
    def get_page_display_value(self) -> str:
        return draft_edit_link(self.object)

    def get_contact_purged_at_display_value(self) -> str:
        erased = self.object.contact_purged_at
        return formats.date_format(erased, "DATETIME_FORMAT") if erased else _gettext("No")

    def get_contact_email_display_value(self) -> str:
        email = self.object.contact_email
        return format_html('<a href="mailto:{}">{}</a>', email, email) if email else "—"

    def get_moderator_comment_display_value(self) -> str:
        return self.object.moderator_comment or "—"


class SubmissionViewSet(ModelViewSet):
    """Only users with the submissions permissions see this menu and these details."""

    model = Submission
    icon = "mail"
    menu_label = _("Submissions")
    menu_order = 250
    add_to_admin_menu = True
    inspect_view_enabled = True
    index_view_class = SubmissionIndexView
    inspect_view_class = SubmissionInspectView
    index_template_name = "submissions/admin/index.html"
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
        HelpPanel(template="submissions/admin/draft_poc_panel.html", heading=_("Draft POC")),
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

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("reviewed/<int:pk>/", review_outcome_view, name="reviewed"),
        ]


submission_viewset = SubmissionViewSet("submission_records")


@hooks.register("register_admin_viewset")
def register_submission_viewset():
    return submission_viewset


def proposal_url(submission: Submission) -> str:
    return reverse(submission_viewset.get_url_name("inspect"), args=[submission.pk])


def submission_under_review(page: Page) -> bool:
    """Whether the page is a proposal's draft in the submission review task."""
    task = page.current_workflow_task
    return task is not None and isinstance(task.specific, SubmissionReviewTask)


@hooks.register("before_edit_page")
def mark_submission_in_review(request: HttpRequest, page: Page) -> None:
    """A moderator opening a submitted draft is the start of its review."""
    if request.method == "GET" and isinstance(page.specific, POCPage):
        task = page.current_workflow_task
        if task is not None and task.specific.get_actions(page, request.user):
            review.record_review_started(page.pk)


@hooks.register("before_edit_page")
def link_the_draft_to_its_proposal(request: HttpRequest, page: Page) -> None:
    """Moderators see, above the form, whose proposal this draft is and where it stands."""
    if request.method != "GET" or not can_see_submissions(request.user):
        return
    submission = Submission.objects.for_page_id(page.pk).first()
    if submission is None:
        return
    messages.info(
        request,
        _gettext("Proposal received on %(date)s, status: %(status)s.")
        % {
            "date": formats.date_format(submission.created_at, "DATE_FORMAT"),
            "status": submission.get_status_display(),
        },
        buttons=[
            messages.button(
                proposal_url(submission),
                _gettext("See the proposal and its contact details"),
            )
        ],
    )


@hooks.register("register_page_header_buttons")
def proposal_header_button(page: Page, user, view_name: str, next_url: str | None = None):
    if view_name != "edit" or not can_see_submissions(user):
        return
    submission = Submission.objects.for_page_id(page.pk).only("pk").first()
    if submission is not None:
        yield Button(
            _("Proposal and contact details"),
            url=proposal_url(submission),
            icon_name="mail",
            priority=5,
        )


REVIEW_ICONS = {
    SubmissionReviewTask.CHANGES_ACTION: "comment",
    SubmissionReviewTask.REJECT_ACTION: "cross",
}


@hooks.register("construct_page_action_menu")
def put_review_actions_first(menu_items: list, request: HttpRequest, context: dict) -> None:
    """On a proposal in review, the moderator's choices lead; nothing skips the review."""
    page = context.get("page")
    if context.get("view") != "edit" or page is None or not submission_under_review(page):
        return
    review_items = [item for item in menu_items if isinstance(item, WorkflowMenuItem)]
    if not review_items:
        return
    for item in review_items:
        if item.name == SubmissionReviewTask.APPROVE_ACTION:
            item.label = (
                _("Approve and publish with a comment")
                if item.launch_modal
                else _("Approve and publish")
            )
        item.icon_name = REVIEW_ICONS.get(item.name, item.icon_name)
    skipping_review = (WorkflowMenuItem, PublishMenuItem, CancelWorkflowMenuItem)
    others = [item for item in menu_items if not isinstance(item, skipping_review)]
    menu_items[:] = review_items + others


# What each review action leads to, and how the moderator is told it happened.
ACTION_OUTCOMES = {
    SubmissionReviewTask.APPROVE_ACTION: SubmissionStatus.PUBLISHED,
    SubmissionReviewTask.CHANGES_ACTION: SubmissionStatus.CHANGES_REQUESTED,
    SubmissionReviewTask.REJECT_ACTION: SubmissionStatus.REJECTED,
}
OUTCOME_MESSAGES = {
    SubmissionStatus.PUBLISHED: _(
        "Proposal approved and published: “%(title)s” is in the catalogue."
    ),
    SubmissionStatus.CHANGES_REQUESTED: _(
        "Changes requested: the maker reads your message on their proposal's status page."
    ),
    SubmissionStatus.REJECTED: _(
        "Proposal rejected: the maker reads your message on their proposal's status page."
    ),
}


def confirm_outcome(request: HttpRequest, submission: Submission) -> HttpResponse:
    """Say where the review left the proposal, then go back to the moderator's dashboard."""
    message = OUTCOME_MESSAGES.get(submission.status)
    if message is not None:
        buttons = [messages.button(proposal_url(submission), _gettext("See the proposal"))]
        messages.success(request, message % {"title": submission.title}, buttons=buttons)
    return redirect(get_valid_next_url_from_request(request) or "wagtailadmin_home")


def review_outcome_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Where a review action taken from the dashboard lands (`SubmissionReviewTask.on_action`)."""
    if not can_see_submissions(request.user):
        raise PermissionDenied
    return confirm_outcome(request, get_object_or_404(Submission, pk=pk))


@hooks.register("after_edit_page")
def confirm_review_action(request: HttpRequest, page: Page) -> HttpResponse | None:
    """Say what the review action did, instead of Wagtail's "The page has been updated"."""
    if not request.POST.get("action-workflow-action"):
        return None
    expected = ACTION_OUTCOMES.get(request.POST.get("workflow-action-name", ""))
    submission = Submission.objects.for_page_id(page.pk).first()
    if expected is None or submission is None or submission.status != expected:
        return None
    # Reading the queued messages consumes them; all but the generic success go back.
    for queued in list(django_messages.get_messages(request)):
        if queued.level != django_messages.SUCCESS:
            django_messages.add_message(request, queued.level, queued.message, queued.extra_tags)
    return confirm_outcome(request, submission)


@hooks.register("construct_homepage_panels")
def moderators_dashboard(request: HttpRequest, panels: list) -> None:
    show_submissions = can_see_submissions(request.user)
    panels[:] = [
        ReviewQueuePanel(show_submissions)
        if isinstance(panel, WorkflowObjectsToModeratePanel)
        else panel
        for panel in panels
    ]
    if not show_submissions:
        return
    panels.append(AwaitingMakerPanel())
    recipients = alert_recipients()
    if not recipients.addresses:
        panels.append(AlertRecipientsPanel(recipients))
    panels.sort(key=lambda panel: panel.order)


@hooks.register(WAITING_WORK_HOOK)
def proposals_waiting_for_review(request: HttpRequest) -> WaitingWork:
    """The catalogue panel counts the proposals to review; moderators jump to their queue."""
    user = request.user
    moderates = (
        user.is_superuser
        or user.groups.filter(pk__in=[group.pk for group in review_groups()]).exists()
    )
    count = Submission.objects.filter(
        status__in=[SubmissionStatus.RECEIVED, SubmissionStatus.IN_REVIEW]
    ).count()
    return WaitingWork(
        label=ngettext("proposal waiting for review", "proposals waiting for review", count),
        count=count,
        url="#awaiting-review-section" if moderates and count else None,
    )


@hooks.register("register_log_actions")
def register_maker_actions(actions) -> None:
    """The maker has no account: the page history names them by what they did."""
    actions.register_action(
        SUBMITTED_BY_MAKER, _("Sent by the submitter"), _("Sent by the submitter")
    )
    actions.register_action(
        REVISED_BY_MAKER, _("Changed by the submitter"), _("Changed by the submitter")
    )
    actions.register_action(
        WITHDRAWN_BY_MAKER, _("Withdrawn by the submitter"), _("Withdrawn by the submitter")
    )
