"""Wagtail's document downloads, sent by nginx (`SENDFILE_BACKEND`, production settings).

Wagtail's serve view decides who may download a document and sets its name and type; this
backend then hands nginx the file's path under `DOCUMENTS_ACCEL_REDIRECT_URL`, an `internal`
location (deploy/nginx/poc-showcase.conf) that no client can request directly.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpRequest, HttpResponse


def sendfile(request: HttpRequest, filename: str, mimetype: str, **kwargs) -> HttpResponse:
    media_root = Path(settings.MEDIA_ROOT).resolve()
    path = Path(filename).resolve()
    if not path.is_relative_to(media_root):
        raise SuspiciousFileOperation(f"{filename} is outside MEDIA_ROOT")
    location = settings.DOCUMENTS_ACCEL_REDIRECT_URL.rstrip("/") + "/"
    response = HttpResponse(content_type=mimetype)
    response["X-Accel-Redirect"] = location + quote(path.relative_to(media_root).as_posix())
    return response
