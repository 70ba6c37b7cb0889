"""Every hostile or invalid input is refused next to its field and leaves nothing behind."""

from __future__ import annotations

import io
import re
from unittest import mock

import pytest
from django.db import DatabaseError
from django.test import Client
from PIL import Image

from poc_catalogue.submissions.models import Submission
from poc_catalogue.submissions.uploads import MAX_IMAGE_BYTES, clean_uploaded_image

from .conftest import form_data, image_bytes, image_fields, inventory, upload

pytestmark = pytest.mark.django_db


def png_claiming(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (width, height)).save(buffer, format="PNG")
    return buffer.getvalue()


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
PNG_THEN_HTML = b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>"

FIRST_FILE = "images-0-file"
HOSTILE = {
    "text renamed .jpg": (FIRST_FILE, {FIRST_FILE: upload(b"not an image at all", "photo.jpg")}),
    "PNG header then HTML": (FIRST_FILE, {FIRST_FILE: upload(PNG_THEN_HTML, "x.png", "image/png")}),
    "SVG": (FIRST_FILE, {FIRST_FILE: upload(SVG, "x.svg", "image/svg+xml")}),
    "GIF": (FIRST_FILE, {FIRST_FILE: upload(image_bytes("GIF"), "x.gif", "image/gif")}),
    "bomb over our limit": (
        FIRST_FILE,
        {FIRST_FILE: upload(png_claiming(8000, 6000), "bomb.png", "image/png")},
    ),
    "bomb over Pillow's limit": (
        FIRST_FILE,
        {FIRST_FILE: upload(png_claiming(14000, 14000), "bomb.png", "image/png")},
    ),
    "file over 10 MB": (
        FIRST_FILE,
        {FIRST_FILE: upload(image_bytes() + b"\0" * MAX_IMAGE_BYTES, "big.jpg")},
    ),
    "image without alternative text": ("images-0-alt_text", {"images-0-alt_text": ""}),
    "no image": (FIRST_FILE, {FIRST_FILE: None}),
    "a second image described but not sent": (
        "images-1-file",
        image_fields(2, None, alt_text="Deux", credit="Moi"),
    ),
    "invalid email": ("contact_email", {"contact_email": "camille@"}),
    "video from another host": ("video_url", {"video_url": "https://evil.example/watch?v=1"}),
    "video over http": ("video_url", {"video_url": "http://www.youtube.com/watch?v=1"}),
    "video host in userinfo": (
        "video_url",
        {"video_url": "https://www.youtube.com@evil.example/x"},
    ),
    "missing publication consent": ("consent_publication", {"consent_publication": None}),
    "missing data consent": ("consent_personal_data", {"consent_personal_data": None}),
    "over-long title": ("title", {"title": "x" * 121}),
    "over-long summary": ("summary", {"summary": "x" * 281}),
    "no theme": ("themes", {"themes": None}),
    "four themes": ("themes", {"themes": ["1", "2", "3", "4"]}),
    "unknown commune": ("commune", {"commune": "999999"}),
    "over-long tag": ("tags", {"tags": "x" * 41}),
    "two makers": ("existing_maker", {"existing_maker": "1"}),
    "no maker": (
        "existing_maker",
        {"new_maker_name": "", "new_maker_kind": "", "new_maker_website": ""},
    ),
    "bad phone": ("contact_phone", {"contact_phone": "<script>"}),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_input_is_refused_next_to_its_field_and_creates_nothing(client, case):
    field, overrides = HOSTILE[case]
    for value in overrides.values():
        if hasattr(value, "seek"):
            value.seek(0)
    before = inventory()
    response = client.post("/submit/", form_data(**overrides))
    html = response.content.decode()

    assert response.status_code == 400
    assert re.search(rf'id="id_{field}_error"', html), html[:3000]
    assert f'href="#id_{field}' in html
    assert inventory() == before
    assert 'value="Camille Martin"' in html


def test_typed_text_is_kept_after_an_error(client):
    response = client.post("/submit/", form_data(contact_email="nope", title="Mon projet"))
    html = response.content.decode()
    assert 'value="Mon projet"' in html
    assert "Un atelier avec les habitants." in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_contact_email_error' in html


def test_nine_images_are_refused(client):
    before = inventory()
    extra = {f"images-{number - 1}-file": upload() for number in range(2, 10)}
    extra.update({f"images-{n - 1}-alt_text": "Une image" for n in range(2, 9)})
    extra.update({f"images-{n - 1}-credit": "Moi" for n in range(2, 9)})
    response = client.post("/submit/", form_data(**extra))
    assert response.status_code == 400
    assert 'id="id_images-0-file_error"' in response.content.decode()
    assert inventory() == before


def test_script_in_text_fields_is_inert(client, django_capture_on_commit_callbacks):
    script = "<script>alert('x')</script>"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/submit/",
            form_data(title=f"Banc {script}", description=f"Texte {script}", summary=script),
            follow=True,
        )
    assert response.status_code == 200
    submission = Submission.objects.get()
    status_path = re.search(r'href="([^"]*/submit/status/[^"]+)"', response.content.decode())[1]
    status_html = client.get(status_path).content.decode()
    assert script not in status_html
    assert "Banc &lt;script&gt;" in status_html
    body_html = str(submission.page.body)
    assert "<script>" not in body_html and "&lt;script&gt;" in body_html


