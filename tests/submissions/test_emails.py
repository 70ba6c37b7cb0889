"""Emails are plain text: what a maker typed arrives as typed, and a subject stays one line."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core import mail
from django.utils import translation

from poc_catalogue.models import POCPage
from poc_catalogue.submissions.models import Submission
from poc_catalogue.submissions.notifications import alert_moderators, render_email

from .conftest import form_data
from .test_journey import approve

pytestmark = pytest.mark.django_db

HOSTILE_TITLE = "L'atelier \"Bancs\" & <co> de l'Épeule"
# What an HTML-escaping template makes of ', ", & and <.
ENTITIES = re.compile(r"&(#x?[0-9a-f]+|amp|lt|gt|quot|apos);", re.IGNORECASE)


def assert_plain_text(email) -> None:
    assert "\n" not in email.subject and "\r" not in email.subject, email.subject
    assert not ENTITIES.search(email.subject), email.subject
    assert not ENTITIES.search(email.body), email.body


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_every_email_of_a_review_keeps_the_title_as_typed(
    client, moderator, django_capture_on_commit_callbacks, prefix
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{prefix}/submit/", form_data(title=HOSTILE_TITLE), follow=True)
    page = Submission.objects.get().page
    task_state = POCPage.objects.get(pk=page.pk).current_workflow_task_state
    with django_capture_on_commit_callbacks(execute=True):
        task_state.task.specific.on_action(
            task_state, moderator, "reject", comment="Une photo de l'Épeule & <b>du quartier</b>"
        )
        page = POCPage.objects.get(pk=page.pk)
        page.save_revision(user=moderator)
        page.current_workflow_state.resume(user=moderator)
        approve(page, moderator)

    assert len(mail.outbox) >= 3
    for email in mail.outbox:
        assert_plain_text(email)
    receipt = next(email for email in mail.outbox if email.to == ["camille@example.org"])
    assert "/submit/status/" in receipt.body
    alert = next(email for email in mail.outbox if "/admin/pages/" in email.body)
    assert HOSTILE_TITLE in alert.subject
    assert HOSTILE_TITLE in alert.body
    assert all(HOSTILE_TITLE in email.subject for email in mail.outbox if "Bancs" in email.subject)


def test_a_title_cannot_break_the_subject_line(
    client, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/submit/", form_data(title="Bancs\r\nBcc: everyone@example.org"))
    assert mail.outbox[-1].subject.endswith("«\u00a0Bancs Bcc: everyone@example.org\u00a0»")
    # A title that reached the record some other way (the admin, an import) is no better.
    Submission.objects.update(title="Bancs\r\nBcc: everyone@example.org\n\nHello")
    mail.outbox.clear()
    alert_moderators.call(Submission.objects.get().pk)
    (email,) = mail.outbox
    assert email.subject.endswith("«\u00a0Bancs Bcc: everyone@example.org Hello\u00a0»")
    assert email.bcc == []


class Typed(str):
    """Text as someone typed it, which is also a comment whose reply is the same text."""

    @property
    def reply(self) -> str:
        return str(self)


def email_templates() -> list[str]:
    """Every email the site sends: a `<name>_subject.txt` beside a `<name>.txt`."""
    root = Path(settings.BASE_DIR) / "templates"
    return sorted(
        str(path.relative_to(root)).removesuffix("_subject.txt")
        for path in root.rglob("*_subject.txt")
    )


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("template", email_templates())
def test_every_email_template_is_plain_text(template, language):
    hostile = SimpleNamespace(title=HOSTILE_TITLE, comment=HOSTILE_TITLE, name=HOSTILE_TITLE)
    context = {
        "submission": hostile,
        "page": hostile,
        "admin_url": "https://poc.example.org/admin/pages/1/edit/?a=1&b=2",
        "status_url": "https://poc.example.org/submit/status/a&b/",
        "proposals": [{"status_url": "https://poc.example.org/submit/status/a&b/"}],
        "retention_days": 365,
        # A moderator's comment to a maker, or a visitor's comment with the staff's reply.
        "comment": Typed(HOSTILE_TITLE),
        "poc_title": HOSTILE_TITLE,
        "poc_url": "https://poc.example.org/catalogue/banc/?a=1&b=2",
    }
    with translation.override(language):
        subject, body = render_email(template, context)
    email = SimpleNamespace(subject=subject, body=body)
    assert_plain_text(email)
    assert "?a=1&b=2" in body or "a&b" in body
    if "title" in (Path(settings.BASE_DIR) / "templates" / f"{template}_subject.txt").read_text():
        assert HOSTILE_TITLE in subject
