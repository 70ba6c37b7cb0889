"""`purge_submission_contacts`, run daily by cron: what goes, when, and what stays."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.images import get_image_model

from poc_catalogue.models import POCPage
from poc_catalogue.submissions.models import Submission, SubmissionStatus
from tests.processes import manage, run_worker

from .conftest import form_data

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def make_submission(title: str, *, status=SubmissionStatus.RECEIVED, age_days: int = 0):
    now = timezone.now()
    submission = Submission(
        title=title,
        status=status,
        contact_name="Camille",
        contact_email="camille@example.org",
        contact_phone="0320000000",
        consented_to_publication_at=now,
        consented_to_processing_at=now,
        created_at=now - timedelta(days=age_days),
    )
    submission.issue_status_token()
    submission.save()
    return submission


def purge(*args: str):
    result = manage("purge_submission_contacts", *args, SUBMISSION_CONTACT_RETENTION_DAYS="30")
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_purge_erases_rejected_and_old_contacts_only():
    rejected = make_submission("Refusée", status=SubmissionStatus.REJECTED)
    old = make_submission("Ancienne", status=SubmissionStatus.PUBLISHED, age_days=31)
    recent = make_submission("Récente", age_days=2)

    output = purge()

    for submission in (rejected, old):
        submission.refresh_from_db()
        assert not submission.has_contact_details
        assert submission.contact_purged_at is not None
    recent.refresh_from_db()
    assert recent.contact_email == "camille@example.org"
    assert "2/2" in output
    assert "Purged the contact details of 2 submission(s)" in output


def test_dry_run_changes_nothing():
    submission = make_submission("Refusée", status=SubmissionStatus.REJECTED)
    output = purge("--dry-run")
    submission.refresh_from_db()
    assert submission.has_contact_details
    assert "Would purge the contact details of 1 submission(s)" in output


def refuse(submission: Submission) -> None:
    moderator = get_user_model().objects.create_superuser("moderation", "m@example.org", "x")
    task_state = POCPage.objects.get(pk=submission.page_id).current_workflow_task_state
    task_state.task.specific.on_action(task_state, moderator, "refuse", comment="Hors sujet.")


def test_rejected_drafts_and_their_images_go_once_the_retention_period_has_passed(client):
    client.post("/submit/", form_data())
    submission = Submission.objects.get()
    image = POCPage.objects.get(pk=submission.page_id).hero_image
    image_file = Path(settings.MEDIA_ROOT) / image.file.name
    assert image_file.exists()
    refuse(submission)

    assert "deleted 0 rejected draft(s)" in purge()
    assert POCPage.objects.filter(pk=submission.page_id).exists()

    Submission.objects.update(updated_at=timezone.now() - timedelta(days=31))
    output = purge()
    assert "deleted 1 rejected draft(s) and 1 of their image(s)" in output
    submission.refresh_from_db()
    assert submission.page_id is None
    assert submission.status == SubmissionStatus.REJECTED
    assert not get_image_model().objects.filter(pk=image.pk).exists()
    # Wagtail deletes the file itself from a task, once the worker runs it.
    assert run_worker().returncode == 0
    assert not image_file.exists()


def test_an_image_another_poc_uses_is_kept():
    from tests.factories import make_poc

    rejected = make_submission("Refusée", status=SubmissionStatus.REJECTED)
    shared = make_poc("Publié avec la même photo")
    draft = make_poc("Brouillon refusé", publish=False, hero_image=shared.hero_image)
    Submission.objects.filter(pk=rejected.pk).update(
        page=draft, updated_at=timezone.now() - timedelta(days=31)
    )
    assert "deleted 1 rejected draft(s) and 0 of their image(s)" in purge()
    assert get_image_model().objects.filter(pk=shared.hero_image_id).exists()


def test_images_kept_from_refused_attempts_go_after_a_day(client, settings):
    refused = client.post("/submit/", form_data(title=""))
    assert refused.status_code == 400
    kept_dir = Path(settings.SUBMISSION_KEPT_IMAGES_DIR)
    old = set(kept_dir.iterdir())  # the image and its thumbnail
    yesterday = (timezone.now() - timedelta(hours=25)).timestamp()
    for path in old:
        os.utime(path, (yesterday, yesterday))
    client.post("/submit/", form_data(title=""))
    fresh = set(kept_dir.iterdir()) - old
    assert len(old) == len(fresh) == 2

    result = manage(
        "purge_submission_contacts",
        SUBMISSION_CONTACT_RETENTION_DAYS="30",
        SUBMISSION_KEPT_IMAGES_DIR=str(kept_dir),
    )
    assert result.returncode == 0, result.stderr
    assert "deleted 2 file(s) kept from refused attempts" in result.stdout
    assert set(kept_dir.iterdir()) == fresh