def test_preview_of_a_submitted_draft_is_inert(
    client, admin_user, django_capture_on_commit_callbacks
):
    script = "<script>alert('x')</script>"
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/submit/", form_data(title=f"Banc {script}", description=script))
    page = Submission.objects.get().page
    client.force_login(admin_user)
    preview = client.get(f"/admin/pages/{page.pk}/edit/preview/")
    assert preview.status_code == 200
    assert script not in preview.content.decode()


def test_a_database_error_midway_leaves_nothing(client, django_capture_on_commit_callbacks):
    """The page, two images and the maker exist when the submission record fails to save."""
    before = inventory()
    with (
        django_capture_on_commit_callbacks() as emails,
        mock.patch.object(Submission, "save", side_effect=DatabaseError("disk full")),
        pytest.raises(DatabaseError),
    ):
        client.post(
            "/submit/",
            form_data(**image_fields(2, upload(), alt_text="Deux", credit="Moi")),
        )
    assert inventory() == before
    assert emails == []


def test_honeypot_pretends_success_and_creates_nothing(client):
    before = inventory()
    response = client.post("/submit/", form_data(homepage="http://spam.example"), follow=True)
    assert response.status_code == 200
    assert "submit/status/" not in response.content.decode()
    assert inventory() == before


def test_csrf_is_required():
    client = Client(enforce_csrf_checks=True)
    before = inventory()
    assert client.post("/submit/", form_data()).status_code == 403
    assert inventory() == before


def test_rate_limit_per_address(client, settings, django_capture_on_commit_callbacks):
    settings.SUBMISSION_RATE_LIMIT_PER_HOUR = 2
    for number in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/submit/", form_data(title=f"Projet {number}"))
    assert Submission.objects.count() == 2
    refused = client.post("/submit/", form_data(title="Projet 3"))
    assert refused.status_code == 429
    assert Submission.objects.count() == 2
    other = client.post("/submit/", form_data(title="Projet 4"), REMOTE_ADDR="192.0.2.9")
    assert other.status_code == 302


def test_images_are_reencoded_without_metadata():
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    exif[0x8825] = {2: (50.0, 37.0, 0.0), 4: (3.0, 4.0, 0.0)}
    original = image_bytes("JPEG", exif=exif)
    assert Image.open(io.BytesIO(original)).getexif()
    clean = clean_uploaded_image(upload(original))
    reopened = Image.open(io.BytesIO(clean.content))
    assert clean.format == "JPEG"
    assert not reopened.getexif()
    assert "icc_profile" not in reopened.info and "exif" not in reopened.info


def test_webp_and_png_are_accepted():
    assert (
        clean_uploaded_image(upload(image_bytes("WEBP"), "x.webp", "image/webp")).format == "WEBP"
    )
    assert clean_uploaded_image(upload(image_bytes("PNG"), "x.png", "image/png")).format == "PNG"
