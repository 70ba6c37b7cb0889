"""The submission endpoint weighs a post before reading it: size, rate limit, CSRF.

Each refusal is checked through a real socket against the live server: the client sends the
headers and a sliver of the body, and must get its answer without sending the rest.
"""

from __future__ import annotations

import io
import socket
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from PIL import Image

from poc_catalogue.submissions import ratelimit
from poc_catalogue.submissions.models import SubmissionAttempt
from poc_catalogue.submissions.uploads import MAX_IMAGE_PIXELS

from .conftest import form_data, inventory, upload

committed = pytest.mark.django_db(transaction=True, serialized_rollback=True)
NINETY_FOUR_MB = 94 * 1024 * 1024


def post_without_the_body(url: str, length: int, *, cookie: str = "") -> int:
    """POST /submit/ announcing `length` bytes but sending 1 KiB: the answer's status."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=15) as connection:
        head = (
            f"POST /submit/ HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            "Content-Type: multipart/form-data; boundary=limit\r\n"
            f"Content-Length: {length}\r\nConnection: close\r\n"
            + (f"Cookie: {cookie}\r\n" if cookie else "")
            + "\r\n"
        )
        connection.sendall(head.encode() + b"--limit\r\n" + b"x" * 1024)
        # Blocks (and fails on the timeout) if the server waits for the whole body.
        status_line = connection.recv(64).decode()
    return int(status_line.split()[1])


def key_of(address: str) -> str:
    class Request:
        META = {"REMOTE_ADDR": address}

    return ratelimit.client_key(Request())


@committed
def test_an_oversized_post_is_refused_before_its_body_is_read(live_server):
    assert post_without_the_body(live_server.url, NINETY_FOUR_MB) == 413
    assert SubmissionAttempt.objects.count() == 1


@committed
def test_a_rate_limited_client_is_refused_before_its_body_is_read(live_server):
    limit = settings.SUBMISSION_ATTEMPT_LIMIT_PER_HOUR
    SubmissionAttempt.objects.bulk_create(
        SubmissionAttempt(client_hash=key_of("127.0.0.1")) for _ in range(limit)
    )
    assert post_without_the_body(live_server.url, 5 * 1024 * 1024) == 429


@committed
def test_a_post_without_csrf_cookie_is_refused_before_its_body_is_read(live_server):
    assert post_without_the_body(live_server.url, 5 * 1024 * 1024) == 403


def test_a_length_that_is_not_a_number_is_a_bad_request(client, db):
    response = client.post("/submit/", b"", content_type="text/plain", CONTENT_LENGTH="12abc")
    assert response.status_code == 400


@pytest.mark.postgres
@committed
def test_concurrent_posts_past_the_limit_are_refused(live_server, settings):
    settings.SUBMISSION_ATTEMPT_LIMIT_PER_HOUR = 30

    def post(_number: int) -> int:
        request = urllib.request.Request(
            f"{live_server.url}/submit/", data=b"title=x", method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    # Nine at a time: the test server's listen queue holds ten connections.
    with ThreadPoolExecutor(max_workers=9) as pool:
        statuses = list(pool.map(post, range(45)))
    assert statuses.count(429) >= 15
    assert set(statuses) <= {403, 429}
    assert SubmissionAttempt.objects.count() == 45


@pytest.fixture(scope="module")
def largest_png() -> bytes:
    """A PNG at the per-image limit: tiny on disk, MAX_IMAGE_PIXELS once decoded."""
    side = int(MAX_IMAGE_PIXELS**0.5)
    buffer = io.BytesIO()
    Image.new("RGB", (side, side), (40, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.django_db
def test_a_proposal_whose_images_are_too_many_pixels_together_is_refused_undecoded(
    client, largest_png
):
    before = inventory()
    images = {}
    for number in range(1, 6):
        images[f"images-{number - 1}-file"] = upload(largest_png, name=f"plan-{number}.png")
        images[f"images-{number - 1}-alt_text"] = f"Plan {number}"
        images[f"images-{number - 1}-credit"] = "Ville de Roubaix"
    response = client.post("/submit/", form_data(**images))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ensemble, ces images font 125 mégapixels" in page
    assert inventory() == before
