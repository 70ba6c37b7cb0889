"""The public side of submissions: the form, the thank-you page, the private status page.

A post is weighed before it is read: the client's rate limit (the attempt recorded first),
its declared size, then CSRF, and only then is the body parsed. Django's CSRF check
reads the body to find the token, which is why the view does it itself, last.

A refused post keeps the images it got right (`kept_images`), for this client session only.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from . import ratelimit
from .forms import SubmissionForm
from .image_forms import IMAGE_SLOTS
from .intake import receive_submission
from .kept_images import KeptImages
from .models import Submission, SubmissionAttempt, SubmissionStatus
from .uploads import MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS, MAX_TOTAL_PIXELS

SESSION_TOKEN_KEY = "submissions:last_status_token"  # noqa: S105 - a session key name
# Eight images at the limit plus the text fields; anything bigger is not a real submission.
MAX_REQUEST_BYTES = IMAGE_SLOTS * MAX_IMAGE_BYTES + 1024 * 1024


def _private(response: HttpResponse) -> HttpResponse:
    """Pages that carry a status token: never cached, indexed or leaked through Referer."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def declared_length(request: HttpRequest) -> int | None:
    """The body size the client announced, None when the header is not a number."""
    raw = request.META.get("CONTENT_LENGTH") or "0"
    return int(raw) if raw.isascii() and raw.isdigit() else None


@never_cache
@csrf_exempt  # checked by `_receive`, once the post is admitted: see the module docstring
def submit(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _form_page(request, SubmissionForm())
    length = declared_length(request)
    if length is None:
        return HttpResponseBadRequest()
    attempt = ratelimit.admit(ratelimit.client_key(request))
    if attempt is None:
        return render(request, "submissions/rate_limited.html", status=429)
    if length > MAX_REQUEST_BYTES:
        return render(request, "submissions/too_large.html", status=413)
    request.submission_attempt = attempt
    return _receive(request)


@csrf_protect
def _receive(request: HttpRequest) -> HttpResponse:
    attempt: SubmissionAttempt = request.submission_attempt
    form = SubmissionForm(request.POST, request.FILES, kept_images=KeptImages(request.session))
    if form.honeypot_filled:
        return redirect("submissions:thanks")
    if not form.is_valid():
        form.images.keep_accepted_images()
        return _form_page(request, form, status=400)
    if not ratelimit.claim_submission(attempt):
        return render(request, "submissions/rate_limited.html", status=429)
    try:
        receipt = receive_submission(
            form.to_proposal(),
            site_url=request.build_absolute_uri("/"),
            language=get_language() or "fr",
        )
    except Exception:
        ratelimit.release_submission(attempt)
        raise
    form.images.forget_kept_images()
    request.session[SESSION_TOKEN_KEY] = receipt.status_token
    return redirect("submissions:thanks")


def _form_page(request: HttpRequest, form: SubmissionForm, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "retention_days": settings.SUBMISSION_CONTACT_RETENTION_DAYS,
        "privacy_email": settings.SUBMISSION_PRIVACY_EMAIL,
        "image_limits": {
            "megabytes": MAX_IMAGE_BYTES // (1024 * 1024),
            "megapixels": MAX_IMAGE_PIXELS // 1_000_000,
            "total_megapixels": MAX_TOTAL_PIXELS // 1_000_000,
        },
    }
    return render(request, "submissions/submit.html", context, status=status)


@never_cache
def thanks(request: HttpRequest) -> HttpResponse:
    token = request.session.pop(SESSION_TOKEN_KEY, None)
    return _private(render(request, "submissions/thanks.html", {"status_token": token}))


@never_cache
def kept_image_thumbnail(request: HttpRequest, token: str) -> HttpResponse:
    """The thumbnail of an image kept from a refused attempt, for the session that sent it."""
    thumbnail = KeptImages(request.session).thumbnail(token)
    if thumbnail is None:
        raise Http404
    return _private(HttpResponse(thumbnail, content_type="image/jpeg"))


@never_cache
def status(request: HttpRequest, token: str) -> HttpResponse:
    submission = (
        Submission.objects.with_status_token(token).select_related("page").first()
        if len(token) < 100
        else None
    )
    if submission is None:
        raise Http404
    context = {
        "submission": submission,
        "Status": SubmissionStatus,
        "steps": _steps(submission.status),
    }
    return _private(render(request, "submissions/status.html", context))


def _steps(current: str) -> list[dict]:
    """The path a proposal follows, with where this one stands, for the status page."""
    path = [SubmissionStatus.RECEIVED, SubmissionStatus.IN_REVIEW, SubmissionStatus.PUBLISHED]
    if current == SubmissionStatus.CHANGES_REQUESTED:
        path.insert(2, SubmissionStatus.CHANGES_REQUESTED)
    elif current == SubmissionStatus.REJECTED:
        path[2] = SubmissionStatus.REJECTED
    position = path.index(SubmissionStatus(current))
    return [
        {
            "status": step,
            "label": step.label,
            "state": "done" if index < position else "current" if index == position else "todo",
        }
        for index, step in enumerate(path)
    ]
