"""The admin's "Importer des POC" and the listing's export, through the admin as staff use them."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from poc_catalogue.models import POCPage
from poc_catalogue.transfer.columns import HEADERS
from poc_catalogue.transfer.reading import read_rows
from tests.factories import make_poc, make_staff
from tests.poc_catalogue.transfer_files import csv_file, photos_for, poc_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def french_staff(client):
    """A superuser whose admin speaks French, the staff's language."""
    client.force_login(make_staff("comms", "fr"))
    return client


def upload(client, rows, images=None):
    return client.post(
        reverse("poc_import"),
        {
            "spreadsheet": SimpleUploadedFile("pocs.csv", csv_file(rows, delimiter=";")),
            "images": SimpleUploadedFile(
                "photos.zip", photos_for(rows) if images is None else images
            ),
        },
    )


def test_the_dry_run_report_shows_the_refused_row_and_writes_nothing(french_staff):
    response = upload(french_staff, [poc_row("A"), poc_row("B", commune="Lile")])

    assert response.status_code == 302
    report = french_staff.get(response["Location"]).content.decode()
    assert "Simulation : 1 à créer, 0 à mettre à jour, 0 inchangé(s), 1 refusé(s)." in report
    assert 'class="poc-import-refused"' in report
    assert "Vouliez-vous dire « Lille » ?" in report
    assert "<code>commune</code>" in report
    assert 'name="publish"' in report
    assert not POCPage.objects.exists()


def test_confirming_imports_and_publishes_then_reports(french_staff):
    job_url = upload(french_staff, [poc_row("A"), poc_row("B")])["Location"]

    response = french_staff.post(job_url, {"publish": "1"})

    assert response.status_code == 302
    report = french_staff.get(job_url).content.decode()
    assert "2 créé(s), 0 mis à jour, 0 inchangé(s), 0 refusé(s)." in report
    assert POCPage.objects.live().count() == 2
    assert french_staff.post(job_url).status_code == 404  # one import per dry run


def test_a_file_that_is_not_a_spreadsheet_is_refused_on_the_form(french_staff):
    response = french_staff.post(
        reverse("poc_import"),
        {"spreadsheet": SimpleUploadedFile("pocs.csv", b"\x00\x01 garbage without columns")},
    )
    assert response.status_code == 200
    assert "Il manque au fichier les colonnes" in response.content.decode()


def test_the_templates_to_fill_in_have_the_columns_and_an_example(french_staff):
    for file_format in ("csv", "xlsx"):
        response = french_staff.get(reverse("poc_import_template", args=(file_format,)))
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        [example] = read_rows(response.content)
        assert list(example.cells) == list(HEADERS)
        assert example.cells["reference"] == "POC-001"


def test_the_listing_exports_its_filtered_selection_in_the_import_columns(french_staff):
    make_poc("Vélos cargo partagés", stage="deploy")
    make_poc("Jardin des Moulins", stage="imagine")
    url = reverse("poc_pages:index")

    everything = french_staff.get(url, {"export": "csv"})
    deployed = french_staff.get(url, {"export": "xlsx", "stage": "deploy"})

    assert everything.status_code == 200
    assert {row.cells["title"] for row in read_rows(everything.content)} == {
        "Vélos cargo partagés",
        "Jardin des Moulins",
    }
    assert [row.cells["title"] for row in read_rows(deployed.content)] == ["Vélos cargo partagés"]


def test_staff_who_cannot_add_pocs_cannot_import(client):
    user = get_user_model().objects.create_user("reader", "reader@example.org", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    response = client.get(reverse("poc_import"))
    # Wagtail turns a refusal in its admin into a message on its home page.
    assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))
    assert reverse("poc_import") not in client.get(reverse("wagtailadmin_home")).content.decode()
