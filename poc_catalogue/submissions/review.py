"""How the moderators' actions in the Wagtail workflow move a submission along.

The Wagtail workflow is the source of truth for the review; these functions mirror its
outcome onto the `Submission`, which the submitter's status page reads. Rejecting is the
review task's own action (`SubmissionReviewTask.refuse`).
"""

from __future__ import annotations

from wagtail.models import TaskState

from poc_catalogue.models import Maker, POCPage

from .models import Submission, SubmissionStatus


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
