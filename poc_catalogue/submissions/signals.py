"""Keep submissions in step with the Wagtail workflow and with publication."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.dispatch import receiver
from wagtail.models import Page, WorkflowState
from wagtail.signals import page_published, task_rejected, workflow_submitted

from poc_catalogue.models import POCPage

from . import review
from .models import SubmissionReviewTask


@receiver(page_published, sender=POCPage)
def make_makers_public_on_publish(sender, instance: POCPage, **kwargs) -> None:
    review.record_publication(instance)


@receiver(task_rejected, sender=SubmissionReviewTask)
def show_requested_changes(sender, instance, **kwargs) -> None:
    review.record_changes_requested(instance)


@receiver(workflow_submitted, sender=WorkflowState)
def mark_resubmission_in_review(sender, instance: WorkflowState, **kwargs) -> None:
    if instance.base_content_type_id == ContentType.objects.get_for_model(Page).pk:
        review.record_resubmission(int(instance.object_id))
