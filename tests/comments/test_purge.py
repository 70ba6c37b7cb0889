"""Commenters' emails go in the daily `purge_submission_contacts`, as submission contacts do."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from poc_catalogue.comments.models import CommentStatus
from tests.factories import make_poc
from tests.processes import manage

from .conftest import make_comment

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def purge(*args: str) -> str:
    result = manage("purge_submission_contacts", *args, SUBMISSION_CONTACT_RETENTION_DAYS="30")
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_rejected_and_old_comments_lose_their_email_and_nothing_else():
    poc = make_poc()
    email = "camille@example.org"
    old = make_comment(
        poc, CommentStatus.APPROVED, email=email, created_at=timezone.now() - timedelta(days=31)
    )
    rejected = make_comment(poc, CommentStatus.REJECTED, email=email)
    recent = make_comment(poc, CommentStatus.APPROVED, email=email, body="Récent.")

    assert "Would erase the email address of 2 comment(s)." in purge("--dry-run")
    old.refresh_from_db()
    assert old.email == email

    output = purge()

    assert output.strip().endswith("Erased the email address of 2 comment(s).")
    for comment in (old, rejected):
        comment.refresh_from_db()
        assert comment.email == ""
        assert comment.email_purged_at is not None
    old.refresh_from_db()
    assert old.status == CommentStatus.APPROVED and old.body == "Un commentaire."
    recent.refresh_from_db()
    assert recent.email == email
    assert "Erased the email address of 0 comment(s)." in purge()
