"""The public side of submissions: the form, the thank-you page, the private status page and
what the maker does from it (revise, withdraw), and the "I lost my link" form.

A post is weighed before it is read: the client's rate limit (the attempt recorded first),
its declared size, then CSRF, and only then is the body parsed. Django's CSRF check
reads the body to find the token, which is why the view does it itself, last.

A refused post keeps the images it got right (`kept_images`), for this client session only.
"""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from . import notifications, ratelimit
from .forms import SubmissionForm
from .image_forms import IMAGE_SLOTS
from .intake import receive_submission
from .kept_images import KeptImages
from .models import Submission, SubmissionAttempt, SubmissionStatus
from .revision_forms import LostLinkForm, RevisionForm
from .revisions import NotEditable, NotWithdrawable, draft_of, revise_proposal, withdraw_proposal
from .uploads import MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS, MAX_TOTAL_PIXELS

SESSION_TOKEN_KEY = "submissions:last_status_token"  # noqa: S105 - a session key name
# Eight images at the limit plus the text fields; anything bigger is not a real submission.
MAX_REQUEST_BYTES = IMAGE_SLOTS * MAX_IMAGE_BYTES + 1024 * 1024


def _private(response: HttpResponse, referrer_policy: str = "no-referrer") -> HttpResponse:
    """Pages that carry a status token: never cached, indexed or leaked through Referer.

    A page with a form says `same-origin` instead: under `no-referrer` the browser posts it
    with `Origin: null`, which Django's CSRF check rightly refuses. The token then goes, in
    the Referer, only to this site, whose logs see it in the path anyway.
    """
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = referrer_policy
    return response


def _private_form(response: HttpResponse) -> HttpResponse:
    return _private(response, referrer_policy="same-origin")


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


IMAGE_LIMITS = {
    "megabytes": MAX_IMAGE_BYTES // (1024 * 1024),
    "megapixels": MAX_IMAGE_PIXELS // 1_000_000,
    "total_megapixels": MAX_TOTAL_PIXELS // 1_000_000,
}


def _form_page(request: HttpRequest, form: SubmissionForm, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "retention_days": settings.SUBMISSION_CONTACT_RETENTION_DAYS,
        "privacy_email": settings.SUBMISSION_PRIVACY_EMAIL,
        "image_limits": IMAGE_LIMITS,
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


def _submission_or_404(token: str) -> Submission:
    """The submission of a status link; an unknown token looks like any missing page."""
    submission = (
        Submission.objects.with_status_token(token).select_related("page").first()
        if len(token) < 100
        else None
    )
    if submission is None:
        raise Http404
    return submission


@never_cache
def status(request: HttpRequest, token: str) -> HttpResponse:
    submission = _submission_or_404(token)
    context = {
        "submission": submission,
        "token": token,
        "Status": SubmissionStatus,
        "steps": _steps(submission.status),
    }
    return _private(render(request, "submissions/status.html", context))


@never_cache
@csrf_exempt  # checked by `_receive_revision`, once the post is admitted, as for `submit`
def edit(request: HttpRequest, token: str) -> HttpResponse:
    """The proposal's fields and images, to change and send back while changes are asked."""
    submission = _submission_or_404(token)
    back = reverse("submissions:status", args=[token])
    if not submission.is_editable_by_maker:
        return _private(redirect(back))
    draft = draft_of(submission)
    if draft is None:
        raise Http404
    if request.method != "POST":
        return _edit_page(request, submission, token, RevisionForm(draft=draft))
    length = declared_length(request)
    if length is None:
        return HttpResponseBadRequest()
    if ratelimit.admit(ratelimit.client_key(request)) is None:
        return render(request, "submissions/rate_limited.html", status=429)
    if length > MAX_REQUEST_BYTES:
        return render(request, "submissions/too_large.html", status=413)
    return _receive_revision(request, submission, token, draft)


@csrf_protect
def _receive_revision(request: HttpRequest, submission, token: str, draft) -> HttpResponse:
    form = RevisionForm(
        request.POST, request.FILES, draft=draft, kept_images=KeptImages(request.session)
    )
    if not form.is_valid():
        form.images.keep_accepted_images()
        return _edit_page(request, submission, token, form, status=400)
    try:
        revise_proposal(submission, form.to_revision())
    except NotEditable:
        return _private(redirect("submissions:status", token=token))
    form.images.forget_kept_images()
    return _private(redirect("submissions:status", token=token))


def _edit_page(
    request: HttpRequest, submission: Submission, token: str, form: RevisionForm, status: int = 200
) -> HttpResponse:
    context = {
        "submission": submission,
        "token": token,
        "form": form,
        "image_limits": IMAGE_LIMITS,
        "free_slots": IMAGE_SLOTS - len(form.draft_images),
        "first_new_number": len(form.draft_images) + 1,
    }
    return _private_form(render(request, "submissions/edit.html", context, status=status))


@never_cache
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, token: str) -> HttpResponse:
    """A confirmation page, then the withdrawal itself on its POST (CSRF-checked)."""
    submission = _submission_or_404(token)
    if request.method == "POST" and submission.can_be_withdrawn:
        with contextlib.suppress(NotWithdrawable):
            withdraw_proposal(submission)
        return _private(redirect("submissions:status", token=token))
    if not submission.can_be_withdrawn:
        return _private(redirect("submissions:status", token=token))
    context = {
        "submission": submission,
        "token": token,
        "retention_days": settings.SUBMISSION_CONTACT_RETENTION_DAYS,
    }
    return _private_form(render(request, "submissions/withdraw.html", context))


@never_cache
def lost_link(request: HttpRequest) -> HttpResponse:
    """Sends the status links again to the address they were sent from.

    Whatever the address, the same page follows, by the same path: a look-up and a queued
    task (empty for an unknown address), so neither the answer nor its timing tells an
    attacker whether somebody sent a proposal.
    """
    if request.method != "POST":
        return render(request, "submissions/lost_link.html", {"form": LostLinkForm()})
    if ratelimit.admit(ratelimit.client_key(request)) is None:
        return render(request, "submissions/rate_limited.html", status=429)
    form = LostLinkForm(request.POST)
    if form.honeypot_filled:
        return redirect("submissions:lost_link_sent")
    if not form.is_valid():
        return _private(render(request, "submissions/lost_link.html", {"form": form}, status=400))
    notifications.send_lost_links.enqueue(
        notifications.submissions_to_remind(form.cleaned_data["email"]),
        language=get_language() or settings.LANGUAGE_CODE,
    )
    return redirect("submissions:lost_link_sent")


@never_cache
def lost_link_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "submissions/lost_link_sent.html")


def _steps(current: str) -> list[dict]:
    """The path a proposal follows, with where this one stands, for the status page."""
    path = [SubmissionStatus.RECEIVED, SubmissionStatus.IN_REVIEW, SubmissionStatus.PUBLISHED]
    if current == SubmissionStatus.CHANGES_REQUESTED:
        path.insert(2, SubmissionStatus.CHANGES_REQUESTED)
    elif current in (SubmissionStatus.REJECTED, SubmissionStatus.WITHDRAWN):
        path[2] = SubmissionStatus(current)
    position = path.index(SubmissionStatus(current))
    return [
        {
            "status": step,
            "label": step.label,
            "state": "done" if index < position else "current" if index == position else "todo",
        }
        for index, step in enumerate(path)
    ]
