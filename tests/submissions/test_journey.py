"""A maker proposes a POC, a moderator reviews it, the catalogue shows it."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from wagtail.models import WorkflowState

from poc_catalogue.models import Maker, POCPage
from poc_catalogue.submissions.models import Submission, SubmissionStatus
from tests.factories import make_maker

from .conftest import catalogue_search_finds, form_data, image_bytes, image_fields, upload

pytestmark = pytest.mark.django_db


def submit(client, django_capture_on_commit_callbacks, **overrides):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/submit/", form_data(**overrides), follow=True)
    assert response.status_code == 200, response.content.decode()[:2000]
    return response


def status_link_from(email) -> str:
    match = re.search(r"https?://[^/\s]+(/(?:en/)?submit/status/[^/\s]+/)", email.body)
    assert match, email.body
    return match.group(1)


def approve(page: POCPage, user) -> None:
    page = POCPage.objects.get(pk=page.pk)
    task_state = page.current_workflow_task_state
    task_state.task.specific.on_action(task_state, user, "approve")


def test_form_page_speaks_french_by_default_and_english_on_request(client):
    french = client.get("/submit/")
    english = client.get("/en/submit/")
    assert french.status_code == english.status_code == 200
    assert 'lang="fr"' in french.content.decode()
    assert "Proposer un POC" in french.content.decode()
    assert "Propose a POC" not in french.content.decode()
    assert 'lang="en"' in english.content.decode()
    assert "Propose a POC" in english.content.decode()
    assert 'name="images-7-file"' in english.content.decode()


def test_the_whole_journey(client, moderator, django_capture_on_commit_callbacks):
    response = submit(
        client,
        django_capture_on_commit_callbacks,
        **image_fields(
            2,
            upload(image_bytes("PNG"), name="plan.png", content_type="image/png"),
            alt_text="Plan de la place",
            credit="Ville de Roubaix",
        ),
    )
    assert "submit/status/" in response.content.decode()

    submission = Submission.objects.get()
    page = submission.page
    assert not page.live and page.has_unpublished_changes
    assert page.get_parent().specific.__class__.__name__ == "CatalogueIndexPage"
    assert page.hero_image.collection.name == "Submissions"
    assert page.hero_image.file_size and page.hero_image.file_hash
    assert page.gallery_images.get().image.collection.name == "Submissions"
    assert sorted(page.tags.names()) == ["mobilier urbain", "rencontre"]
    assert page.contact_email == ""
    maker = page.poc_makers.get().maker
    assert maker.name == "Atelier Bancal" and not maker.is_public
    workflow = WorkflowState.objects.get(object_id=str(page.pk)).workflow
    assert workflow.name == "Relecture des propositions"

    receipt = next(email for email in mail.outbox if email.to == ["camille@example.org"])
    alert = next(email for email in mail.outbox if "/admin/pages/" in email.body)
    assert "moderation@example.org" in alert.to
    assert "camille@example.org" not in alert.body
    status_url = status_link_from(receipt)

    english_status_url = "/en" + status_url.removeprefix("/en")
    assert "Received" in client.get(english_status_url).content.decode()

    client.force_login(moderator)
    dashboard = client.get("/admin/")
    assert "Bancs partagés de Roubaix" in dashboard.content.decode()
    assert client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.IN_REVIEW

    task_state = POCPage.objects.get(pk=page.pk).current_workflow_task_state
    task_state.task.specific.on_action(
        task_state, moderator, "reject", comment="Ajoutez une photo <b>du quartier</b>."
    )
    client.logout()
    changes = client.get(english_status_url).content.decode()
    assert "Changes requested" in changes
    assert "Ajoutez une photo &lt;b&gt;du quartier&lt;/b&gt;." in changes

    page = POCPage.objects.get(pk=page.pk)
    page.save_revision(user=moderator)
    page.current_workflow_state.resume(user=moderator)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.IN_REVIEW

    approve(page, moderator)
    page = POCPage.objects.get(pk=page.pk)
    assert page.live
    assert Maker.objects.get(pk=maker.pk).is_public
    published = client.get(english_status_url).content.decode()
    assert "Published" in published
    assert page.url in published

    public_page = client.get(page.url).content.decode()
    assert "Bancs partagés de Roubaix" in public_page
    assert "camille@example.org" not in public_page and "03 20 00 00 00" not in public_page
    assert catalogue_search_finds(page, "bancs partagés")
    assert not catalogue_search_finds(page, "camille@example.org")


def test_picking_an_existing_maker_keeps_it(client, django_capture_on_commit_callbacks):
    maker = make_maker("Collectif Rue Libre")
    submit(
        client,
        django_capture_on_commit_callbacks,
        existing_maker=str(maker.pk),
        new_maker_name="",
        new_maker_kind="",
        new_maker_website="",
    )
    assert Submission.objects.get().page.poc_makers.get().maker == maker
    assert Maker.objects.count() == 1


def test_a_new_maker_with_a_known_name_is_matched(client, django_capture_on_commit_callbacks):
    maker = make_maker("Atelier Bancal", is_public=False)
    submit(client, django_capture_on_commit_callbacks)
    assert Submission.objects.get().page.poc_makers.get().maker == maker


def test_a_moderator_can_reject(client, moderator, django_capture_on_commit_callbacks):
    submit(client, django_capture_on_commit_callbacks)
    submission = Submission.objects.get()
    task_state = submission.page.current_workflow_task_state
    task = task_state.task.specific
    assert "refuse" in [name for name, *_ in task.get_actions(submission.page, moderator)]
    task.on_action(task_state, moderator, "refuse", comment="Hors du périmètre de WDC 2020.")

    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.REJECTED
    assert not POCPage.objects.get(pk=submission.page_id).live
    assert WorkflowState.objects.get(object_id=str(submission.page_id)).status == "cancelled"
    assert not Maker.objects.get(name="Atelier Bancal").is_public


def test_status_page_needs_the_exact_token(client, django_capture_on_commit_callbacks):
    submit(client, django_capture_on_commit_callbacks)
    assert client.get("/submit/status/not-the-token/").status_code == 404
    assert client.get("/submit/status/" + "a" * 300 + "/").status_code == 404


def test_nobody_adds_a_submission_in_the_admin(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/admin/submission_records/").status_code == 200
    assert client.get("/admin/submission_records/new/").status_code in (302, 403)


def test_contact_details_are_for_permitted_staff_only(
    client, moderator, django_user_model, django_capture_on_commit_callbacks
):
    submit(client, django_capture_on_commit_callbacks)
    submission = Submission.objects.get()
    client.force_login(moderator)
    listing = client.get("/admin/submission_records/")
    assert listing.status_code == 200
    assert "camille@example.org" in listing.content.decode()
    inspect = client.get(f"/admin/submission_records/inspect/{submission.pk}/")
    assert "03 20 00 00 00" in inspect.content.decode()
    assert client.get("/admin/submission_records/new/").status_code in (302, 403)

    editor = django_user_model.objects.create_user("editor", password="secret-password")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    assert client.get("/admin/submission_records/").status_code in (302, 403)


def test_moderator_rejects_from_the_admin_workflow_menu(
    client, moderator, django_capture_on_commit_callbacks
):
    submit(client, django_capture_on_commit_callbacks)
    submission = Submission.objects.get()
    task_state = submission.page.current_workflow_task_state
    client.force_login(moderator)
    edit_page = client.get(f"/admin/pages/{submission.page_id}/edit/").content.decode()
    assert f"/refuse/{task_state.pk}/" in edit_page

    response = client.post(
        f"/admin/pages/workflow/action/{submission.page_id}/refuse/{task_state.pk}/",
        {"comment": "Ce projet n'est pas un POC de WDC 2020."},
    )
    assert response.status_code in (200, 302)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.REJECTED
    assert submission.moderator_comment == "Ce projet n'est pas un POC de WDC 2020."


def test_a_video_link_becomes_a_video_block(client, django_capture_on_commit_callbacks):
    submit(
        client,
        django_capture_on_commit_callbacks,
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    )
    body = Submission.objects.get().page.body
    assert [block.block_type for block in body] == ["paragraph", "paragraph", "video"]
    assert body[2].value["embed"].url == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
