"""Emails about a submission: a receipt and one email per change of status for the submitter,
an alert for the moderators, the status links again for a maker who lost them.

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
from django.db.models import Q
from django.template.backends.django import DjangoTemplates
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task
from django_tasks.base import Task

from .models import Submission, SubmissionStatus
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
        return send_or_retry(
            send_submission_receipt,
            lambda: _send("submissions/email/receipt", context, [submission.contact_email]),
            attempt,
            submission_id,
            site_url=site_url,
            language=language,
        )


@task()
def alert_moderators(
    submission_id: int, *, revised: bool = False, attempt: int = 1
) -> dict[str, Any]:
    submission = Submission.objects.filter(pk=submission_id).first()
    if submission is None or submission.page_id is None:
        return {"sent": 0, "reason": "no submission or no draft any more"}
    admin_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "wagtailadmin_pages:edit", args=[submission.page_id]
    )
    with translation.override(settings.LANGUAGE_CODE):
        context = {"submission": submission, "admin_url": admin_url, "revised": revised}
        return send_or_retry(
            alert_moderators,
            lambda: _send("submissions/email/moderators", context, moderator_addresses()),
            attempt,
            submission_id,
            revised=revised,
        )


def tell_maker(submission_id: int, status: SubmissionStatus) -> None:
    """Queue the maker's email about a new status; call inside the transaction that sets it."""
    send_status_update.enqueue(submission_id, status=str(status))


@task()
def send_status_update(submission_id: int, *, status: str, attempt: int = 1) -> dict[str, Any]:
    """Where the proposal stands now, and the link to see it: nothing anybody typed.

    Sent for the status it was queued for, even if the proposal moved on since: each change
    gets its one email, in order.
    """
    submission = Submission.objects.select_related("page").filter(pk=submission_id).first()
    if submission is None or not submission.contact_email:
        return {"sent": 0, "reason": "no submission or no address any more"}
    page = submission.page
    with translation.override(submission.language):
        context = {
            "status": status,
            "Status": SubmissionStatus,
            "status_url": _status_url(submission),
            "poc_url": page.full_url if page is not None and page.live else "",
        }
        return send_or_retry(
            send_status_update,
            lambda: _send("submissions/email/status_update", context, [submission.contact_email]),
            attempt,
            submission_id,
            status=status,
        )


LOST_LINK_INTERVAL = timedelta(hours=1)


def submissions_to_remind(email: str) -> list[int]:
    """The proposals sent from this address whose link may be sent again now."""
    recently = timezone.now() - LOST_LINK_INTERVAL
    return list(
        Submission.objects.filter(contact_email__iexact=email.strip())
        .filter(Q(status_link_resent_at__isnull=True) | Q(status_link_resent_at__lt=recently))
        .values_list("pk", flat=True)[:20]
    )


@task()
def send_lost_links(
    submission_ids: list[int], *, language: str, attempt: int = 1
) -> dict[str, Any]:
    """The status links of these proposals, to the address they were sent from.

    Queued for every request, known address or not (with no proposal then), so the answer
    and its timing tell nothing. Each link is the current token, derived again, never logged.
    """
    submissions = list(
        Submission.objects.filter(pk__in=submission_ids).exclude(contact_email="").order_by("pk")
    )
    if not submissions:
        return {"sent": 0, "reason": "no proposal for this request"}
    if attempt == 1:
        Submission.objects.filter(pk__in=[s.pk for s in submissions]).update(
            status_link_resent_at=timezone.now()
        )
    with translation.override(language):
        context = {
            "proposals": [
                {"created_at": submission.created_at, "status_url": _status_url(submission)}
                for submission in submissions
            ]
        }
        return send_or_retry(
            send_lost_links,
            lambda: _send("submissions/email/lost_links", context, [submissions[0].contact_email]),
            attempt,
            submission_ids,
            language=language,
        )


def _status_url(submission: Submission) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "submissions:status", kwargs={"token": submission.current_status_token()}
    )


def send_or_retry(
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
