"""Which POCs this browser supports: a signed cookie, the only place a support is tied to.

Threat model: the cookie is the visitor's own; signing (`django.core.signing`, keyed by
SECRET_KEY) stops a visitor from inventing one that withdraws supports they never gave, and a
tampered or foreign cookie reads as "supports nothing". Dropping the cookie lets a browser
support again: that is what the per-network rate limit (`limits`) bounds. The list is capped
so the cookie stays far below the 4 kB browsers keep.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponseBase

SALT = "poc_catalogue.supports.browsers"
# 300 ids of up to 10 digits, compressed and signed: about 1.5 kB at worst.
MAX_SUPPORTED = 300
MAX_AGE = 60 * 60 * 24 * 365 * 2


def supported_by(request: HttpRequest) -> list[int]:
    """The POCs this browser supports, oldest first; empty when the cookie is absent or forged."""
    value = request.COOKIES.get(settings.SUPPORT_COOKIE_NAME)
    if not value or len(value) > 4096:
        return []
    try:
        ids = signing.loads(value, salt=SALT, max_age=MAX_AGE)
    except (signing.BadSignature, ValueError):
        return []
    if not isinstance(ids, list):
        return []
    return [i for i in ids if type(i) is int and 0 < i < 2**31][:MAX_SUPPORTED]


def remember(response: HttpResponseBase, ids: list[int]) -> None:
    """Store `ids` in the browser (HttpOnly: only the server reads it, see `views.states`)."""
    response.set_cookie(
        settings.SUPPORT_COOKIE_NAME,
        signing.dumps(ids[:MAX_SUPPORTED], salt=SALT, compress=True),
        max_age=MAX_AGE,
        secure=settings.CSRF_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
