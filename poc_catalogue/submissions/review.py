"""How the moderators' actions in the Wagtail workflow move a submission along.

The Wagtail workflow is the source of truth for the review; these functions mirror its
outcome onto the `Submission`, which the submitter's status page reads.
"""

from __future__ import annotations

from django.db import transaction
from wagtail.models import TaskState

from poc_catalogue.models import Maker, POCPage

from .models import Submission, SubmissionStatus


@transaction.atomic
def refuse_submission(task_state: TaskState, *, user, comment: str = "") -> None:
    """End the review without publishing: the draft stays, the submitter is told."""
    workflow_state = task_state.workflow_state
    workflow_state.cancel(user=user)
    TaskState.objects.filter(pk=task_state.pk).update(comment=comment)
    for submission in Submission.objects.for_page_id(workflow_state.object_id):
        submission.move_to(SubmissionStatus.REJECTED, comment=comment)


def record_changes_requested(task_state: TaskState) -> None:
    for submission in Submission.objects.for_page_id(task_state.workflow_state.object_id):
        submission.move_to(SubmissionStatus.CHANGES_REQUESTED, comment=task_state.comment or "")


def record_review_started(page_id: int) -> None:
    """A moderator opened the draft: it is being reviewed."""
    Submission.objects.for_page_id(page_id).filter(status=SubmissionStatus.RECEIVED).update(
        status=SubmissionStatus.IN_REVIEW
    )


def record_resubmission(page_id: int) -> None:
    """The draft went back into review after the changes a moderator asked for."""
    Submission.objects.for_page_id(page_id).filter(
        status=SubmissionStatus.CHANGES_REQUESTED
    ).update(status=SubmissionStatus.IN_REVIEW)


def record_publication(page: POCPage) -> None:
    """A published POC makes its makers public, whether it came from the form or not."""
    Maker.objects.filter(poc_roles__page=page, is_public=False).update(is_public=True)
    Submission.objects.for_page_id(page.pk).exclude(status=SubmissionStatus.PUBLISHED).update(
        status=SubmissionStatus.PUBLISHED
    )
