"""The staff reply, emailed to a commenter who left an address.

A task on the durable queue, queued in the transaction that saves the reply; a mail server
that is down costs a later retry, as for submission emails (`SUBMISSION_EMAIL_RETRY_DELAYS`).
The email carries the staff's words and the POC's address, never what a visitor typed: the
form cannot relay a stranger's text to an address anybody can type.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django_tasks import task

from poc_catalogue.submissions.notifications import render_email, send_or_retry

from .models import Comment


@task()
def send_comment_reply(comment_id: int, *, language: str, attempt: int = 1) -> dict[str, Any]:
    comment = Comment.objects.select_related("page").filter(pk=comment_id).first()
    if comment is None or not comment.email or not comment.reply:
        return {"sent": 0, "reason": "no comment, address or reply any more"}
    with translation.override(language):
        context = {
            "comment": comment,
            "poc_title": comment.page.title,
            "poc_url": comment.page.get_full_url(),
            "retention_days": settings.SUBMISSION_CONTACT_RETENTION_DAYS,
        }
        subject, body = render_email("comments/email/reply", context)
        return send_or_retry(
            send_comment_reply,
            lambda: send_mail(subject, body, None, [comment.email]),
            attempt,
            comment_id,
            language=language,
        )
