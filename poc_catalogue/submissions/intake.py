"""Turn a valid proposal into a draft POC under review, all or nothing.

Everything a submission creates (images and their files, the maker, the draft page, the
submission record, the workflow state, the queued emails) is created in one transaction; if
any step fails the database rolls back and the image files already written are deleted, so
nothing is left half-made. The emails are tasks on the durable queue, committed with the
rest: the worker sends them after the commit and retries while the mail server is away, so
a mail outage can neither fail nor damage a saved submission.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import linebreaks
from wagtail.coreutils import find_available_slug
from wagtail.images import get_image_model
from wagtail.models import Collection
from wagtail.rich_text import RichText

from poc_catalogue.images import delete_image_files
from poc_catalogue.models import (
    CatalogueIndexPage,
    Maker,
    MakerRole,
    POCGalleryImage,
    POCMaker,
    POCPage,
)
from poc_catalogue.slugs import slug_base

from . import notifications
from .models import Submission
from .proposals import NewMaker, Proposal, ProposedImage

SUBMISSIONS_COLLECTION_NAME = "Submissions"
# The page history says the maker, who has no account, wrote these revisions.
SUBMITTED_BY_MAKER = "submissions.submitted"
REVISED_BY_MAKER = "submissions.revised"
WITHDRAWN_BY_MAKER = "submissions.withdrawn"


@dataclass(frozen=True)
class SubmissionReceipt:
    """What the submitter gets back: the record and the only copy of its status token."""

    submission: Submission
    status_token: str


class ReviewWorkflowMissing(RuntimeError):
    """The catalogue has no workflow: a submission would never reach a moderator."""


def receive_submission(proposal: Proposal, *, site_url: str, language: str) -> SubmissionReceipt:
    stored_files: list[str] = []
    try:
        with transaction.atomic():
            receipt = _create_everything(proposal, stored_files, language)
            notifications.announce_submission(
                receipt.submission, site_url=site_url, language=language
            )
    except Exception:
        delete_image_files(stored_files, "a failed submission")
        raise
    return receipt


def _create_everything(
    proposal: Proposal, stored_files: list[str], language: str
) -> SubmissionReceipt:
    catalogue = CatalogueIndexPage.in_source_language()
    workflow = catalogue.get_workflow()
    if workflow is None:
        raise ReviewWorkflowMissing("The catalogue page has no review workflow assigned.")
    images = store_images(proposal.title, proposal.images, stored_files)
    maker = proposal.existing_maker or _match_or_create_maker(proposal.new_maker)
    hero, *gallery = zip(proposal.images, images, strict=True)

    page = POCPage(
        title=proposal.title,
        slug=find_available_slug(catalogue, slug_base(proposal.title, 60, "poc")),
        summary=proposal.summary,
        body=_body(proposal),
        hero_image=hero[1],
        hero_alt_text=hero[0].alt_text,
        hero_credit=hero[0].credit,
        commune=proposal.commune,
        address=proposal.address,
        stage=proposal.stage,
        year=proposal.year,
        live=False,
    )
    page.themes = proposal.themes
    if proposal.tags:
        page.tags.add(*proposal.tags)
    page.poc_makers = [POCMaker(maker=maker, role=MakerRole.HOLDER)]
    page.gallery_images = [
        POCGalleryImage(image=image, alt_text=proposed.alt_text, credit=proposed.credit)
        for proposed, image in gallery
    ]
    catalogue.add_child(instance=page)
    page.save_revision(log_action=SUBMITTED_BY_MAKER)

    now = timezone.now()
    submission = Submission(
        page=page,
        title=proposal.title,
        contact_name=proposal.contact.name,
        contact_email=proposal.contact.email,
        contact_phone=proposal.contact.phone,
        consented_to_publication_at=now,
        consented_to_processing_at=now,
        language=language,
    )
    token = submission.issue_status_token()
    submission.save()
    workflow.start(page, user=None)
    return SubmissionReceipt(submission=submission, status_token=token)


def store_images(
    title: str, proposed_images: list[ProposedImage], stored_files: list[str], first_number: int = 1
) -> list:
    """Save the cleaned images in the private collection; each file's name goes in
    `stored_files`, for the caller to delete if its transaction fails."""
    collection = submissions_collection()
    image_model = get_image_model()
    images = []
    for number, proposed in enumerate(proposed_images, start=first_number):
        clean = proposed.image
        name = f"submission-{secrets.token_hex(8)}.{clean.extension}"
        image = image_model(
            title=f"{title[:200]} ({number})",
            collection=collection,
            file=ContentFile(clean.content, name=name),
        )
        image._set_image_file_metadata()  # size and hash, as Wagtail's own upload form does
        image.save()
        stored_files.append(image.file.name)
        images.append(image)
    return images


def submissions_collection() -> Collection:
    collection = Collection.objects.filter(name=SUBMISSIONS_COLLECTION_NAME).first()
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=SUBMISSIONS_COLLECTION_NAME)
    return collection


def _match_or_create_maker(described: NewMaker | None) -> Maker:
    """An existing maker of the same name, else a new one kept hidden until published."""
    assert described is not None  # noqa: S101 - the form guarantees one maker or the other
    slug = slug_base(described.name, 180, "maker")
    # A maker whose name makes the same slug is the same maker, so the slug is free below.
    existing = (
        Maker.objects.filter(slug=slug).first()
        or Maker.objects.filter(name__iexact=described.name).first()
    )
    if existing is not None:
        return existing
    return Maker.objects.create(
        name=described.name,
        slug=slug,
        kind=described.kind,
        website=described.website,
        is_public=False,
    )


def _body(proposal: Proposal) -> list[tuple[str, object]]:
    """The description as escaped paragraphs, then the video: no submitted markup survives."""
    blocks: list[tuple[str, object]] = [
        ("paragraph", RichText(linebreaks(paragraph, autoescape=True)))
        for paragraph in proposal.description.replace("\r\n", "\n").split("\n\n")
        if paragraph.strip()
    ]
    if proposal.video_url:
        blocks.append(("video", {"embed": proposal.video_url, "caption": ""}))
    return blocks
