"""A member of the communications staff imports POCs from a spreadsheet: one bad row, read in
the dry run's report, corrected, then the import published and found in the public catalogue."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.factories import make_staff
from tests.poc_catalogue.transfer_files import csv_file, photos_for, poc_row

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a-long-communications-password"


@pytest.fixture
def admin_url(live_server, settings) -> str:
    settings.MAP_TILE_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"
    make_staff("comms", "fr", PASSWORD)
    return f"{live_server.url}/admin/"


def test_staff_correct_a_refused_row_then_import_publish_and_find_the_pocs(
    page, admin_url, live_server, tmp_path
):
    rows = [
        poc_row("WDC-01", title="Bancs de réemploi de la Grand-Place"),
        poc_row("WDC-02", title="Potager partagé des Moulins", commune="Lile"),
    ]
    photos = tmp_path / "photos.zip"
    photos.write_bytes(photos_for(rows))
    spreadsheet = tmp_path / "pocs.csv"
    spreadsheet.write_bytes(csv_file(rows, delimiter=";"))

    page.goto(admin_url)
    page.fill("#id_username", "comms")
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").click()
    menu = page.get_by_role("navigation", name="Menu principal")
    menu.get_by_role("link", name="Importer des POC").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Importer des POC")

    page.get_by_label("Tableur (CSV ou XLSX)").set_input_files(str(spreadsheet))
    page.get_by_label("Images (ZIP)").set_input_files(str(photos))
    page.get_by_role("button", name="Vérifier le fichier").click()

    refused = page.locator("tr.poc-import-refused")
    expect(refused).to_have_count(1)
    expect(refused).to_contain_text("Potager partagé des Moulins")
    expect(refused).to_contain_text("Vouliez-vous dire « Lille » ?")

    rows[1]["commune"] = "Lille"
    spreadsheet.write_bytes(csv_file(rows, delimiter=";"))
    menu.get_by_role("link", name="Importer des POC").click()
    page.get_by_label("Tableur (CSV ou XLSX)").set_input_files(str(spreadsheet))
    page.get_by_label("Images (ZIP)").set_input_files(str(photos))
    page.get_by_role("button", name="Vérifier le fichier").click()

    expect(page.locator("p[role=status]")).to_contain_text("2 à créer")
    expect(page.locator("tr.poc-import-refused")).to_have_count(0)
    page.get_by_label("Publier les POC importés").check()
    page.get_by_role("button", name="Importer", exact=True).click()

    expect(page.locator("p[role=status]")).to_contain_text("2 créé(s)", timeout=60_000)

    page.goto(f"{live_server.url}/catalogue/")
    expect(page.get_by_role("link", name="Bancs de réemploi de la Grand-Place")).to_be_visible()
    expect(page.get_by_role("link", name="Potager partagé des Moulins")).to_be_visible()
