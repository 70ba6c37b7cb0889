"""The moderator's side of a proposal in the (French) admin: links, actions, queues, alerts."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from wagtail.models import Task, Workflow

from poc_catalogue.models import POCPage
from poc_catalogue.submissions.models import Submission, SubmissionStatus
from poc_catalogue.submissions.moderators import moderator_addresses, review_groups
from tests.processes import manage

from .conftest import form_data

CHANGES = "Ajoutez une photo du quartier, s’il vous plaît."


def make_moderator(django_user_model, username: str = "moderatrice", **fields):
    fields.setdefault("email", f"{username}@example.org")
    user = django_user_model.objects.create_user(username, password="secret-password", **fields)
    user.groups.add(*review_groups())
    return user


def propose(client, django_capture_on_commit_callbacks, **overrides) -> Submission:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/submit/", form_data(**overrides), follow=True)
    assert response.status_code == 200, response.content.decode()[:2000]
    return Submission.objects.latest("created_at")


@pytest.fixture
def proposal(client, django_capture_on_commit_callbacks) -> Submission:
    return propose(client, django_capture_on_commit_callbacks)


@pytest.fixture
def moderator(django_user_model):
    return make_moderator(django_user_model)


def act(submission: Submission, user, action: str, **data) -> None:
    """A review action as the admin performs it, on the draft's current task."""
    task_state = POCPage.objects.get(pk=submission.page_id).current_workflow_task_state
    task_state.task.specific.on_action(task_state, user, action, **data)


def draft_url(submission: Submission) -> str:
    return f"/admin/pages/{submission.page_id}/edit/"


def inspect_url(submission: Submission) -> str:
    return f"/admin/submission_records/inspect/{submission.pk}/"


def inspected_value(html: str, label: str) -> str:
    match = re.search(rf"{label}\s*</dt>\s*<dd[^>]*>(.*?)</dd>", html, re.S)
    assert match, html
    return " ".join(match.group(1).split())


pytestmark = pytest.mark.django_db


# 1. A proposal and its draft, linked both ways for moderators.


def test_the_proposal_links_to_its_draft_and_the_draft_back(client, proposal, moderator):
    client.force_login(moderator)
    inspect = client.get(inspect_url(proposal)).content.decode()
    assert f'<a href="{draft_url(proposal)}">' in inspect
    assert "Modifier le brouillon du POC « Bancs partagés de Roubaix »" in inspect
    assert '<a href="mailto:camille@example.org">' in inspect
    edit = client.get(f"/admin/submission_records/edit/{proposal.pk}/").content.decode()
    assert f'href="{draft_url(proposal)}"' in edit

    draft = client.get(draft_url(proposal)).content.decode()
    assert f'href="{inspect_url(proposal)}"' in draft
    assert "Voir la proposition et les coordonnées" in draft
    assert "Proposition et coordonnées" in draft


def test_staff_without_the_submissions_permission_get_no_link(client, proposal, admin_user):
    editor = admin_user.__class__.objects.create_user("redaction", password="secret-password")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    draft = client.get(draft_url(proposal)).content.decode()
    assert "submission_records" not in draft
    assert "camille@example.org" not in draft


# 2. The review actions lead, nothing skips the review, the outcome is said.


def test_the_review_actions_lead_and_publish_is_gone(client, proposal, moderator):
    client.force_login(moderator)
    draft = client.get(draft_url(proposal)).content.decode()
    assert 'name="action-publish"' not in draft
    order = [
        draft.index("Approuver et publier"),
        draft.index("Demander des modifications"),
        draft.index("Refuser la proposition"),
        draft.index("Enregistrer le brouillon"),
    ]
    assert order == sorted(order)


def test_the_comment_field_says_the_maker_reads_it(client, proposal, moderator):
    client.force_login(moderator)
    task_state = POCPage.objects.get(pk=proposal.page_id).current_workflow_task_state
    url = reverse(
        "wagtailadmin_pages:collect_workflow_action_data",
        args=[proposal.page_id, "reject", task_state.pk],
    )
    modal = client.get(url).json()["html"]
    assert "Message au porteur" in modal
    assert "Le porteur lit ce message sur la page de suivi privée de sa proposition" in modal

    empty = client.post(url, {"comment": ""}, headers={"x-requested-with": "XMLHttpRequest"})
    assert "Champ requis." in empty.json()["html"]
    proposal.refresh_from_db()
    assert proposal.status != SubmissionStatus.CHANGES_REQUESTED


