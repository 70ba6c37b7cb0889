"""What a submission leaves behind, and when it goes.

Contact details go as soon as a proposal is rejected or withdrawn by its maker, and for every
proposal once `SUBMISSION_CONTACT_RETENTION_DAYS` have passed. A rejected or withdrawn
proposal's draft page and the images the maker sent (in any of its revisions) go too once the
retention period has passed since the refusal (the period lets the maker ask why, and
moderators find it again). The `Submission` record
stays, without contact details, as the trace of what was decided.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.dispatch import Signal
from wagtail.images import get_image_model
from wagtail.models import ReferenceIndex

from poc_catalogue.models import Maker, POCGalleryImage, POCPage

from .models import Submission, SubmissionStatus

logger = logging.getLogger(__name__)

# Proposals that will never be published: their contact details have no use left.
ENDED = (SubmissionStatus.REJECTED, SubmissionStatus.WITHDRAWN)

# Sent by `purge_submission_contacts` with `cutoff` and `dry_run`: personal data kept on the
# same schedule elsewhere (commenters' emails) goes with the submissions' contacts. Each
# receiver returns one line saying what it erased, or would.
contact_retention_due = Signal()


@dataclass(frozen=True)
class DraftRemoval:
    submission_id: int
    page_id: int
    images_deleted: int


def contacts_due(cutoff: datetime) -> QuerySet[Submission]:
    """Submissions whose contact details must be erased now."""
    return (
        Submission.objects.filter(Q(status__in=ENDED) | Q(created_at__lt=cutoff))
        .exclude(contact_name="", contact_email="", contact_phone="")
        .order_by("pk")
    )


def rejected_drafts_due(cutoff: datetime) -> QuerySet[Submission]:
    """Rejected or withdrawn submissions, ended before `cutoff`, whose draft still exists."""
    return Submission.objects.filter(
        status__in=ENDED, updated_at__lt=cutoff, page__isnull=False
    ).order_by("pk")


def delete_rejected_drafts(cutoff: datetime) -> Iterator[DraftRemoval]:
    for submission in rejected_drafts_due(cutoff).select_related("page"):
        removal = delete_rejected_draft(submission)
        if removal is not None:
            yield removal


@transaction.atomic
def delete_rejected_draft(submission: Submission) -> DraftRemoval | None:
    """Delete the draft and the images it alone used; never a page that went live."""
    page = POCPage.objects.filter(pk=submission.page_id).first()
    if page is None or page.live or page.first_published_at is not None:
        return None
    image_ids = {page.hero_image_id, *page.gallery_images.values_list("image_id", flat=True)}
    for revision in page.revisions.all():
        # Images the maker sent, then removed or replaced when asked for changes.
        version = revision.as_object()
        image_ids.add(version.hero_image_id)
        image_ids.update(item.image_id for item in version.gallery_images.all())
    image_ids.discard(None)
    page_id = page.pk
    page.delete()
    deleted = 0
    for image in get_image_model().objects.filter(pk__in=image_ids):
        if _still_used(image):
            continue
        image.delete()
        deleted += 1
    return DraftRemoval(submission.pk, page_id, deleted)


def _still_used(image) -> bool:
    return (
        POCPage.objects.filter(hero_image=image).exists()
        or POCGalleryImage.objects.filter(image=image).exists()
        or Maker.objects.filter(logo=image).exists()
        or ReferenceIndex.get_references_to(image).exists()
    )
