"""`manage.py import_catalogue` and `export_catalogue`, run as staff and scripts run them."""

from __future__ import annotations

import pytest

from poc_catalogue.models import POCPage
from poc_catalogue.transfer.reading import read_rows
from tests.poc_catalogue.transfer_files import csv_file, photos_for, poc_row
from tests.processes import manage

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def files(tmp_path):
    def write(rows, images=None):
        spreadsheet, archive = tmp_path / "pocs.csv", tmp_path / "photos.zip"
        spreadsheet.write_bytes(csv_file(rows, delimiter=";"))
        archive.write_bytes(photos_for(rows) if images is None else images)
        return str(spreadsheet), str(archive)

    return write


def test_a_dry_run_reports_the_bad_row_exits_with_1_and_writes_nothing(files):
    spreadsheet, images = files([poc_row("A"), poc_row("B", commune="Lile")])

    result = manage("import_catalogue", spreadsheet, "--images", images, "--dry-run")

    assert result.returncode == 1, result.stderr
    assert "ligne 3, commune: La commune « Lile »" in result.stdout
    assert "Vouliez-vous dire « Lille » ?" in result.stdout
    assert "1 à créer" in result.stderr and "1 refusé" in result.stderr
    assert "lignes" in result.stderr  # the progress bar
    assert not POCPage.objects.exists()


def test_importing_twice_publishes_once_then_changes_nothing(files):
    spreadsheet, images = files([poc_row("A"), poc_row("B")])

    first = manage("import_catalogue", spreadsheet, "--images", images, "--publish")
    second = manage("import_catalogue", spreadsheet, "--images", images, "--publish")

    assert first.returncode == 0, first.stderr
    assert "2 créé(s)" in first.stdout
    assert second.returncode == 0, second.stderr
    assert "0 créé(s), 0 mis à jour, 2 inchangé(s)" in second.stdout
    assert POCPage.objects.live().count() == 2


def test_a_missing_file_is_an_error_not_a_traceback(tmp_path):
    result = manage("import_catalogue", str(tmp_path / "absent.csv"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr


def test_the_export_writes_the_catalogue_and_its_images(files, tmp_path):
    spreadsheet, images = files([poc_row("A")])
    assert manage("import_catalogue", spreadsheet, "--images", images).returncode == 0
    output, photos = tmp_path / "export.xlsx", tmp_path / "export.zip"

    result = manage(
        "export_catalogue", "--format", "xlsx", "--output", str(output), "--images", str(photos)
    )

    assert result.returncode == 0, result.stderr
    assert "1 POCs exported" in result.stdout
    [row] = read_rows(output.read_bytes())
    assert row.cells["reference"] == "A"
    assert photos.stat().st_size > 0
