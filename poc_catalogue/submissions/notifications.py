"""Emails about a submission: a receipt for the submitter, an alert for the moderators.

Each email is a task on the durable queue, queued in the transaction that saves the
submission: it exists if and only if the submission does, and a mail server that is down or
refuses costs nothing but a later retry (`SUBMISSION_EMAIL_RETRY_DELAYS`). The maker's
confirmation page never waits for SMTP.

The receipt goes to an address anybody can type into the form, so it carries no text the
submitter typed: the form must not relay messages to strangers. Moderators' emails carry no
contact details: those stay in the admin, behind a permission.
"""

from __future__ import annotations

import functools
import logging
import smtplib
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.backends.django import DjangoTemplates
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task
from django_tasks.base import Task

from .models import Submission
from .moderators import moderator_addresses

logger = logging.getLogger(__name__)

# What a refusing or unreachable mail server raises.
MAIL_FAILURES = (smtplib.SMTPException, OSError)


def announce_submission(submission: Submission, *, site_url: str, language: str) -> None:
    """Queue the receipt and the moderators' alert; call inside the saving transaction."""
    send_submission_receipt.enqueue(submission.pk, site_url=site_url, language=language)
    alert_moderators.enqueue(submission.pk)


@task()
def send_submission_receipt(
    submission_id: int, *, site_url: str, language: str, attempt: int = 1
) -> dict[str, Any]:
    submission = Submission.objects.filter(pk=submission_id).first()
    if submission is None or not submission.contact_email:
        return {"sent": 0, "reason": "no submission or no address any more"}
    with translation.override(language):
        status_url = site_url.rstrip("/") + reverse(
            "submissions:status", kwargs={"token": submission.current_status_token()}
        )
        context = {
            "status_url": status_url,
            "retention_days": settings.SUBMISSION_CONTACT_RETENTION_DAYS,
        }
        return _send_or_retry(
            send_submission_receipt,
            lambda: _send("submissions/email/receipt", context, [submission.contact_email]),
            attempt,
            submission_id,
            site_url=site_url,
            language=language,
        )


@task()
def alert_moderators(submission_id: int, *, attempt: int = 1) -> dict[str, Any]:
    submission = Submission.objects.filter(pk=submission_id).first()
    if submission is None or submission.page_id is None:
        return {"sent": 0, "reason": "no submission or no draft any more"}
    admin_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "wagtailadmin_pages:edit", args=[submission.page_id]
    )
    with translation.override(settings.LANGUAGE_CODE):
        context = {"submission": submission, "admin_url": admin_url}
        return _send_or_retry(
            alert_moderators,
            lambda: _send("submissions/email/moderators", context, moderator_addresses()),
            attempt,
            submission_id,
        )


def _send_or_retry(
    retried: Task, send: Callable[[], int], attempt: int, *args: Any, **kwargs: Any
) -> dict[str, Any]:
    """Send now; if the mail server fails, queue the same task again after a delay."""
    try:
        return {"sent": send()}
    except MAIL_FAILURES as error:
        delays = settings.SUBMISSION_EMAIL_RETRY_DELAYS
        if attempt > len(delays) or not retried.get_backend().supports_defer:
            logger.error("Gave up sending %s after %d attempt(s): %s", retried.name, attempt, error)
            raise
        delay = delays[attempt - 1]
        retried.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
            *args, attempt=attempt + 1, **kwargs
        )
        logger.warning(
            "The mail server did not take %s (%s: %s); attempt %d in %d s.",
            retried.name,
            error.__class__.__name__,
            error,
            attempt + 1,
            delay,
        )
        return {"sent": 0, "retry_in_seconds": delay}


@functools.cache
def text_templates() -> DjangoTemplates:
    """The site's templates without HTML escaping: an email's subject and body are plain text,
    where `l'Épeule` must not arrive as `l&#x27;Épeule`. Every email renders through it, so a
    new template cannot forget `{% autoescape off %}`."""
    site = settings.TEMPLATES[0]
    return DjangoTemplates(
        {
            "NAME": "text",
            "DIRS": site["DIRS"],
            "APP_DIRS": site["APP_DIRS"],
            "OPTIONS": {"autoescape": False},
        }
    )


def render_email(template: str, context: dict) -> tuple[str, str]:
    """The subject, on one line (a header never holds a newline), and the body of an email."""
    subject_lines = text_templates().get_template(f"{template}_subject.txt").render(context)
    # Joined on line breaks only: the non-breaking spaces of French typography stay.
    subject = " ".join(line.strip() for line in subject_lines.splitlines() if line.strip())
    body = text_templates().get_template(f"{template}.txt").render(context)
    return subject, body


def _send(template: str, context: dict, recipients: list[str]) -> int:
    if not recipients:
        logger.warning("No recipient for %s", template)
        return 0
    subject, body = render_email(template, context)
    return send_mail(subject, body, None, recipients)
