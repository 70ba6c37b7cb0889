"""Builders for submission tests: a valid form, real image files, counts of what exists."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from wagtail.images import get_image_model

from poc_catalogue.models import Maker, POCPage
from poc_catalogue.submissions.models import Submission
from search.catalogue import search_catalogue
from search.types import SearchRequest
from tests.factories import commune, theme


def image_bytes(
    image_format: str = "JPEG", size: tuple[int, int] = (320, 240), exif: Image.Exif | None = None
) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (228, 0, 58))
    options = {"exif": exif} if exif is not None else {}
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


def upload(
    content: bytes | None = None, name: str = "photo.jpg", content_type: str = "image/jpeg"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes() if content is None else content, content_type)


def form_data(**overrides) -> dict:
    """A complete, valid submission; override or drop (value None) any field."""
    data = {
        "title": "Bancs partagés de Roubaix",
        "summary": "Des bancs conçus avec les habitants pour se reposer et se rencontrer.",
        "description": "Un atelier avec les habitants.\n\nTrois prototypes testés pendant un an.",
        "themes": [str(theme("mobilite").pk)],
        "stage": "experiment",
        "year": "2019",
        "commune": str(commune("Roubaix").pk),
        "address": "Place de la Liberté",
        "tags": "Mobilier urbain, rencontre,  mobilier urbain ",
        "video_url": "",
        "existing_maker": "",
        "new_maker_name": "Atelier Bancal",
        "new_maker_kind": "studio",
        "new_maker_website": "https://atelier-bancal.example",
        "contact_name": "Camille Martin",
        "contact_email": "camille@example.org",
        "contact_phone": "03 20 00 00 00",
        "consent_publication": "on",
        "consent_personal_data": "on",
        "homepage": "",
        "images-TOTAL_FORMS": "8",
        "images-INITIAL_FORMS": "0",
        **image_fields(1, upload(), "Trois bancs en bois sur une place", "Atelier Bancal, 2020"),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def image_fields(number: int, file, alt_text: str, credit: str) -> dict:
    """The form fields of the `number`-th image (counted from 1, as the page does)."""
    prefix = f"images-{number - 1}"
    return {f"{prefix}-file": file, f"{prefix}-alt_text": alt_text, f"{prefix}-credit": credit}


@dataclass(frozen=True)
class Inventory:
    pages: int
    images: int
    makers: int
    submissions: int
    files: int


def stored_files() -> int:
    root = Path(settings.MEDIA_ROOT)
    return sum(1 for path in root.rglob("*") if path.is_file()) if root.exists() else 0


def inventory() -> Inventory:
    return Inventory(
        pages=POCPage.objects.count(),
        images=get_image_model().objects.count(),
        makers=Maker.objects.count(),
        submissions=Submission.objects.count(),
        files=stored_files(),
    )


def catalogue_search_finds(page: POCPage, query: str) -> bool:
    """Whether the visitor's catalogue search lists this POC."""
    return page.pk in [hit.card.page_id for hit in search_catalogue(SearchRequest(q=query)).hits]


@pytest.fixture
def moderator(django_user_model):
    """A member of the review group, with an address for the alerts."""
    user = django_user_model.objects.create_user(
        "moderation", email="moderation@example.org", password="secret-password"
    )
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture(autouse=True)
def _own_kept_images_dir(settings, tmp_path):
    """Each test sees only the images it kept."""
    settings.SUBMISSION_KEPT_IMAGES_DIR = tmp_path / "kept-images"
