"""In a real browser: propose a POC with a real image, a moderator approves, the catalogue finds it.

The submission form's own journey, through the browser fixtures of tests/browser/conftest.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from poc_catalogue.models import POCPage
from poc_catalogue.submissions.models import Submission, SubmissionStatus
from tests.submissions.conftest import catalogue_search_finds, image_bytes

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_propose_approve_and_find_in_the_catalogue(page, live_server, tmp_path: Path):
    photo = tmp_path / "banc.jpg"
    photo.write_bytes(image_bytes("JPEG", size=(1200, 800)))

    page.goto(f"{live_server.url}/en/submit/")
    page.get_by_label("Project title", exact=True).fill("Kiosque solaire de Tourcoing")
    page.get_by_label("Summary", exact=True).fill("Un kiosque qui recharge les vélos au soleil.")
    page.get_by_label("Description", exact=True).fill("Conçu avec les habitants du quartier.")
    page.locator("input[name=themes]").first.check()
    page.get_by_label("Experimenting", exact=True).check()
    page.get_by_label("Year of the project", exact=True).select_option("2020")
    page.get_by_label("Commune", exact=True).select_option(label="Tourcoing")
    page.locator("#id_images-0-file").set_input_files(str(photo))
    page.locator("#id_images-0-alt_text").fill("Un kiosque vert sur une place")
    page.locator("#id_images-0-credit").fill("Studio Soleil, 2020")
    page.locator("#id_new_maker_name").fill("Studio Soleil")
    page.locator("#id_new_maker_kind").select_option("studio")
    page.get_by_label("Your name", exact=True).fill("Alex Dupont")
    page.get_by_label("Your email address", exact=True).fill("alex@example.org")
    page.locator("#id_consent_publication").check()
    page.locator("#id_consent_personal_data").check()
    page.get_by_role("button", name="Send my proposal").click()

    page.get_by_role("heading", name="Thank you, your proposal is on its way").wait_for()
    page.get_by_role("link", name="Follow my proposal").click()
    page.get_by_role("heading", name="Received").wait_for()

    submission = Submission.objects.get()
    poc = POCPage.objects.get(pk=submission.page_id)
    assert not poc.live
    moderator = get_user_model().objects.create_superuser("chief", "chief@example.org", "pw")
    task_state = poc.current_workflow_task_state
    task_state.task.specific.on_action(task_state, moderator, "approve")

    page.reload()
    page.get_by_role("heading", name="Published").wait_for()
    assert Submission.objects.get().status == SubmissionStatus.PUBLISHED
    assert catalogue_search_finds(poc, "kiosque solaire")
    page.get_by_role("link", name="See it in the catalogue").click()
    page.get_by_role("heading", name="Kiosque solaire de Tourcoing").first.wait_for()


def test_a_maker_on_a_phone_fixes_a_too_long_summary_and_keeps_the_images(
    page, live_server, tmp_path: Path, axe_violations
):
    photo, plan = tmp_path / "banc.jpg", tmp_path / "plan.png"
    photo.write_bytes(image_bytes("JPEG", size=(1200, 800)))
    plan.write_bytes(image_bytes("PNG", size=(600, 400)))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/submit/")

    page.locator("#id_title").fill("Bancs du quartier de l'Épeule")
    too_long = ("Des bancs conçus avec les habitants pour se reposer. " * 6).strip()  # 317
    page.locator("#id_summary").fill(too_long)
    counter = page.locator("#id_summary_counter")
    expect(counter).to_have_class(re.compile("field__counter--over"))
    expect(counter).to_contain_text("317 / 280 · 37 caractères de trop")
    expect(counter.get_by_role("status")).to_have_text("37 caractères de trop")
    assert page.locator("#id_summary").input_value() == too_long  # nothing cut

    page.locator("#id_description").fill("Un atelier avec les habitants.")
    page.locator("input[name=themes]").first.check()
    page.locator("input[name=stage]").first.check()
    page.locator("#id_year").select_option("2019")
    page.locator("#id_commune").select_option(label="Roubaix")
    page.locator("#id_images-0-file").set_input_files(str(photo))
    page.locator("#id_images-0-alt_text").fill("Trois bancs sur une place")
    page.locator("#id_images-0-credit").fill("Atelier Bancal")
    page.get_by_text("Ajouter jusqu’à sept autres images").click()
    page.locator("#id_images-1-file").set_input_files(str(plan))
    page.locator("#id_images-1-alt_text").fill("Plan de la place")
    page.locator("#id_images-1-credit").fill("Ville de Roubaix")
    page.locator("#id_new_maker_name").fill("Atelier Bancal")
    page.locator("#id_new_maker_kind").select_option("studio")
    page.locator("#id_contact_name").fill("Camille Martin")
    page.locator("#id_contact_email").fill("camille@example.org")
    page.locator("#id_consent_publication").check()
    page.locator("#id_consent_personal_data").check()
    page.get_by_role("button", name="Envoyer ma proposition").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Le résumé fait 317 caractères\u00a0: 37 de trop.")
    expect(summary).to_contain_text("Vos 2 images sont conservées un jour")
    expect(page.locator(".kept-image")).to_have_count(2)
    expect(page.locator(".kept-image").first).to_contain_text("banc.jpg")
    # A function, not an expression: Playwright polls an expression with eval(), which the
    # page's Content-Security-Policy refuses.
    page.wait_for_function(
        "() => [...document.querySelectorAll('.kept-image__thumbnail')]"
        ".every(image => image.complete && image.naturalWidth > 0)"
    )
    assert axe_violations(page) == []

    page.locator("#id_summary").fill("Des bancs conçus avec les habitants pour se reposer.")
    expect(counter).not_to_have_class(re.compile("field__counter--over"))
    expect(counter).to_contain_text("52 / 280")
    page.locator("#id_consent_publication").check()
    page.locator("#id_consent_personal_data").check()
    page.get_by_role("button", name="Envoyer ma proposition").click()

    page.get_by_role("heading", name="Merci, votre proposition est bien partie").wait_for()
    poc = POCPage.objects.get(pk=Submission.objects.get().page_id)
    assert poc.year == 2019
    assert poc.hero_image.width == 1200 and poc.gallery_images.get().image.width == 600
