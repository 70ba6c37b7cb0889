"""In a real browser: propose a POC with a real image, a moderator approves, the catalogue finds it.

The submission form's own journey, through the browser fixtures of tests/browser/conftest.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

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
