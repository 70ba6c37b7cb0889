"""Emails about a submission: a receipt for the submitter, an alert for the moderators.

Called after the transaction commits, so nobody hears of a submission that was rolled back.
Moderators' emails carry no contact details: those stay in the admin, behind a permission.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import Submission

logger = logging.getLogger(__name__)

MODERATORS_GROUP_NAME = "Moderators"


def announce_submission(
    submission_id: int, *, status_token: str, site_url: str, language: str
) -> None:
    submission = Submission.objects.select_related("page").get(pk=submission_id)
    with translation.override(language):
        status_url = site_url.rstrip("/") + reverse(
            "submissions:status", kwargs={"token": status_token}
        )
        _send(
            "submissions/email/receipt",
            {
                "submission": submission,
                "status_url": status_url,
                "retention_days": settings.SUBMISSION_CONTACT_RETENTION_DAYS,
            },
            [submission.contact_email],
        )
    admin_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "wagtailadmin_pages:edit", args=[submission.page_id]
    )
    with translation.override(settings.LANGUAGE_CODE):
        _send(
            "submissions/email/moderators",
            {"submission": submission, "admin_url": admin_url},
            moderator_addresses(),
        )


def moderator_addresses() -> list[str]:
    members = (
        get_user_model()
        .objects.filter(groups__name=MODERATORS_GROUP_NAME, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    return sorted({*members, *settings.SUBMISSION_MODERATOR_EMAILS})


def _send(template: str, context: dict, recipients: list[str]) -> None:
    if not recipients:
        logger.warning("No recipient for %s", template)
        return
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}.txt", context)
    send_mail(subject, body, None, recipients)
