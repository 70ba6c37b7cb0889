"""A per-address limit on the submission form, kept in the database.

Counting rows in `SubmissionAttempt` makes the limit hold across every worker process and
machine that share the database, without needing a shared cache. Addresses are stored only
as a keyed hash.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from .models import SubmissionAttempt

WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class RateLimit:
    """At most `submissions` successful submissions and `attempts` posts per address per hour."""

    submissions: int
    attempts: int

    @classmethod
    def from_settings(cls) -> RateLimit:
        return cls(
            submissions=settings.SUBMISSION_RATE_LIMIT_PER_HOUR,
            attempts=settings.SUBMISSION_ATTEMPT_LIMIT_PER_HOUR,
        )


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or the address our own proxies saw when we sit behind some.

    Only the last SUBMISSION_TRUSTED_PROXY_COUNT entries of X-Forwarded-For were written by
    proxies we run; anything before them is whatever the client claimed.
    """
    proxies = settings.SUBMISSION_TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def client_key(request: HttpRequest) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), client_address(request).encode(), hashlib.sha256
    ).hexdigest()


def is_rate_limited(key: str, limit: RateLimit | None = None) -> bool:
    limit = limit or RateLimit.from_settings()
    recent = SubmissionAttempt.objects.filter(
        client_hash=key, created_at__gte=timezone.now() - WINDOW
    )
    return (
        recent.filter(succeeded=True).count() >= limit.submissions
        or recent.count() >= limit.attempts
    )


def record_attempt(key: str, *, succeeded: bool) -> None:
    SubmissionAttempt.objects.create(client_hash=key, succeeded=succeeded)


def forget_old_attempts() -> int:
    deleted, _ = SubmissionAttempt.objects.filter(
        created_at__lt=timezone.now() - WINDOW * 24
    ).delete()
    return deleted
