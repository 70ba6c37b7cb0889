"""Writing the catalogue out in the import's format, with its images in a ZIP if asked.

The French POCs only: a translation is not another POC, and the file imports back as the
catalogue it came from (`export then import into an empty site reproduces it`).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

from django.db.models import QuerySet

from ..models import POCPage
from ..translations import source_language
from .columns import export_row, image_file_name
from .reading import write_dataset

EXPORT_BATCH = 200


def exported_pages(pages: QuerySet | None = None) -> QuerySet:
    """The POCs to export, French pages in the tree's order, their relations prefetched."""
    pages = POCPage.objects.all() if pages is None else pages
    return (
        pages.filter(locale__language_code=source_language())
        .select_related("commune", "hero_image")
        .prefetch_related("themes", "tags", "poc_makers__maker", "gallery_images__image")
        .order_by("path")
    )


def export_rows(pages: QuerySet | None = None) -> list[dict[str, str]]:
    return [export_row(page) for page in exported_pages(pages).iterator(EXPORT_BATCH)]


def export_catalogue(file_format: str, pages: QuerySet | None = None) -> bytes:
    """The POCs as a CSV or XLSX file the importer reads back."""
    return write_dataset(export_rows(pages), file_format)


def images_of(pages: Iterable[POCPage]) -> dict[str, object]:
    """Each image the POCs show, by the file name their rows give it."""
    images: dict[str, object] = {}
    for page in pages:
        for image in [page.hero_image, *(item.image for item in page.gallery_images.all())]:
            if image is not None:
                images.setdefault(image_file_name(image), image)
    return images


def export_images(pages: QuerySet | None = None) -> bytes:
    """A ZIP of the exported POCs' images, named as their rows name them."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, image in sorted(images_of(exported_pages(pages).iterator(EXPORT_BATCH)).items()):
            with image.open_file() as opened:
                archive.writestr(name, opened.read())
    return buffer.getvalue()
