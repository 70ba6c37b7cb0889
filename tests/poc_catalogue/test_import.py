"""Importing POCs from staff's spreadsheets: checks, dry run, idempotence, images, publishing."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.conf import settings
from django.utils import translation
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import ReferenceIndex, Revision
from wagtail.search.backends import get_search_backend

from poc_catalogue.models import Maker, POCPage
from poc_catalogue.transfer.archive import ImageArchive
from poc_catalogue.transfer.importer import Action, import_catalogue
from tests.factories import english, make_maker
from tests.poc_catalogue.transfer_files import (
    csv_file,
    jpeg_bytes,
    photos_for,
    poc_row,
    xlsx_file,
    zip_file,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def french():
    with translation.override(settings.LANGUAGE_CODE):
        yield


def run(rows, *, images=None, **options):
    archive = ImageArchive(photos_for(rows) if images is None else images)
    return import_catalogue(csv_file(rows), images=archive, **options)


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def problems_of(report) -> list[tuple[int, str, str]]:
    return [(problem.row, problem.column, problem.message) for problem in report.problems]


def test_a_dry_run_reports_every_problem_with_its_row_and_column_and_writes_nothing():
    rows = [
        poc_row("A"),
        poc_row("B", commune="Lile"),
        poc_row("C", themes="mobilite; astrologie"),
        poc_row("D", hero_alt=""),
        poc_row("E", hero_image="absente.jpg"),
        poc_row("F", latitude="48.8566", longitude="2.3522"),
        poc_row("G", year="1999", stage="fini"),
        poc_row("A", title="Le même, encore"),
    ]
    images = photos_for([row for row in rows if row["reference"] != "E"])
    before = row_counts()

    report = run(rows, images=images, dry_run=True)

    assert row_counts() == before
    assert [row.action for row in report.rows] == [Action.CREATE] + [Action.REFUSED] * 7
    problems = problems_of(report)
    messages = {(row, column): message for row, column, message in problems}
    assert messages[3, "commune"] == (
        "La commune « Lile » n’est pas l’une des 95 communes de la Métropole. "
        "Vouliez-vous dire « Lille » ?"
    )
    assert "« astrologie » n’est pas l’un des six thèmes" in messages[4, "themes"]
    assert "texte alternatif" in messages[5, "hero_alt"]
    assert "absente.jpg" in messages[6, "hero_image"] and "ZIP" in messages[6, "hero_image"]
    assert "Métropole" in messages[7, "latitude"]
    assert "1999" in messages[8, "year"]
    assert "fini" in messages[8, "stage"]
    assert "déjà utilisée à la ligne 2" in messages[9, "reference"]


def test_importing_creates_drafts_with_everything_the_row_gives():
    row = poc_row(
        "R1",
        gallery="vue-1.jpg; vue-2.jpg",
        gallery_alt="Vue de face; Vue de côté",
        gallery_credit="Studio Nord; ",
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    )
    report = run([row])

    assert report.counts == {"create": 1, "update": 0, "unchanged": 0, "refused": 0}
    page = POCPage.objects.get(import_reference="R1")
    assert not page.live
    poc = page.get_latest_revision_as_object()
    assert poc.title == "Bancs de réemploi R1"
    assert {theme.slug for theme in poc.themes.all()} == {
        "economie-circulaire",
        "ville-collaborative",
    }
    assert [(link.maker.name, link.role) for link in poc.poc_makers.all()] == [
        ("Ville de Roubaix", "holder"),
        ("Atelier Trame", "designer"),
    ]
    assert poc.commune.name == "Roubaix"
    assert (poc.latitude, poc.longitude) == (50.6903, 3.1817)
    assert sorted(tag.name for tag in poc.tags.all()) == ["mobilier urbain", "réemploi"]
    assert poc.hero_image is not None and poc.hero_alt_text.startswith("Trois bancs")
    assert [(item.alt_text, item.credit) for item in poc.gallery_images.all()] == [
        ("Vue de face", "Studio Nord"),
        ("Vue de côté", ""),
    ]
    assert [block.block_type for block in poc.body] == ["paragraph", "paragraph", "video"]


def test_the_same_file_twice_changes_nothing_the_second_time():
    rows = [poc_row("A"), poc_row("B", makers="Atelier Trame (designer)")]
    images = photos_for(rows)
    run(rows, images=images, publish=True)
    counts = row_counts()
    revisions = Revision.objects.count()

    again = run(rows, images=images, publish=True)

    assert [row.action for row in again.rows] == [Action.UNCHANGED, Action.UNCHANGED]
    assert Revision.objects.count() == revisions
    assert row_counts() == counts


def test_a_changed_row_becomes_a_new_revision_of_its_poc():
    run([poc_row("A")])
    page = POCPage.objects.get(import_reference="A")
    revisions = page.revisions.count()

    report = run([poc_row("A", summary="Un résumé revu et corrigé.")])

    assert report.rows[0].action == Action.UPDATE
    assert page.revisions.count() == revisions + 1
    page.refresh_from_db()
    assert page.get_latest_revision_as_object().summary == "Un résumé revu et corrigé."
    assert POCPage.objects.count() == 1


def test_makers_and_tags_are_matched_not_duplicated():
    existing = make_maker("Atelier Trame")
    run(
        [
            poc_row("A", makers="atelier trame (Designer)", tags="Réemploi"),
            poc_row(
                "B", makers="Atelier Trame (partner); Collectif Neuf (holder)", tags="réemploi"
            ),
        ]
    )
    assert Maker.objects.filter(name__iexact="atelier trame").get() == existing
    assert not Maker.objects.get(name="Collectif Neuf").is_public  # hidden until staff write it
    assert Tag.objects.filter(name__iexact="réemploi").count() == 1


def test_publishing_makes_the_pocs_live_through_the_publish_path():
    report = run([poc_row("A")], publish=True)
    page = POCPage.objects.get(pk=report.rows[0].page_id)
    assert page.live and page.first_published_at is not None
    assert POCPage.objects.published().filter(pk=page.pk).exists()


def test_publishing_asks_what_the_admin_form_asks():
    report = run([poc_row("A", themes="", makers="", hero_image="")], publish=True)
    assert {problem.column for problem in report.problems} == {"themes", "makers", "hero_image"}
    assert not POCPage.objects.exists()


def test_french_excel_files_read_semicolons_bom_accents_and_headers_in_any_case():
    row = poc_row("É-1", title="Jardin partagé à Marcq-en-Barœul", commune="marcq en baroeul")
    images = photos_for([row])
    semicolons = csv_file([row], delimiter=";", bom=True)
    report = import_catalogue(semicolons, images=ImageArchive(images), dry_run=True)
    assert report.rows[0].action == Action.CREATE, report.problems

    headers = [name.upper().replace("_", " ") for name in poc_row()]
    headers[0] = "Référence"
    report = import_catalogue(
        xlsx_file([row], headers=headers), images=ImageArchive(images), dry_run=True
    )
    assert report.rows[0].action == Action.CREATE, report.problems
    assert report.rows[0].planned.commune.name == "Marcq-en-Barœul"


def test_a_commune_is_also_found_by_its_insee_code():
    report = run([poc_row("A", commune="59512")], dry_run=True)
    assert report.rows[0].planned.commune.name == "Roubaix"


def test_a_failing_row_leaves_nothing_of_itself(monkeypatch):
    rows = [poc_row("A"), poc_row("ROW-FAIL-B"), poc_row("C")]
    original = POCPage.save_revision

    def fail_for_b(page, *args, **kwargs):
        if page.import_reference == "ROW-FAIL-B":
            raise RuntimeError("disque plein")
        return original(page, *args, **kwargs)

    monkeypatch.setattr(POCPage, "save_revision", fail_for_b)
    Image = get_image_model()

    report = run(rows)

    assert [row.action for row in report.rows] == [Action.CREATE, Action.REFUSED, Action.CREATE]
    assert "disque plein" in report.rows[1].problems[0].message
    assert set(POCPage.objects.values_list("import_reference", flat=True)) == {"A", "C"}
    assert Image.objects.count() == 2  # the failed row's image went with it, its file too
    storage = Image._meta.get_field("file").storage
    assert not any(name.startswith("row-fail-b") for name in storage.listdir("original_images")[1])


def test_an_image_already_imported_is_not_uploaded_again():
    photo = jpeg_bytes(7)
    run([poc_row("A", hero_image="bancs.jpg")], images=zip_file({"bancs.jpg": photo}))
    run([poc_row("B", hero_image="bancs-copie.jpg")], images=zip_file({"bancs-copie.jpg": photo}))
    assert get_image_model().objects.count() == 1
    heroes = set(POCPage.objects.values_list("hero_image_id", flat=True))
    assert len(heroes) == 1


def test_a_file_that_is_not_an_image_is_refused():
    report = run([poc_row("A")], images=zip_file({"a.jpg": b"not a picture"}), dry_run=True)
    assert report.rows[0].action == Action.REFUSED
    assert "a.jpg" in report.problems[0].message


def test_an_imported_poc_translates_as_any_other():
    run([poc_row("A")], publish=True)
    page = POCPage.objects.get(import_reference="A")
    translated = english(page, title="Reuse benches", slug="reuse-benches")
    assert translated.specific.import_reference is None
    again = run([poc_row("A")], publish=True)
    assert again.rows[0].action == Action.UNCHANGED


def test_a_damaged_file_in_the_zip_is_refused_with_its_name():
    photo = jpeg_bytes(3)
    archive = bytearray(zip_file({"a.jpg": photo}))
    position = bytes(archive).index(photo[200:240]) + 10
    archive[position] ^= 0xFF  # the stored bytes no longer match their checksum
    report = run([poc_row("A")], images=bytes(archive), dry_run=True)
    assert report.rows[0].action == Action.REFUSED
    assert report.problems[0].message == "Le fichier a.jpg est endommagé dans le ZIP."


def test_staff_find_imported_pocs_in_the_admin_search_and_photos_know_where_they_are_used():
    # Wagtail's per-save bookkeeping (admin search, "usage" of an image) is done once per
    # batch of rows during an import: it must still be done.
    report = run([poc_row("A", title="Lampadaire solaire du canal"), poc_row("B")])
    page = POCPage.objects.get(pk=report.rows[0].page_id)

    assert page.pk in [found.pk for found in POCPage.objects.search("lampadaire canal")]
    usage = ReferenceIndex.get_references_to(page.hero_image).group_by_source_object()
    assert [source.pk for source, _references in usage] == [page.pk]

    # Once the import is over, saves update the admin search themselves again.
    maker = make_maker(name="Collectif Horizon")
    assert maker.pk in [found.pk for found in get_search_backend().search("horizon", Maker)]


def test_published_imports_reach_pages_cached_before_the_import(client):
    assert "Lampadaire solaire du canal" not in client.get("/").text
    run([poc_row("A", title="Lampadaire solaire du canal")], publish=True)
    assert "Lampadaire solaire du canal" in client.get("/").text
