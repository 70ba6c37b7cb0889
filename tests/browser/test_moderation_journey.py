"""A moderator, in the French admin, asks a maker for changes, then approves the proposal.

Through the real admin in Chromium: the dashboard's review queue, the draft's action menu,
the comment modal, the confirmation messages and the "waiting on the maker" list.
Set SHOWCASE_SHOTS to a directory to keep screenshots of each step.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.test import Client

from poc_catalogue.models import POCPage
from poc_catalogue.submissions.models import Submission, SubmissionStatus
from poc_catalogue.submissions.moderators import review_groups
from tests.submissions.conftest import form_data

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Bancs partagés de Roubaix"
CHANGES = "Ajoutez une photo des bancs occupés."


def shot(page, name: str) -> None:
    if directory := os.environ.get("SHOWCASE_SHOTS"):
        page.wait_for_timeout(600)  # let menus and messages finish appearing
        page.screenshot(path=str(Path(directory) / f"{name}.png"), full_page=True)


@pytest.fixture
def proposal(settings) -> Submission:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    response = Client().post("/submit/", form_data(title=TITLE), follow=True)
    assert response.status_code == 200
    return Submission.objects.get()


@pytest.fixture
def moderator(django_user_model):
    user = django_user_model.objects.create_user(
        "moderatrice", email="moderatrice@example.org", password="secret-password"
    )
    user.groups.add(*review_groups())
    return user


def log_in(page, live_server) -> None:
    page.goto(f"{live_server.url}/admin/login/")
    page.locator("#id_username").fill("moderatrice")
    page.locator("#id_password").fill("secret-password")
    page.get_by_role("button", name="S'identifier").click()
    page.get_by_role("heading", name="En attente de votre vérification").wait_for()


def open_action_menu(page) -> None:
    page.locator("footer .w-dropdown-button button[aria-expanded]").first.click()


def test_request_changes_then_approve(page, live_server, proposal, moderator):
    log_in(page, live_server)
    row = page.locator("#awaiting-review-section tr", has_text=TITLE)
    assert "Camille Martin" in row.inner_text()
    assert "Validation par les modérateurs" in row.inner_text()
    shot(page, "1-dashboard")

    row.get_by_role("link", name=TITLE).click()
    page.get_by_text("Proposition reçue le").wait_for()
    assert page.get_by_role("link", name="Voir la proposition et les coordonnées").is_visible()
    main_button = page.locator("footer button[data-workflow-action-name='approve']").first
    assert "Approuver et publier" in main_button.inner_text()
    open_action_menu(page)
    assert page.locator("footer [name='action-publish']").count() == 0
    shot(page, "2-draft-in-review")

    page.get_by_role("button", name="Demander des modifications").click()
    comment = page.get_by_label("Message au porteur")
    comment.wait_for()
    assert page.get_by_text("Le porteur lit ce message").is_visible()
    shot(page, "3-request-changes-modal")
    comment.fill(CHANGES)
    page.locator(".modal form button[type=submit]").click()

    page.get_by_text("Modifications demandées : le porteur lit votre message").wait_for()
    waiting = page.locator("#awaiting-maker-section, section", has_text="En attente du porteur")
    assert TITLE in waiting.first.inner_text() and CHANGES in waiting.first.inner_text()
    shot(page, "4-dashboard-waiting-on-the-maker")
    assert Submission.objects.get().status == SubmissionStatus.CHANGES_REQUESTED

    # The maker sent the photo by email; the moderator adds it and sends the draft back.
    waiting.first.get_by_role("link", name="Modifier").click()
    page.get_by_text("Proposition reçue le").wait_for()
    open_action_menu(page)
    page.get_by_role("button", name="Resoumettre à Validation par les modérateurs").click()
    page.get_by_role("heading", name="En attente de votre vérification").or_(
        page.locator(".messages")
    ).first.wait_for()
    assert Submission.objects.get().status == SubmissionStatus.IN_REVIEW

    page.goto(f"{live_server.url}/admin/pages/{proposal.page_id}/edit/")
    page.locator("footer button[data-workflow-action-name='approve']").first.click()
    page.get_by_text("Proposition approuvée et publiée").wait_for()
    shot(page, "5-approved")
    assert Submission.objects.get().status == SubmissionStatus.PUBLISHED
    assert POCPage.objects.get(pk=proposal.page_id).live
