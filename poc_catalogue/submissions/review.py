"""How the moderators' actions in the Wagtail workflow, and the maker's, move a submission along.

The Wagtail workflow is the source of truth for the review; these functions mirror its
outcome onto the `Submission`, which the submitter's status page reads. Rejecting is the
review task's own action (`SubmissionReviewTask.refuse`).

Every move goes through `move`, which tells the maker once: the status only changes when it
is not already the new one, in one conditional UPDATE, and the email is queued with it, so a
signal received twice or two moderators acting at once send one email, not two.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from wagtail.models import TaskState

from poc_catalogue.models import Maker, POCPage

from . import notifications
from .models import Submission, SubmissionStatus


@transaction.atomic
def move(
    submissions: QuerySet[Submission],
    status: SubmissionStatus,
    *,
    comment: str | None = None,
    only_from: Sequence[SubmissionStatus] | None = None,
) -> int:
    """Move each submission to `status` and queue its maker's email; how many moved."""
    changes: dict = {"status": status, "updated_at": timezone.now()}
    if comment is not None:
        changes["moderator_comment"] = comment
    moved = 0
    for submission_id in submissions.exclude(status=status).values_list("pk", flat=True):
        candidates = Submission.objects.filter(pk=submission_id).exclude(status=status)
        if only_from is not None:
            candidates = candidates.filter(status__in=only_from)
        if candidates.update(**changes):
            notifications.tell_maker(submission_id, status)
            moved += 1
    return moved


def record_changes_requested(task_state: TaskState) -> None:
    move(
        Submission.objects.for_page_id(task_state.workflow_state.object_id),
        SubmissionStatus.CHANGES_REQUESTED,
        comment=task_state.comment or "",
    )


def record_refusal(page_id: int, comment: str) -> None:
    move(Submission.objects.for_page_id(page_id), SubmissionStatus.REJECTED, comment=comment)


def record_review_started(page_id: int) -> None:
    """A moderator opened the draft: it is being reviewed."""
    move(
        Submission.objects.for_page_id(page_id),
        SubmissionStatus.IN_REVIEW,
        only_from=[SubmissionStatus.RECEIVED],
    )


def record_resubmission(page_id: int) -> None:
    """The draft went back into review after the changes a moderator asked for."""
    move(
        Submission.objects.for_page_id(page_id),
        SubmissionStatus.IN_REVIEW,
        only_from=[SubmissionStatus.CHANGES_REQUESTED],
    )


def record_withdrawal(submission: Submission) -> None:
    move(Submission.objects.filter(pk=submission.pk), SubmissionStatus.WITHDRAWN)


def record_publication(page: POCPage) -> None:
    """A published POC makes its makers public, whether it came from the form or not."""
    Maker.objects.filter(poc_roles__page=page, is_public=False).update(is_public=True)
    move(Submission.objects.for_page_id(page.pk), SubmissionStatus.PUBLISHED)
