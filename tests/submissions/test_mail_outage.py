"""The mail server is away when a maker submits: nothing is lost, the mail goes out later."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import get_user_model
from django_tasks_db.models import DBTaskResult

from poc_catalogue.models import POCPage
from poc_catalogue.submissions.models import Submission, SubmissionAttempt, SubmissionStatus
from tests.mailserver import free_port, smtp_env
from tests.processes import run_worker

from .conftest import form_data, inventory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MODERATORS = "moderation@example.org"


def mail_tasks():
    return DBTaskResult.objects.filter(task_path__startswith="poc_catalogue.submissions.")


def worker(port: int):
    env = smtp_env(port, SUBMISSION_EMAIL_RETRY_DELAYS="1,1")
    result = run_worker(**env, SUBMISSION_MODERATOR_EMAILS=MODERATORS)
    assert result.returncode == 0, result.stderr
    return result


def test_a_submission_made_during_a_mail_outage_is_kept_whole_and_mailed_later(
    client, durable_queue, smtp_server
):
    response = client.post("/submit/", form_data(), follow=True)
    assert response.status_code == 200
    assert "Merci, votre proposition est bien partie" in response.content.decode()
    saved = inventory()
    assert (saved.pages, saved.submissions, saved.images) == (1, 1, 1)
    assert SubmissionAttempt.objects.filter(succeeded=True).count() == 1
    assert mail_tasks().count() == 2

    # The mail server refuses connections: the emails wait, the proposal is untouched.
    refused = worker(free_port())
    assert "attempt 2 in 1 s" in refused.stderr
    assert inventory() == saved
    assert mail_tasks().filter(status="READY").count() == 2
    assert smtp_server.messages == []

    time.sleep(1.5)
    worker(smtp_server.port)
    [receipt] = smtp_server.to("camille@example.org")
    [alert] = smtp_server.to(MODERATORS)
    assert alert["Subject"].strip() == (
        "Nouvelle proposition de POC à examiner\u00a0: «\u00a0Bancs partagés de Roubaix\u00a0»"
    )
    body = receipt.get_content()
    status_path = body[body.index("/submit/status/") :].split()[0]
    status = client.get(status_path)
    assert status.status_code == 200
    assert "Bancs partagés de Roubaix" in status.content.decode()
    assert inventory() == saved
    assert Submission.objects.get().status_token_hash


def test_the_receipt_relays_nothing_the_submitter_typed(client, durable_queue, smtp_server):
    spam = "Gagnez un iPhone sur http://spam.example"
    response = client.post(
        "/submit/", form_data(title=spam, contact_name=spam, summary=spam), follow=True
    )
    assert response.status_code == 200
    worker(smtp_server.port)
    [receipt] = smtp_server.to("camille@example.org")
    assert "spam.example" not in receipt.as_string()
    assert "iPhone" not in receipt.as_string()


def test_the_makers_status_emails_wait_out_an_outage_too(client, durable_queue, smtp_server):
    """Changes asked, then the maker's link asked again, while the mail server is away."""
    client.post("/submit/", form_data(), follow=True)
    submission = Submission.objects.get()
    page = POCPage.objects.get(pk=submission.page_id)
    task_state = page.current_workflow_task_state
    moderator = get_user_model().objects.create_superuser("chief", "chief@example.org", "pw")
    task_state.task.specific.on_action(task_state, moderator, "reject", comment="Une photo.")
    client.post("/submit/lost-link/", {"email": "camille@example.org"})
    assert Submission.objects.get().status == SubmissionStatus.CHANGES_REQUESTED
    assert mail_tasks().filter(task_path__endswith="send_status_update").count() == 1
    assert mail_tasks().filter(task_path__endswith="send_lost_links").count() == 1

    worker(free_port())
    assert mail_tasks().filter(status="READY").count() == 4  # each retried later
    time.sleep(1.5)
    worker(smtp_server.port)
    subjects = sorted(mail["Subject"].strip() for mail in smtp_server.to("camille@example.org"))
    assert subjects == [
        "Des modifications sont demandées pour votre proposition de POC",
        "Les liens pour suivre vos propositions de POC",
        "Nous avons reçu votre proposition de POC",
    ]
