"""A per-client limit on the submission form, kept in the database.

Counting rows in `SubmissionAttempt` makes the limit hold across every worker process and
machine that share the database, without needing a shared cache. Clients are stored only as
a keyed hash of their network (see `clients`). Other public forms (comments) count their own
posts in the same table, under a key of their own scope.

Every post is recorded *before* any work is done on it, then the recent rows are counted,
this one included: whatever the interleaving of concurrent posts, the n-th row committed sees
at least n rows, so no more than the limit get through (a burst may be refused a little early,
never late).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from .clients import client_address_of, client_network
from .models import SubmissionAttempt

WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class RateLimit:
    """At most `submissions` successful submissions and `attempts` posts per client per hour."""

    submissions: int
    attempts: int

    @classmethod
    def from_settings(cls) -> RateLimit:
        return cls(
            submissions=settings.SUBMISSION_RATE_LIMIT_PER_HOUR,
            attempts=settings.SUBMISSION_ATTEMPT_LIMIT_PER_HOUR,
        )


def client_key(request: HttpRequest, scope: str = "") -> str:
    """The client's network, hashed; a `scope` counts another form's posts apart (comments)."""
    network = client_network(client_address_of(request))
    message = f"{scope}:{network}" if scope else network
    return hmac.new(settings.SECRET_KEY.encode(), message.encode(), hashlib.sha256).hexdigest()


def _recent(key: str) -> QuerySet[SubmissionAttempt]:
    return SubmissionAttempt.objects.filter(
        client_hash=key, created_at__gte=timezone.now() - WINDOW
    )


def admit(key: str, limit: RateLimit | None = None) -> SubmissionAttempt | None:
    """Record a post from this client; None when it is over either limit."""
    limit = limit or RateLimit.from_settings()
    attempt = SubmissionAttempt.objects.create(client_hash=key)
    counts = _recent(key).aggregate(
        posts=Count("pk"), submissions=Count("pk", filter=Q(succeeded=True))
    )
    if counts["posts"] > limit.attempts or counts["submissions"] >= limit.submissions:
        return None
    return attempt


def claim_submission(attempt: SubmissionAttempt, limit: RateLimit | None = None) -> bool:
    """Count this attempt as a submission, unless that would pass the limit."""
    limit = limit or RateLimit.from_settings()
    attempt.succeeded = True
    attempt.save(update_fields=["succeeded"])
    if _recent(attempt.client_hash).filter(succeeded=True).count() > limit.submissions:
        release_submission(attempt)
        return False
    return True


def release_submission(attempt: SubmissionAttempt) -> None:
    """The claimed submission was not made after all (the save failed)."""
    attempt.succeeded = False
    attempt.save(update_fields=["succeeded"])


def forget_old_attempts() -> int:
    deleted, _ = SubmissionAttempt.objects.filter(
        created_at__lt=timezone.now() - WINDOW * 24
    ).delete()
    return deleted
