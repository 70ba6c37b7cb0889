"""Contact details are erased once rejected or past the retention period."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from poc_catalogue.submissions.models import Submission, SubmissionStatus

pytestmark = pytest.mark.django_db


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


def test_purge_erases_rejected_and_old_contacts_only(settings):
    settings.SUBMISSION_CONTACT_RETENTION_DAYS = 30
    rejected = make_submission("Refusée", status=SubmissionStatus.REJECTED)
    old = make_submission("Ancienne", status=SubmissionStatus.PUBLISHED, age_days=31)
    recent = make_submission("Récente", age_days=2)
    output = StringIO()

    call_command("purge_submission_contacts", stdout=output)

    for submission in (rejected, old):
        submission.refresh_from_db()
        assert not submission.has_contact_details
        assert submission.contact_purged_at is not None
    recent.refresh_from_db()
    assert recent.contact_email == "camille@example.org"
    assert "2/2" in output.getvalue()
    assert "Purged the contact details of 2 submission(s)" in output.getvalue()


def test_dry_run_changes_nothing():
    submission = make_submission("Refusée", status=SubmissionStatus.REJECTED)
    output = StringIO()
    call_command("purge_submission_contacts", "--dry-run", stdout=output)
    submission.refresh_from_db()
    assert submission.has_contact_details
    assert "Would purge the contact details of 1 submission(s)" in output.getvalue()
