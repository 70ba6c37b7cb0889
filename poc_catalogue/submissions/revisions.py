"""What a maker does from their private status link: revise a proposal sent back, withdraw one.

The maker has no account, so Wagtail sees no user: the page history names them through the
log actions registered in `wagtail_hooks` ("changed by the submitter"). A revision is one
transaction, as the intake is: the new images and their files, the draft's new revision, the
workflow resumed as Wagtail resumes it when an editor resubmits after "request changes"
(which moves the status and queues the maker's email, `signals`), the moderators' alert. If any
step fails, nothing is left: the database rolls back and the files just written are deleted.
"""

from __future__ import annotations

import html
import re

from django.db import transaction
from django.utils.html import linebreaks, strip_tags
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.rich_text import RichText

from poc_catalogue.images import delete_image_files
from poc_catalogue.models import POCGalleryImage, POCPage

from . import notifications, review
from .intake import REVISED_BY_MAKER, WITHDRAWN_BY_MAKER, store_images
from .models import Submission
from .proposals import DraftImage, ProposalRevision

BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
PARAGRAPH_END = re.compile(r"</p>", re.IGNORECASE)
# What the maker's description becomes in the body; other blocks a moderator added stay.
MAKER_BLOCKS = ("paragraph", "video")


class NotEditable(Exception):
    """The proposal is not waiting for the maker's changes (any more)."""


def draft_of(submission: Submission) -> POCPage | None:
    """The draft as it stands now: its latest revision, moderators' edits included."""
    page = POCPage.objects.filter(pk=submission.page_id).first()
    return page.get_latest_revision_as_object() if page is not None else None


def description_of(draft: POCPage) -> str:
    """The body's paragraphs as the plain text the form shows: one empty line between them."""
    paragraphs = []
    for block in draft.body:
        if block.block_type != "paragraph":
            continue
        source = BREAK.sub("\n", block.value.source)
        for part in PARAGRAPH_END.split(source):
            text = html.unescape(strip_tags(part)).strip()
            if text:
                paragraphs.append(text)
    return "\n\n".join(paragraphs)


def video_url_of(draft: POCPage) -> str:
    for block in draft.body:
        if block.block_type == "video" and block.value.get("embed"):
            return block.value["embed"].url
    return ""


def revise_proposal(submission: Submission, revision: ProposalRevision) -> None:
    stored_files: list[str] = []
    try:
        with transaction.atomic():
            _revise(submission, revision, stored_files)
    except Exception:
        delete_image_files(stored_files, "a failed revision")
        raise


def _revise(submission: Submission, revision: ProposalRevision, stored_files: list[str]) -> None:
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    page = POCPage.objects.filter(pk=submission.page_id).first()
    workflow_state = page.current_workflow_state if page is not None else None
    if (
        not submission.is_editable_by_maker
        or workflow_state is None
        or workflow_state.status != workflow_state.STATUS_NEEDS_CHANGES
    ):
        raise NotEditable
    draft = page.get_latest_revision_as_object()
    draft.title = revision.title
    draft.draft_title = revision.title
    draft.summary = revision.summary
    draft.body = _body(draft, revision)
    draft.themes = revision.themes
    draft.stage = revision.stage
    draft.year = revision.year
    draft.commune = revision.commune
    draft.address = revision.address
    draft.tags.set(revision.tags)
    _place_images(draft, revision, stored_files)
    draft.save_revision(log_action=REVISED_BY_MAKER)
    Submission.objects.filter(pk=submission.pk).update(title=revision.title)
    workflow_state.resume(user=None)
    notifications.alert_moderators.enqueue(submission.pk, revised=True)


def _body(draft: POCPage, revision: ProposalRevision) -> list[tuple[str, object]]:
    blocks: list[tuple[str, object]] = [
        ("paragraph", RichText(linebreaks(paragraph, autoescape=True)))
        for paragraph in revision.description.replace("\r\n", "\n").split("\n\n")
        if paragraph.strip()
    ]
    if revision.video_url:
        blocks.append(("video", {"embed": revision.video_url, "caption": ""}))
    kept = [(block.block_type, block.value) for block in draft.body]
    return blocks + [(kind, value) for kind, value in kept if kind not in MAKER_BLOCKS]


def _place_images(draft: POCPage, revision: ProposalRevision, stored_files: list[str]) -> None:
    """The first image becomes the hero, the others the gallery, in the maker's order."""
    new = [image for image in revision.images if not isinstance(image, DraftImage)]
    stored = iter(store_images(revision.title, new, stored_files, first_number=2))
    own = {
        image.pk: image
        for image in get_image_model().objects.filter(
            pk__in=[i.image_id for i in revision.images if isinstance(i, DraftImage)]
        )
    }
    placed = [
        (own[item.image_id] if isinstance(item, DraftImage) else next(stored), item)
        for item in revision.images
    ]
    (hero, hero_item), *gallery = placed
    draft.hero_image = hero
    draft.hero_alt_text = hero_item.alt_text
    draft.hero_credit = hero_item.credit
    draft.gallery_images = [
        POCGalleryImage(image=image, alt_text=item.alt_text, credit=item.credit)
        for image, item in gallery
    ]


class NotWithdrawable(Exception):
    """The proposal is published, refused or already withdrawn."""


@transaction.atomic
def withdraw_proposal(submission: Submission) -> None:
    """Take the proposal out of the review: the draft stays unpublished, out of any workflow,
    until the retention period removes it with the contact details (`retention`)."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    page = POCPage.objects.filter(pk=submission.page_id).first()
    if not submission.can_be_withdrawn or (page is not None and page.live):
        raise NotWithdrawable
    if page is not None:
        workflow_state = page.current_workflow_state
        if workflow_state is not None:
            workflow_state.cancel(user=None)
        log(instance=page, action=WITHDRAWN_BY_MAKER)
    review.record_withdrawal(submission)
