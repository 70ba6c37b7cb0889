from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language


def health(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def login_locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """What django-axes answers a client that failed to log in too often (429)."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME * 60))
    return render(request, "account_locked.html", {"cooloff_minutes": minutes}, status=429)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's `set_language`, translating `next` from the language its own path is in.

    Django resolves `next` in the language of the switcher's request, which has no prefix and
    so follows the cookie: from `/en/catalogue/?theme=…` without an English cookie it sent
    visitors back to the English page. The query string (filters, map view) is kept as is.
    """
    # The address Django will translate: `next`, else the page the form was on.
    next_url = (
        request.POST.get("next") or request.GET.get("next") or request.headers.get("referer", "")
    )
    next_path = urlsplit(next_url).path
    language = translation.get_language_from_path(next_path) or settings.LANGUAGE_CODE
    with translation.override(language):
        return django_set_language(request)
