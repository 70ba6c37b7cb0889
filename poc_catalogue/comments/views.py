"""The visitors' side of comments: the form, its confirmation, the report button.

These pages are apart from the POC page on purpose: the POC page is served whole from a
shared cache (`published_cache`), so it links here and carries no CSRF token; these pages are
never cached. A post is weighed as the submission form weighs it (see
`submissions.views`): its size, the client's rate limit, then CSRF, then the body.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from poc_catalogue.models import POCPage
from poc_catalogue.submissions import ratelimit
from poc_catalogue.submissions.models import SubmissionAttempt
from poc_catalogue.submissions.views import declared_length

from . import moderation
from .forms import CommentForm
from .models import Comment

COMMENT_SCOPE = "comments"
REPORT_SCOPE = "comment-reports"
# A name, a comment, an email and the form's own fields, with room for multi-byte text.
MAX_REQUEST_BYTES = 64 * 1024


def comment_limit() -> ratelimit.RateLimit:
    return ratelimit.RateLimit(
        submissions=settings.COMMENT_RATE_LIMIT_PER_HOUR,
        attempts=settings.COMMENT_ATTEMPT_LIMIT_PER_HOUR,
    )


def report_limit() -> ratelimit.RateLimit:
    return ratelimit.RateLimit(
        submissions=settings.COMMENT_REPORT_LIMIT_PER_HOUR,
        attempts=settings.COMMENT_ATTEMPT_LIMIT_PER_HOUR,
    )


def commented_poc(page_id: int) -> POCPage:
    """The public POC behind `page_id`, open to comments, or 404."""
    poc = POCPage.objects.published().filter(pk=page_id).first()
    if poc is None or not poc.comments_enabled:
        raise Http404
    return poc


def _weigh(request: HttpRequest, scope: str, limit: ratelimit.RateLimit):
    """An answer refusing the post, or the attempt it was recorded as."""
    length = declared_length(request)
    if length is None:
        return HttpResponseBadRequest()
    attempt = ratelimit.admit(ratelimit.client_key(request, scope), limit)
    if attempt is None:
        return render(request, "comments/rate_limited.html", status=429)
    if length > MAX_REQUEST_BYTES:
        return HttpResponse(status=413)
    return attempt


@never_cache
@csrf_exempt  # checked by `_receive`, once the post is admitted: see the module docstring
def new_comment(request: HttpRequest, page_id: int) -> HttpResponse:
    poc = commented_poc(page_id)
    if request.method != "POST":
        return _form_page(request, poc, CommentForm(retention_days=_retention_days()))
    weighed = _weigh(request, COMMENT_SCOPE, comment_limit())
    if not isinstance(weighed, SubmissionAttempt):
        return weighed
    request.comment_attempt = weighed
    return _receive(request, poc)


@csrf_protect
def _receive(request: HttpRequest, poc: POCPage) -> HttpResponse:
    attempt: SubmissionAttempt = request.comment_attempt
    form = CommentForm(request.POST, retention_days=_retention_days())
    if form.honeypot_filled:
        return redirect("comments:thanks", page_id=poc.pk)
    if not form.is_valid():
        return _form_page(request, poc, form, status=400)
    if not ratelimit.claim_submission(attempt, comment_limit()):
        return render(request, "comments/rate_limited.html", status=429)
    try:
        Comment.objects.create(
            page=poc,
            display_name=form.cleaned_data["display_name"],
            body=form.cleaned_data["body"],
            email=form.cleaned_data["email"],
        )
    except Exception:
        ratelimit.release_submission(attempt)
        raise
    return redirect("comments:thanks", page_id=poc.pk)


def _retention_days() -> int:
    return settings.SUBMISSION_CONTACT_RETENTION_DAYS


def _form_page(
    request: HttpRequest, poc: POCPage, form: CommentForm, status: int = 200
) -> HttpResponse:
    context = {"poc": poc, "poc_url": poc.localized.url, "form": form}
    return render(request, "comments/comment_form.html", context, status=status)


@never_cache
def thanks(request: HttpRequest, page_id: int) -> HttpResponse:
    poc = get_object_or_404(POCPage.objects.published(), pk=page_id)
    return render(request, "comments/thanks.html", {"poc": poc, "poc_url": poc.localized.url})


@never_cache
@csrf_exempt  # checked by `_report`, once the post is admitted
def report(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = get_object_or_404(
        Comment.objects.published().filter(page__in=POCPage.objects.published()),
        pk=comment_id,
    )
    context = {"comment": comment, "poc_url": comment.page.localized.url}
    if request.method != "POST":
        return render(request, "comments/report.html", context)
    weighed = _weigh(request, REPORT_SCOPE, report_limit())
    if not isinstance(weighed, SubmissionAttempt):
        return weighed
    request.comment_attempt = weighed
    return _report(request, comment, context)


@csrf_protect
def _report(request: HttpRequest, comment: Comment, context: dict) -> HttpResponse:
    if not ratelimit.claim_submission(request.comment_attempt, report_limit()):
        return render(request, "comments/rate_limited.html", status=429)
    moderation.report(comment)
    return render(request, "comments/report_done.html", context)
