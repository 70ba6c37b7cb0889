"""Commenters' emails go with submission contacts, in the same daily purge."""

from __future__ import annotations

from datetime import datetime

from django.dispatch import receiver

from poc_catalogue.submissions.retention import contact_retention_due

from .retention import emails_due


@receiver(contact_retention_due)
def erase_commenters_emails(sender, *, cutoff: datetime, dry_run: bool, **kwargs) -> str:
    due = emails_due(cutoff)
    if dry_run:
        return f"Would erase the email address of {due.count()} comment(s)."
    erased = 0
    for comment in due.iterator():
        comment.purge_email()
        erased += 1
    return f"Erased the email address of {erased} comment(s)."
