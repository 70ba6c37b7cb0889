"""Keep submissions in step with the Wagtail workflow and with publication."""

from __future__ import annotations

from django.dispatch import receiver
from wagtail.signals import page_published, task_rejected, task_submitted

from poc_catalogue.models import POCPage

from . import review
from .models import SubmissionReviewTask, proposal_refused


@receiver(page_published, sender=POCPage)
def make_makers_public_on_publish(sender, instance: POCPage, **kwargs) -> None:
    review.record_publication(instance)


@receiver(task_rejected)
def show_requested_changes(sender, instance, **kwargs) -> None:
    """`instance` is the task state; only our review task speaks to submitters."""
    if isinstance(instance.task.specific, SubmissionReviewTask):
        review.record_changes_requested(instance)


@receiver(task_submitted)
def mark_resubmission_in_review(sender, instance, **kwargs) -> None:
    """A review task starts again once the requested changes are resubmitted."""
    if isinstance(instance.task.specific, SubmissionReviewTask):
        review.record_resubmission(int(instance.workflow_state.object_id))


@receiver(proposal_refused)
def show_refusal(sender, page_id: int, comment: str, **kwargs) -> None:
    review.record_refusal(page_id, comment)
