"""A maker follows a proposal through, in French, in Chromium: sends it, is asked for changes by a
moderator in the admin, edits it from the link in the email, and finds it published. Then a
visitor supports the new POC and comments on it, the moderator approves the comment in the
queue, and the comment appears under the POC.

axe-core checks the status, edit, withdraw and lost-link pages. Set SHOWCASE_SHOTS to a directory
to keep screenshots of the maker's pages at 1440 and 390 px.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from poc_catalogue.comments.models import Comment, CommentStatus
from poc_catalogue.models import POCPage
from poc_catalogue.submissions.models import Submission, SubmissionStatus
from poc_catalogue.submissions.moderators import review_groups
from tests.submissions.conftest import image_bytes

from .test_accessibility import assert_no_violations
from .test_moderation_journey import log_in, open_action_menu

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Bancs partagés de Roubaix"
NEW_TITLE = "Bancs partagés de l'Épeule"
CHANGES = "Retirez la photo floue et mettez le plan en premier."
MAKER = "camille@example.org"
COMMENT = "Un banc pour attendre le bus à l'ombre, enfin. Merci !"


def shots(page, name: str) -> None:
    """The page at a desktop and a phone width, when SHOWCASE_SHOTS asks for them."""
    if directory := os.environ.get("SHOWCASE_SHOTS"):
        for width, height in ((1440, 900), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            page.screenshot(
                path=str(Path(directory) / f"followup-{name}-{width}.png"), full_page=True
            )
        page.set_viewport_size({"width": 1280, "height": 720})


@pytest.fixture
def moderator(django_user_model):
    user = django_user_model.objects.create_user(
        "moderatrice", email="moderatrice@example.org", password="secret-password"
    )
    user.groups.add(*review_groups())
    return user


def submit_through_the_form(page, live_server, tmp_path: Path) -> None:
    photo, plan = tmp_path / "banc.jpg", tmp_path / "plan.png"
    photo.write_bytes(image_bytes("JPEG", size=(1200, 800)))
    plan.write_bytes(image_bytes("PNG", size=(800, 600)))
    page.goto(f"{live_server.url}/submit/")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_summary").fill("Des bancs conçus avec les habitants.")
    page.locator("#id_description").fill("Un atelier avec les habitants.")
    page.locator("input[name=themes]").first.check()
    page.locator("input[name=stage]").first.check()
    page.locator("#id_year").select_option("2020")
    page.locator("#id_commune").select_option(label="Roubaix")
    page.locator("#id_images-0-file").set_input_files(str(photo))
    page.locator("#id_images-0-alt_text").fill("Une photo floue des bancs")
    page.locator("#id_images-0-credit").fill("Atelier Bancal")
    page.locator("details.more-images > summary").click()
    page.locator("#id_images-1-file").set_input_files(str(plan))
    page.locator("#id_images-1-alt_text").fill("Le plan de la place")
    page.locator("#id_images-1-credit").fill("Ville de Roubaix")
    page.locator("#id_new_maker_name").fill("Atelier Bancal")
    page.locator("#id_new_maker_kind").select_option("studio")
    page.locator("#id_contact_name").fill("Camille Martin")
    page.locator("#id_contact_email").fill(MAKER)
    page.locator("#id_consent_publication").check()
    page.locator("#id_consent_personal_data").check()
    page.locator("form.submission-form button[type=submit]").click()
    page.get_by_role("heading", name="Merci, votre proposition est bien partie").wait_for()


def request_changes_in_the_admin(page, live_server, submission: Submission) -> None:
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/pages/{submission.page_id}/edit/")
    page.get_by_text("Proposition reçue le").wait_for()
    open_action_menu(page)
    page.get_by_role("button", name="Demander des modifications").click()
    page.get_by_label("Message au porteur").fill(CHANGES)
    page.locator(".modal form button[type=submit]").click()
    page.get_by_text("Modifications demandées : le porteur lit votre message").wait_for()


def status_link_in_the_last_email() -> str:
    body = [email for email in mail.outbox if email.to == [MAKER]][-1].body
    return re.search(r"https?://\S+(/submit/status/\S+/)", body).group(1)


def test_the_maker_edits_a_proposal_sent_back_and_sees_it_published(
    page, live_server, moderator, tmp_path: Path, axe_violations
):
    submit_through_the_form(page, live_server, tmp_path)
    submission = Submission.objects.get()
    request_changes_in_the_admin(page, live_server, submission)
    maker = page.context.browser.new_page()

    subjects = [email.subject for email in mail.outbox if email.to == [MAKER]]
    assert subjects[-1] == "Des modifications sont demandées pour votre proposition de POC"
    maker.goto(f"{live_server.url}{status_link_in_the_last_email()}")
    maker.get_by_role("heading", name="Modifications demandées").first.wait_for()
    assert CHANGES in maker.locator(".moderator-comment").inner_text()
    assert_no_violations(axe_violations(maker))
    shots(maker, "status")

    maker.get_by_role("link", name="Modifier ma proposition").click()
    maker.get_by_role("heading", name="Modifier ma proposition").wait_for()
    assert maker.locator("#id_title").input_value() == TITLE
    assert_no_violations(axe_violations(maker))
    shots(maker, "edit")
    maker.locator("#id_title").fill(NEW_TITLE)
    maker.locator("#id_current-0-remove").check()
    maker.locator("#id_current-1-position").fill("1")
    maker.get_by_role("button", name="Envoyer mes modifications").click()

    maker.get_by_role("heading", name="En cours d’examen").first.wait_for()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.IN_REVIEW
    draft = POCPage.objects.get(pk=submission.page_id).get_latest_revision_as_object()
    assert draft.title == NEW_TITLE
    assert draft.hero_alt_text == "Le plan de la place"
    assert draft.gallery_images.count() == 0

    maker.get_by_role("link", name="Retirer ma proposition").click()
    maker.get_by_role("heading", name="Retirer ma proposition").wait_for()
    assert_no_violations(axe_violations(maker))
    shots(maker, "withdraw")
    maker.get_by_role("link", name="Non, la garder").click()
    maker.get_by_role("heading", name="En cours d’examen").first.wait_for()

    page.goto(f"{live_server.url}/admin/pages/{submission.page_id}/edit/")
    page.locator("footer button[data-workflow-action-name='approve']").first.click()
    page.get_by_text("Proposition approuvée et publiée").wait_for()

    maker.reload()
    maker.get_by_role("heading", name="Publiée").first.wait_for()
    maker.get_by_role("link", name="La voir dans le catalogue").click()
    maker.get_by_role("heading", name=NEW_TITLE).first.wait_for()
    subjects = [email.subject for email in mail.outbox if email.to == [MAKER]]
    assert subjects[-2:] == [
        "Votre proposition de POC est en cours d’examen",
        "Votre proposition de POC est publiée",
    ]

    # A visitor, with no account, supports the published POC and comments on it.
    visitor = page.context.browser.new_context(locale="fr-FR").new_page()
    visitor.goto(maker.url)
    support = visitor.locator(".support--page .support__button")
    expect(support).to_have_attribute("aria-pressed", "false")
    support.click()
    expect(support).to_have_attribute("aria-pressed", "true")
    expect(visitor.locator(".support--page [data-support-count]")).to_have_text("1 soutien")
    visitor.get_by_role("link", name="Laisser un commentaire").click()
    visitor.get_by_label("Votre nom ou pseudonyme").fill("Alex de l'Épeule")
    visitor.get_by_label("Votre commentaire", exact=True).fill(COMMENT)
    visitor.get_by_role("button", name="Envoyer mon commentaire").click()
    visitor.get_by_role("heading", name="Merci pour votre commentaire").wait_for()
    visitor.goto(maker.url)
    assert COMMENT not in visitor.locator("#comments").inner_text()

    # The moderator approves it from the queue; the comment appears under the POC.
    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("link", name="1 commentaire en attente de modération").click()
    row = page.locator("tbody tr").filter(has_text="Alex de l'Épeule")
    assert NEW_TITLE in row.inner_text()
    row.get_by_role("checkbox").check()
    page.get_by_role("button", name="Approuver les commentaires cochés").click()
    page.get_by_text("1 commentaire approuvé.").wait_for()
    assert Comment.objects.get().status == CommentStatus.APPROVED

    visitor.reload()
    assert COMMENT in visitor.locator("#comments").inner_text()
    expect(visitor.locator(".support--page .support__button")).to_have_attribute(
        "aria-pressed", "true"
    )


def test_the_lost_link_pages_are_accessible_and_answer_alike(page, live_server, axe_violations):
    page.goto(f"{live_server.url}/submit/lost-link/")
    page.get_by_role("heading", name="J’ai perdu mon lien").wait_for()
    assert_no_violations(axe_violations(page))
    shots(page, "lost-link")
    page.get_by_label("Votre adresse e-mail").fill("personne@example.org")
    page.get_by_role("button", name="M’envoyer mes liens").click()
    page.get_by_role("heading", name="Consultez vos messages").wait_for()
    assert_no_violations(axe_violations(page))
    shots(page, "lost-link-sent")
