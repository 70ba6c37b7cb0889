"""The moderators' dashboard: proposals to review, proposals waiting on their maker, alerts.

Wagtail's "Awaiting your review" panel drops a proposal once changes are requested (its task
is no longer in progress) and leaves the "submitted by" column empty for proposals from the
public form (no user made the revision); these panels keep both in view.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.http import urlencode
from wagtail.admin.ui.components import Component
from wagtail.admin.views.home import WorkflowObjectsToModeratePanel

from .models import Submission, SubmissionStatus
from .moderators import AlertRecipients

# How many proposals waiting on their maker the dashboard lists before linking to the rest.
AWAITING_MAKER_SHOWN = 10


def submissions_url(**filters: str) -> str:
    url = reverse("submission_records:index")
    return f"{url}?{urlencode(filters)}" if filters else url


class ReviewQueuePanel(WorkflowObjectsToModeratePanel):
    """Wagtail's review queue with its columns named and filled, and each proposal linked."""

    template_name = "submissions/admin/review_queue_panel.html"

    def __init__(self, show_submissions: bool) -> None:
        self.show_submissions = show_submissions

    def get_context_data(self, parent_context: dict[str, Any]) -> dict[str, Any]:
        context = super().get_context_data(parent_context)
        states = context["states"]
        page_ids = [state["obj"].pk for state in states]
        submissions = (
            {s.page_id: s for s in Submission.objects.filter(page_id__in=page_ids)}
            if self.show_submissions
            else {}
        )
        for state in states:
            state["submission"] = submissions.get(state["obj"].pk)
        context["show_submissions"] = self.show_submissions
        return context


class AwaitingMakerPanel(Component):
    """Proposals a moderator sent back to their maker: out of the review queue, not forgotten."""

    name = "submissions_awaiting_maker"
    template_name = "submissions/admin/awaiting_maker_panel.html"
    order = 225

    def get_context_data(self, parent_context: dict[str, Any]) -> dict[str, Any]:
        waiting = Submission.objects.filter(status=SubmissionStatus.CHANGES_REQUESTED).order_by(
            "updated_at"
        )
        return {
            "submissions": list(waiting[:AWAITING_MAKER_SHOWN]),
            "total": waiting.count(),
            "all_url": submissions_url(status=SubmissionStatus.CHANGES_REQUESTED),
        }


class AlertRecipientsPanel(Component):
    """Says that no moderator would hear of a new proposal, and how to change that."""

    name = "submissions_alert_recipients"
    template_name = "submissions/admin/alert_recipients_panel.html"
    order = 215

    def __init__(self, recipients: AlertRecipients) -> None:
        self.recipients = recipients

    def get_context_data(self, parent_context: dict[str, Any]) -> dict[str, Any]:
        return {"recipients": self.recipients, "submissions_url": submissions_url()}
