"""Exporting the catalogue in the import's format: export, then import into an empty site,
gives the same catalogue back."""

from __future__ import annotations

import itertools

import pytest
from django.conf import settings
from django.utils import translation
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.rich_text import RichText

from poc_catalogue.models import Maker, MakerRole, POCPage
from poc_catalogue.transfer.archive import ImageArchive
from poc_catalogue.transfer.columns import body_as_text
from poc_catalogue.transfer.exporter import export_catalogue, export_images
from poc_catalogue.transfer.importer import Action, import_catalogue
from poc_catalogue.transfer.reading import read_rows, write_dataset
from tests import factories
from tests.factories import commune, english, make_maker, make_poc, theme

pytestmark = pytest.mark.django_db

_colours = itertools.count(1)


@pytest.fixture(autouse=True)
def french():
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def distinct_images(monkeypatch):
    """Each factory image its own pixels: an import recognises identical files as one image."""
    original = factories.png_bytes

    def png_bytes(**kwargs):
        number = next(_colours)
        kwargs.setdefault("colour", (number % 256, number * 7 % 256, number * 13 % 256))
        return original(**kwargs)

    monkeypatch.setattr(factories, "png_bytes", png_bytes)


def build_catalogue() -> list[POCPage]:
    studio = make_maker("Atelier Trame")
    city = make_maker("Ville de Roubaix")
    first = make_poc(
        "Des bancs de réemploi",
        themes=[theme("economie-circulaire"), theme("ville-collaborative")],
        makers=[city, studio],
        tags=["réemploi", "Mobilier urbain"],
        gallery=2,
        commune=commune("Roubaix"),
        address="Grand-Place",
        latitude=50.6903,
        longitude=3.1817,
        hero_credit="Atelier Trame, 2020",
        body=[
            ("paragraph", RichText("<p>Les habitants manquaient de places.<br/>Vraiment.</p>")),
            ("paragraph", RichText("<p>Trois prototypes « testés » &amp; gardés.</p>")),
            ("video", {"embed": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "caption": ""}),
        ],
    )
    second = make_poc("Vélos cargo partagés", makers=[studio], tags=["vélo"], stage="deploy")
    third = make_poc("Jardin des Moulins", publish=False, year=2021, commune=commune("Lille"))
    english(first, title="Reuse benches", slug="reuse-benches")
    return [first, second, third]


def fields_of(page: POCPage) -> dict:
    poc = page.get_latest_revision_as_object()
    return {
        "title": poc.title,
        "slug": poc.slug,
        "summary": poc.summary,
        "body": body_as_text(poc),  # the body's text: paragraphs and video, markup aside
        "themes": sorted(theme.slug for theme in poc.themes.all()),
        "makers": [(link.maker.name, link.role) for link in poc.poc_makers.all()],
        "commune": poc.commune.name if poc.commune else None,
        "address": poc.address,
        "position": (poc.latitude, poc.longitude),
        "tags": sorted(tag.name for tag in poc.tags.all()),
        "stage": poc.stage,
        "year": poc.year,
        "hero": (poc.hero_image.file.read(), poc.hero_alt_text, poc.hero_credit),
        "gallery": [
            (item.image.file.read(), item.alt_text, item.credit)
            for item in poc.gallery_images.all()
        ],
    }


def empty_the_site(django_capture_on_commit_callbacks) -> None:
    """Delete the POCs, makers, tags and images; keep communes, themes, home and catalogue."""
    with django_capture_on_commit_callbacks(execute=True):  # image files go on commit
        for page in Page.objects.type(POCPage).order_by("-depth"):
            page.delete()
        Maker.objects.all().delete()
        Tag.objects.all().delete()
        get_image_model().objects.all().delete()


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_then_import_into_an_empty_site_reproduces_the_catalogue(
    file_format, distinct_images, django_capture_on_commit_callbacks
):
    pages = build_catalogue()
    before = [fields_of(page) for page in pages]
    exported = export_catalogue(file_format)
    images = export_images()
    empty_the_site(django_capture_on_commit_callbacks)
    assert not POCPage.objects.exists() and not get_image_model().objects.exists()

    report = import_catalogue(exported, images=ImageArchive(images))

    assert [row.action for row in report.rows] == [Action.CREATE] * 3, report.problems
    again = export_catalogue(file_format)
    if file_format == "csv":
        assert again == exported
    else:  # an XLSX is a ZIP stamped with the time it was written: compare what it holds
        assert read_rows(again) == read_rows(exported)
    after = [fields_of(page) for page in POCPage.objects.order_by("path")]
    assert after == before


def test_the_export_lists_french_pocs_only_in_the_import_columns():
    poc = make_poc("Vélos cargo partagés", makers=[make_maker("Atelier Trame")])
    english(poc, title="Shared cargo bikes")
    rows = read_rows(export_catalogue("csv"))
    assert len(rows) == 1
    assert rows[0].cells["title"] == "Vélos cargo partagés"
    assert rows[0].cells["makers"] == f"Atelier Trame ({MakerRole.HOLDER.value})"
    assert rows[0].cells["commune"] == commune("Lille").insee_code


def test_an_export_imported_back_updates_its_pocs_instead_of_copying_them():
    poc = make_poc("Vélos cargo partagés", tags=["vélo"])
    exported = export_catalogue("xlsx")
    report = import_catalogue(exported, images=ImageArchive(export_images()))
    assert [row.action for row in report.rows] == [Action.UNCHANGED]

    changed = exported_with(exported, summary="Des vélos-cargos pour les commerçants.")
    report = import_catalogue(changed, images=ImageArchive(export_images()))

    assert [row.action for row in report.rows] == [Action.UPDATE]
    assert POCPage.objects.get().import_reference == f"page-{poc.pk}"
    assert POCPage.objects.count() == 1


def exported_with(content: bytes, **cells: str) -> bytes:
    rows = [{**row.cells, **cells} for row in read_rows(content)]
    return write_dataset(rows, "csv")
