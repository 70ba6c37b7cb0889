"""When a commenter's email goes: as submission contacts go (`submissions.retention`).

As soon as the comment is rejected (no reply is owed), and for every comment once
`SUBMISSION_CONTACT_RETENTION_DAYS` have passed. The comment stays, without the address.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet

from .models import Comment, CommentStatus


def emails_due(cutoff: datetime) -> QuerySet[Comment]:
    return (
        Comment.objects.filter(Q(status=CommentStatus.REJECTED) | Q(created_at__lt=cutoff))
        .exclude(email="")
        .order_by("pk")
    )