def test_approving_with_a_note_keeps_it_from_the_maker(client, proposal, moderator):
    client.force_login(moderator)
    task_state = POCPage.objects.get(pk=proposal.page_id).current_workflow_task_state
    url = reverse(
        "wagtailadmin_pages:collect_workflow_action_data",
        args=[proposal.page_id, "approve", task_state.pk],
    )
    modal = client.get(url).json()["html"]
    assert "le porteur ne le voit pas" in modal


def dashboard_action(client, submission: Submission, action: str, **data):
    """A review action from the dashboard's menu, as its buttons post it."""
    task_state = POCPage.objects.get(pk=submission.page_id).current_workflow_task_state
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=[submission.page_id, action, task_state.pk]
    )
    return client.post(url, data, follow=True).content.decode()


def test_the_dashboard_actions_say_what_happened(client, proposal, moderator):
    client.force_login(moderator)
    sent_back = dashboard_action(client, proposal, "reject", comment=CHANGES)
    assert "Modifications demandées : le porteur lit votre message" in sent_back
    assert "En attente du porteur" in sent_back

    POCPage.objects.get(pk=proposal.page_id).current_workflow_state.resume(user=moderator)
    published = dashboard_action(client, proposal, "approve")
    assert "Proposition approuvée et publiée : « Bancs partagés de Roubaix »" in published
    assert POCPage.objects.get(pk=proposal.page_id).live


def test_the_outcome_page_is_for_moderators_only(client, proposal, django_user_model):
    editor = django_user_model.objects.create_user("redaction", password="secret-password")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    response = client.get(f"/admin/submission_records/reviewed/{proposal.pk}/")
    assert response.status_code in (302, 403)


# 3. Waiting on the maker, French names, the review queue's columns filled.


def test_a_proposal_sent_back_stays_on_the_dashboard_and_in_a_filter(client, proposal, moderator):
    act(proposal, moderator, "reject", comment=CHANGES)
    client.force_login(moderator)
    dashboard = client.get("/admin/").content.decode()
    assert "En attente du porteur" in dashboard
    assert proposal.title in dashboard
    assert CHANGES in dashboard
    assert "/admin/submission_records/?status=changes_requested" in dashboard

    waiting = client.get("/admin/submission_records/?status=changes_requested")
    assert proposal.title in waiting.content.decode()
    received = client.get("/admin/submission_records/?status=received")
    assert proposal.title not in received.content.decode()


def test_the_maker_sees_the_changes_asked_and_no_promise_of_a_call(client, proposal, moderator):
    act(proposal, moderator, "reject", comment=CHANGES)
    proposal.refresh_from_db()
    status = client.get(f"/submit/status/{proposal.current_status_token()}/").content.decode()
    assert "Modifications demandées" in status
    assert "son message est ci-dessous" in status
    assert CHANGES in status
    assert "Il vous contactera" not in status


def test_the_review_speaks_french(client, proposal, moderator):
    assert Workflow.objects.filter(name="Relecture des propositions").exists()
    assert Task.objects.filter(name="Validation par les modérateurs").exists()
    act(proposal, moderator, "reject", comment=CHANGES)
    client.force_login(moderator)
    draft = client.get(draft_url(proposal)).content.decode()
    assert "Resoumettre à Validation par les modérateurs" in draft
    assert "Moderators approval" not in draft and "POC review" not in draft


def test_the_french_names_migration_goes_both_ways():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("poc_catalogue.submissions.migrations.0004_french_review_names")
    migration.to_english(apps, None)
    assert Workflow.objects.filter(name="POC review").exists()
    assert Task.objects.filter(name="Moderators approval").exists()
    migration.to_french(apps, None)
    assert Workflow.objects.filter(name="Relecture des propositions").exists()
    assert Task.objects.filter(name="Validation par les modérateurs").exists()


