"""What nginx and the production settings promise, checked over HTTP through the front door.

Every request here goes to nginx on its loopback port, as a visitor's would: static files,
uploaded media, documents, the body cap, the headers, and the client address the rate limit
counts when clients come from different addresses (127.0.0.2, 127.0.0.3 on loopback).
"""

from __future__ import annotations

import gzip
import http.client
import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from poc_catalogue.submissions.views import MAX_REQUEST_BYTES
from tests.production.stack import ProductionStack


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def header(self, name: str) -> str:
        return self.headers.get(name, "")


def request(
    stack: ProductionStack,
    path: str,
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    client: str = "127.0.0.1",
) -> Answer:
    """One HTTP request to nginx, from the given loopback address."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", stack.port, timeout=30, source_address=(client, 0)
    )
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return Answer(response.status, response.headers, response.read())
    finally:
        connection.close()


def first_match(pattern: str, html: bytes) -> str:
    match = re.search(pattern, html.decode())
    assert match, f"no {pattern} in the page"
    return match.group(0)


@pytest.fixture(scope="module")
def stack(production_stack: ProductionStack) -> ProductionStack:
    return production_stack


@pytest.fixture(scope="module")
def poc_path(stack) -> str:
    catalogue = request(stack, "/api/catalogue/search/?page_size=1")
    assert catalogue.status == 200
    url = json.loads(catalogue.body)["results"][0]["url"]
    return urlsplit(url).path


def test_pages_answer_from_gunicorn_with_debug_off_and_elasticsearch(stack, poc_path):
    home = request(stack, "/")
    assert home.status == 200
    assert home.header("Server") == "nginx"  # no version
    missing = request(stack, "/cette-page-n-existe-pas/")
    assert missing.status == 404
    assert b"Traceback" not in missing.body and b"DEBUG" not in missing.body
    api = request(stack, "/api/catalogue/search/?theme=mobilite")
    assert api.status == 200 and json.loads(api.body)["backend"] == "elasticsearch"
    assert request(stack, poc_path).status == 200


def test_pages_carry_the_security_headers(stack):
    page = request(stack, "/catalogue/")
    assert page.header("X-Content-Type-Options") == "nosniff"
    assert page.header("Referrer-Policy") == "same-origin"
    assert page.header("X-Frame-Options") == "DENY"
    assert "script-src 'self' 'nonce-" in page.header("Content-Security-Policy")
    assert page.header("Cross-Origin-Opener-Policy") == "same-origin"


def test_pages_are_compressed_for_browsers_that_ask(stack):
    page = request(stack, "/catalogue/", headers={"Accept-Encoding": "gzip"})
    assert page.header("Content-Encoding") == "gzip"
    assert b"<html" in gzip.decompress(page.body)


def test_static_files_have_hashed_names_a_long_cache_and_compression(stack):
    home = request(stack, "/")
    stylesheet = first_match(r"/static/css/showcase\.[0-9a-f]{12}\.css", home.body)
    css = request(stack, stylesheet, headers={"Accept-Encoding": "gzip"})
    assert css.status == 200
    assert css.header("Cache-Control") == "public, max-age=31536000, immutable"
    assert css.header("Content-Encoding") == "gzip"
    assert css.header("X-Content-Type-Options") == "nosniff"
    assert b"--theme-colour" in gzip.decompress(css.body)
    catalogue = request(stack, "/catalogue/").body
    script = first_match(r"/static/js/[a-z-]+\.[0-9a-f]{12}\.js", catalogue)
    assert request(stack, script).header("Cache-Control").endswith("immutable")

    # The unhashed name still answers, but is never cached for long.
    unhashed = request(stack, "/static/css/showcase.css")
    assert unhashed.status == 200
    assert unhashed.header("Cache-Control") == "public, max-age=3600"


def test_uploaded_images_are_served_by_nginx_never_sniffed_and_sandboxed(stack, poc_path):
    page = request(stack, poc_path)
    image_path = first_match(r"/media/images/[^\"' ]+\.(?:webp|jpg|jpeg|png)", page.body)
    image = request(stack, image_path)
    assert image.status == 200
    assert image.header("Content-Type").startswith("image/")
    assert image.header("X-Content-Type-Options") == "nosniff"
    csp = image.header("Content-Security-Policy")
    assert "default-src 'none'" in csp and "sandbox" in csp
    assert image.body[:4] in {b"RIFF", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xdb", b"\x89PNG"}


def test_an_uploaded_file_pretending_to_be_a_page_is_not_run(stack):
    """Whatever a file in /media/ holds, it is never served as HTML."""
    trap = Path(stack.env["MEDIA_ROOT"]) / "images" / "piege.html"
    trap.write_text("<script>alert(document.cookie)</script>")
    trap.chmod(0o644)
    try:
        answer = request(stack, "/media/images/piege.html")
        assert answer.header("Content-Type") == "application/octet-stream"
        assert "sandbox" in answer.header("Content-Security-Policy")
    finally:
        trap.unlink()


def test_documents_are_downloaded_through_wagtail_and_never_served_directly(stack):
    created = stack.manage(
        "shell",
        "-c",
        "from django.core.files.base import ContentFile\n"
        "from wagtail.documents.models import Document\n"
        "document = Document(title='Dossier de presse')\n"
        "document.file.save('dossier-presse.pdf', ContentFile(b'%PDF-1.4 dossier'), save=True)\n"
        "print(document.url, document.file.name)",
    )
    assert created.returncode == 0, created.stderr
    url, file_name = created.stdout.strip().splitlines()[-1].split()

    download = request(stack, url)
    assert download.status == 200
    assert download.body == b"%PDF-1.4 dossier"
    assert download.header("Content-Disposition").startswith("attachment")
    assert download.header("X-Content-Type-Options") == "nosniff"
    assert "X-Accel-Redirect" not in download.headers

    assert request(stack, f"/media/{file_name}").status == 404
    assert request(stack, f"/protected-media/{file_name}").status == 404


def test_nginx_refuses_a_body_larger_than_the_submission_limit(stack):
    assert MAX_REQUEST_BYTES <= 81 * 1024 * 1024 < MAX_REQUEST_BYTES + 1024 * 1024
    too_large = request(
        stack,
        "/submit/",
        method="POST",
        headers={"Content-Length": str(82 * 1024 * 1024), "Content-Type": "multipart/form-data"},
        body=b"",
    )
    assert too_large.status == 413


def test_the_rate_limit_counts_each_client_behind_the_proxy(stack):
    """Thirty posts an hour per client: the thirty-first from 127.0.0.2 is refused, whatever
    X-Forwarded-For it claims, while 127.0.0.3 is still welcome."""

    def post_from(client: str, **headers: str) -> int:
        return request(
            stack,
            "/submit/",
            method="POST",
            client=client,
            headers={"Content-Type": "application/x-www-form-urlencoded", **headers},
            body=b"title=x",
        ).status

    limit = 30
    statuses = [
        post_from("127.0.0.2", **{"X-Forwarded-For": f"10.0.0.{number}"}) for number in range(limit)
    ]
    assert 429 not in statuses
    assert post_from("127.0.0.2") == 429
    assert post_from("127.0.0.2", **{"X-Forwarded-For": "192.0.2.77"}) == 429
    assert post_from("127.0.0.3") != 429
