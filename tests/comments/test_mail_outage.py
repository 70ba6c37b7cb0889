"""The mail server is away when a moderator replies: the reply is kept and mailed later."""

from __future__ import annotations

import time

import pytest
from django_tasks_db.models import DBTaskResult

from poc_catalogue.comments.models import Comment, CommentStatus
from tests.factories import make_poc
from tests.mailserver import free_port, smtp_env
from tests.processes import run_worker

from .conftest import make_comment

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def reply_tasks():
    return DBTaskResult.objects.filter(task_path__startswith="poc_catalogue.comments.")


def worker(port: int):
    result = run_worker(**smtp_env(port, SUBMISSION_EMAIL_RETRY_DELAYS="1,1"))
    assert result.returncode == 0, result.stderr
    return result


def test_a_reply_during_a_mail_outage_is_kept_and_mailed_later(
    moderator_client, durable_queue, smtp_server
):
    poc = make_poc("Jardin de pluie")
    comment = make_comment(poc, CommentStatus.APPROVED, email="cam@example.org")

    response = moderator_client.post(
        f"/admin/comment_moderation/edit/{comment.pk}/", {"reply": "Merci, bonne idée."}
    )

    assert response.status_code == 302
    assert reply_tasks().count() == 1
    refused = worker(free_port())
    assert "attempt 2 in 1 s" in refused.stderr
    assert Comment.objects.get().reply == "Merci, bonne idée."
    assert smtp_server.messages == []

    time.sleep(1.5)
    worker(smtp_server.port)
    [email] = smtp_server.to("cam@example.org")
    assert "Jardin de pluie" in email["Subject"]
    assert "Merci, bonne idée." in email.get_content()
