"""What moderators and visitors do to a comment, and what it changes on the POC page.

A POC page is served whole from a cache (`published_cache`); any change to what a page shows
(a comment approved, rejected after approval, reported, or a reply to a shown comment) raises
the published version, so the next visitor gets the page rendered again. A comment waiting for
moderation changes no page, so posting one never empties the cache.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from poc_catalogue.published_cache import bump

from .models import Comment, CommentStatus
from .notifications import send_comment_reply


def _decide(comments: Iterable[Comment], status: str, user) -> int:
    """Give each comment `status`; the number whose status changed."""
    changed = 0
    shown_changed = False
    now = timezone.now()
    for comment in comments:
        if comment.status == status and not comment.reported:
            continue
        shown_changed = shown_changed or comment.is_published or status == CommentStatus.APPROVED
        comment.status = status
        comment.reported = False
        comment.moderated_at = now
        comment.moderated_by = user
        comment.save(update_fields=["status", "reported", "moderated_at", "moderated_by"])
        changed += 1
    if shown_changed:
        bump()
    return changed


@transaction.atomic
def approve(comments: Iterable[Comment], user) -> int:
    return _decide(comments, CommentStatus.APPROVED, user)


@transaction.atomic
def reject(comments: Iterable[Comment], user) -> int:
    return _decide(comments, CommentStatus.REJECTED, user)


@transaction.atomic
def report(comment: Comment) -> None:
    """A visitor's report takes the comment off the page, back to the moderators' queue."""
    if not comment.is_published:
        return
    comment.status = CommentStatus.PENDING
    comment.reported = True
    comment.save(update_fields=["status", "reported"])
    bump()


@transaction.atomic
def reply(comment: Comment, text: str, *, language: str) -> bool:
    """Save the staff reply (shown under the comment once approved) and queue its email to the
    commenter, when they left an address; whether an email was queued."""
    comment.reply = text
    comment.replied_at = timezone.now() if text else None
    comment.save(update_fields=["reply", "replied_at"])
    if comment.is_published:
        bump()
    if not (text and comment.email):
        return False
    send_comment_reply.enqueue(comment.pk, language=language)
    return True
