from django.conf import settings
from django.contrib.sitemaps import views as sitemaps_views
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import override

from poc_catalogue.published_responses import cache_response

from .sitemaps import SITEMAPS


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


# Kept from crawlers: the admin, the JSON API (every search a URL: no end of them) and the
# proposal pages that belong to one maker, in each language. Everything else is for them.
SITE_WIDE_DISALLOWED = ("admin/", "api/")
PER_LANGUAGE_DISALLOWED = ("submit/thanks/", "submit/status/", "submit/kept/")


def robots_txt(request: HttpRequest) -> HttpResponse:
    """`/robots.txt`: what crawlers may read, and where the sitemap is."""
    prefixes = [""]
    for code, _name in settings.LANGUAGES:
        with override(code):
            prefix = reverse("wagtail_serve", args=("",)).strip("/")
        if prefix:
            prefixes.append(f"{prefix}/")
    disallowed = [f"/{path}" for path in SITE_WIDE_DISALLOWED]
    disallowed += [f"/{prefix}{path}" for prefix in prefixes for path in PER_LANGUAGE_DISALLOWED]
    lines = [
        "User-agent: *",
        *(f"Disallow: {path}" for path in disallowed),
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def sitemap(request: HttpRequest) -> HttpResponse:
    """`/sitemap.xml` (`showcase.sitemaps`), stored whole until the next publication."""
    return cache_response(sitemaps_views.sitemap(request, sitemaps=SITEMAPS))
