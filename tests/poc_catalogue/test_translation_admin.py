"""Staff translate POCs in the admin with wagtail-localize, and see what is left to translate.

Through the admin's own views: submit a page for translation, hand its PO file to an agency
and upload it back, publish; the report lists untranslated and out-of-date POCs.
"""

from __future__ import annotations

import csv
import io

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale
from wagtail_localize.models import Translation

from poc_catalogue.models import POCPage
from tests.factories import english, make_poc

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def french_after_the_test():
    with translation.override(settings.LANGUAGE_CODE):
        yield


def test_staff_translate_a_poc_through_a_po_file_and_publish_it(
    staff_client, client, django_capture_on_commit_callbacks
):
    poc = make_poc(
        "Vélos cargo partagés",
        summary="Des vélos-cargos en libre-service pour les commerçants.",
    )
    english_locale = Locale.objects.get(language_code="en")

    submitted = staff_client.post(
        reverse("wagtail_localize:submit_page_translation", args=[poc.pk]),
        {"locales": [english_locale.pk]},
    )
    assert submitted.status_code == 302
    draft = poc.get_translation(english_locale)
    assert not draft.live  # a draft until published: visitors still read the French page
    assert client.get(f"/en{poc.url}").status_code == 200

    # The agency receives a PO file of the French text and sends it back translated.
    work = Translation.objects.get(source__object_id=poc.translation_key)
    downloaded = staff_client.get(reverse("wagtail_localize:download_pofile", args=[work.pk]))
    po = polib.pofile(downloaded.content.decode())
    assert {"Vélos cargo partagés", poc.summary} <= {entry.msgid for entry in po}
    answers = {
        "Vélos cargo partagés": "Shared cargo bikes",
        poc.summary: "Self-service cargo bikes for shopkeepers.",
    }
    for entry in po:
        entry.msgstr = answers.get(entry.msgid, entry.msgid)
    upload = io.BytesIO(str(po).encode())
    upload.name = "translation.po"
    staff_client.post(reverse("wagtail_localize:upload_pofile", args=[work.pk]), {"file": upload})

    with django_capture_on_commit_callbacks(execute=True):
        published = staff_client.post(
            reverse("wagtailadmin_pages:edit", args=[draft.pk]), {"action": "publish"}
        )
    assert published.status_code in (200, 302)
    draft.refresh_from_db()
    assert draft.live and draft.title == "Shared cargo bikes"

    page = client.get(draft.url).content.decode()
    assert "<h1>Shared cargo bikes</h1>" in page
    assert "Self-service cargo bikes for shopkeepers." in page
    catalogue = client.get("/en/catalogue/?q=shopkeepers").content.decode()
    assert "Shared cargo bikes" in catalogue


def test_the_report_lists_what_is_left_to_translate(staff_client):
    untranslated = make_poc("Jardin partagé")
    current = make_poc("Navette électrique")
    english(current, title="Electric shuttle", slug="electric-shuttle")
    outdated = make_poc("Mobilier réemployé")
    english(outdated, title="Reused furniture", slug="reused-furniture")
    outdated.summary = "Un résumé réécrit depuis la traduction."
    outdated.save_revision().publish()
    in_draft = make_poc("Signalétique")
    english(in_draft, publish=False, title="Signage", slug="signage")

    report = staff_client.get(reverse("poc_translation_report"))
    assert report.status_code == 200
    rows = {
        poc.title: status
        for poc, status in (
            (untranslated, "Not translated"),
            (current, "Up to date"),
            (outdated, "French changed since"),
            (in_draft, "Translation in draft"),
        )
    }
    text = report.content.decode()
    for title, status in rows.items():
        row = text.split(title, 1)[1].split("</tr>", 1)[0]
        assert status in row, title
    # Only French POCs are listed: translations are their rows' second column.
    assert "Electric shuttle" not in text
    assert reverse("wagtail_localize:submit_page_translation", args=[untranslated.pk]) in text

    missing_only = staff_client.get(
        reverse("poc_translation_report"), {"translation_status": "missing"}
    ).content.decode()
    assert "Jardin partagé" in missing_only and "Navette électrique" not in missing_only

    exported = staff_client.get(reverse("poc_translation_report"), {"export": "csv"})
    table = list(csv.DictReader(io.StringIO(exported.getvalue().decode("utf-8-sig"))))
    assert {row["POC (French)"]: row["English version"] for row in table} == rows
    assert POCPage.objects.filter(locale__language_code="en").count() == 3