def test_the_review_queue_says_who_sent_what_and_where_it_stands(client, proposal, moderator):
    client.force_login(moderator)
    dashboard = client.get("/admin/").content.decode()
    queue = dashboard[dashboard.index("En attente de votre vérification") :]
    for column in ("Titre", "Envoyée par", "Étape", "Depuis"):
        assert f">{column}</th>" in queue
    assert "Camille Martin" in queue and f'href="{inspect_url(proposal)}"' in queue
    assert "Validation par les modérateurs" in queue
    assert "Reçue" in queue


# 4. Who receives the alerts, and the admin says so.


def alert_recipients_of_a_new_proposal(client, django_capture_on_commit_callbacks) -> list[str]:
    mail.outbox.clear()
    propose(client, django_capture_on_commit_callbacks, title="Un kiosque à vélos")
    alerts = [email for email in mail.outbox if "Nouvelle proposition de POC" in email.subject]
    return sorted(address for email in alerts for address in email.to)


def test_alerts_go_to_the_review_groups_members_with_an_address(
    client, django_user_model, django_capture_on_commit_callbacks
):
    make_moderator(django_user_model, "alice")
    make_moderator(django_user_model, "sans-adresse", email="")
    make_moderator(django_user_model, "partie", is_active=False)
    assert alert_recipients_of_a_new_proposal(client, django_capture_on_commit_callbacks) == [
        "alice@example.org"
    ]

    client.force_login(django_user_model.objects.get(username="alice"))
    listing = client.get("/admin/submission_records/").content.decode()
    assert "annoncées par e-mail aux membres de « Moderators » : alice@example.org" in listing
    assert "Un membre n’a pas d’adresse e-mail" in listing


def test_a_renamed_review_group_still_gets_the_alerts(
    client, django_user_model, django_capture_on_commit_callbacks
):
    make_moderator(django_user_model, "alice")
    Group.objects.filter(name="Moderators").update(name="Modérateurs")
    assert alert_recipients_of_a_new_proposal(client, django_capture_on_commit_callbacks) == [
        "alice@example.org"
    ]


def test_the_setting_replaces_the_group(
    client, settings, django_user_model, django_capture_on_commit_callbacks
):
    settings.SUBMISSION_MODERATOR_EMAILS = ["redaction@example.org"]
    make_moderator(django_user_model, "alice")
    assert alert_recipients_of_a_new_proposal(client, django_capture_on_commit_callbacks) == [
        "redaction@example.org"
    ]
    client.force_login(django_user_model.objects.get(username="alice"))
    listing = client.get("/admin/submission_records/").content.decode()
    assert "redaction@example.org (réglage SUBMISSION_MODERATOR_EMAILS)" in listing


def test_when_nobody_is_told_the_admin_says_how_to_fix_it(client, proposal, admin_user):
    assert moderator_addresses() == []
    client.force_login(admin_user)
    for url in ("/admin/", "/admin/submission_records/"):
        page = client.get(url).content.decode()
        assert "Personne n’est prévenu des nouvelles propositions" in page, url
        assert "SUBMISSION_MODERATOR_EMAILS" in page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_first_admin_of_a_new_site_receives_the_alerts(django_user_model):
    result = manage("bootstrap_site", "--demo-count", "1")
    assert result.returncode == 0, result.stderr
    assert "New proposals are announced to admin@localhost" in result.stdout
    admin = django_user_model.objects.get(username="admin")
    assert set(admin.groups.all()) == set(review_groups())
    assert moderator_addresses() == ["admin@localhost"]


# 5. When the contact details were erased, in words.


def test_erased_contact_details_show_no_or_a_date(client, proposal, moderator):
    client.force_login(moderator)
    inspect = client.get(inspect_url(proposal)).content.decode()
    assert inspected_value(inspect, "Coordonnées effacées") == "Non"

    proposal.purge_contact_details()
    inspect = client.get(inspect_url(proposal)).content.decode()
    erased = inspected_value(inspect, "Coordonnées effacées")
    assert str(proposal.contact_purged_at.year) in erased and "None" not in erased
