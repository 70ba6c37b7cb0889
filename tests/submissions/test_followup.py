"""A maker follows a proposal from its private link: revises it when asked, withdraws it, gets
one email per change, and can have the link sent again without anybody learning who sent what."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from wagtail.images import get_image_model
from wagtail.models import PageLogEntry, Revision, WorkflowState

from poc_catalogue.models import POCPage
from poc_catalogue.submissions import review
from poc_catalogue.submissions.models import Submission, SubmissionStatus
from poc_catalogue.submissions.retention import contacts_due, delete_rejected_drafts

from .conftest import image_bytes, image_fields, upload
from .test_journey import approve, status_link_from, submit

pytestmark = pytest.mark.django_db

MAKER = "camille@example.org"


def maker_emails() -> list:
    return [email for email in mail.outbox if email.to == [MAKER]]


def moderator_emails() -> list:
    return [email for email in mail.outbox if email.to != [MAKER]]


def latest_draft(submission: Submission) -> POCPage:
    return POCPage.objects.get(pk=submission.page_id).get_latest_revision_as_object()


def revisions_of(submission: Submission) -> int:
    return Revision.page_revisions.filter(object_id=str(submission.page_id)).count()


def request_changes(submission: Submission, moderator, captured, comment="Une photo de jour."):
    task_state = POCPage.objects.get(pk=submission.page_id).current_workflow_task_state
    with captured(execute=True):
        task_state.task.specific.on_action(task_state, moderator, "reject", comment=comment)


@pytest.fixture
def proposal(client, django_capture_on_commit_callbacks) -> tuple[Submission, str]:
    """A proposal with two images, and its status link from the receipt."""
    submit(
        client,
        django_capture_on_commit_callbacks,
        **image_fields(
            2,
            upload(image_bytes("PNG"), name="plan.png", content_type="image/png"),
            alt_text="Plan de la place",
            credit="Ville de Roubaix",
        ),
    )
    [receipt] = maker_emails()
    return Submission.objects.get(), status_link_from(receipt)


@pytest.fixture
def sent_back(proposal, moderator, django_capture_on_commit_callbacks):
    submission, link = proposal
    request_changes(submission, moderator, django_capture_on_commit_callbacks)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.CHANGES_REQUESTED
    return submission, link


def revision_data(submission: Submission, **overrides) -> dict:
    """The edit form as the page fills it in, with the draft's images in their order."""
    draft = latest_draft(submission)
    images = [(draft.hero_image_id, draft.hero_alt_text, draft.hero_credit)] + [
        (item.image_id, item.alt_text, item.credit) for item in draft.gallery_images.all()
    ]
    data = {
        "title": draft.title,
        "summary": draft.summary,
        "description": "Un atelier avec les habitants.",
        "themes": [str(theme.pk) for theme in draft.themes.all()],
        "stage": draft.stage,
        "year": str(draft.year),
        "commune": str(draft.commune_id),
        "address": draft.address,
        "tags": "mobilier urbain",
        "video_url": "",
        "current-TOTAL_FORMS": str(len(images)),
        "current-INITIAL_FORMS": str(len(images)),
        "images-TOTAL_FORMS": "8",
        "images-INITIAL_FORMS": "0",
    }
    for index, (image_id, alt_text, credit) in enumerate(images):
        data |= {
            f"current-{index}-image": str(image_id),
            f"current-{index}-position": str(index + 1),
            f"current-{index}-alt_text": alt_text,
            f"current-{index}-credit": credit,
        }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_the_maker_revises_a_proposal_sent_back_and_the_review_resumes(
    client, sent_back, moderator, django_capture_on_commit_callbacks
):
    submission, link = sent_back
    status = client.get(link).content.decode()
    assert "Une photo de jour." in status
    edit_link = f"{link}edit/"
    assert f'href="{edit_link}"' in status

    form = client.get(edit_link)
    assert form.status_code == 200
    assert 'value="Bancs partagés de Roubaix"' in form.content.decode()
    assert "Un atelier avec les habitants." in form.content.decode()

    first = latest_draft(submission).hero_image_id
    second = latest_draft(submission).gallery_images.get().image_id
    before = revisions_of(submission)
    mail.outbox.clear()
    data = revision_data(
        submission,
        title="Bancs partagés de l'Épeule",
        **{"current-0-remove": "on", "current-1-position": "1"},
        **image_fields(1, upload(), "Un banc au soleil", "Atelier Bancal"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit_link, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == link

    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.IN_REVIEW
    assert revisions_of(submission) == before + 1
    draft = latest_draft(submission)
    assert draft.title == "Bancs partagés de l'Épeule"
    assert draft.hero_image_id == second
    assert [item.alt_text for item in draft.gallery_images.all()] == ["Un banc au soleil"]
    assert first not in [item.image_id for item in draft.gallery_images.all()]

    page = POCPage.objects.get(pk=submission.page_id)
    state = page.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.revision_id == page.latest_revision_id
    entry = PageLogEntry.objects.filter(page=page, action="submissions.revised").get()
    assert entry.user is None
    client.force_login(moderator)
    history = client.get(f"/admin/pages/{page.pk}/history/").content.decode()
    assert "Modifié par l’auteur de la proposition" in history
    assert "Envoyé par l’auteur de la proposition" in history
    client.logout()

    [resent] = [email for email in moderator_emails() if "comme demandé" in email.body]
    assert "Bancs partagés de l'Épeule" in resent.subject
    [in_review] = maker_emails()
    assert link in in_review.body

    assert client.get(edit_link)["Location"] == link  # sent back: nothing to edit any more


def test_editing_is_refused_unless_changes_were_asked(client, proposal):
    submission, link = proposal
    before = revisions_of(submission)
    assert client.get(f"{link}edit/")["Location"] == link
    response = client.post(f"{link}edit/", revision_data(submission, title="Autre titre"))
    assert response.status_code == 302
    assert revisions_of(submission) == before
    assert latest_draft(submission).title == "Bancs partagés de Roubaix"


@pytest.mark.parametrize("page", ["", "edit/", "withdraw/"])
def test_a_wrong_token_finds_nothing(client, proposal, page):
    _, link = proposal
    wrong = link.replace("/status/", "/status/x")
    assert client.get(f"{wrong}{page}").status_code == 404
    assert client.post(f"{wrong}{page}").status_code == 404
    assert Submission.objects.get().status == SubmissionStatus.RECEIVED


@pytest.mark.parametrize(
    ("page", "referrer_policy"),
    # A form's page must send its Origin (CSRF); the token then goes to this site only.
    [("", "no-referrer"), ("edit/", "same-origin"), ("withdraw/", "same-origin")],
)
def test_the_pages_of_a_token_are_private(client, sent_back, page, referrer_policy):
    _, link = sent_back
    response = client.get(f"{link}{page}")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert response["Referrer-Policy"] == referrer_policy
    assert "noindex" in response["X-Robots-Tag"]


def test_a_revision_names_only_the_drafts_own_images(client, sent_back, proposal_of_someone_else):
    submission, link = sent_back
    before = revisions_of(submission)
    response = client.post(
        f"{link}edit/",
        revision_data(submission, **{"current-0-image": str(proposal_of_someone_else)}),
    )
    assert response.status_code == 400
    assert revisions_of(submission) == before


@pytest.fixture
def proposal_of_someone_else(client, django_capture_on_commit_callbacks) -> int:
    other = Client()
    submit(other, django_capture_on_commit_callbacks, title="Une autre proposition")
    return Submission.objects.get(title="Une autre proposition").page.hero_image_id


# Every example carries one input no valid revision has, and junk anywhere else.
POISON = [
    {"current-0-position": "0"},
    {"current-0-position": "9"},
    {"current-0-position": "premier"},
    {"current-0-image": "999999"},
    {"current-1-image": None},
    {"current-0-alt_text": ""},
    {"current-0-remove": "on", "current-1-remove": "on"},
    {"title": "x" * 121},
    {"summary": "x" * 281},
    {"themes": ["999999"]},
    {"commune": "0"},
    {"year": "1066"},
    {"video_url": "javascript:alert(1)"},
    {"current-TOTAL_FORMS": "1000"},
    {"images-0-file": upload(b"<svg onload=alert(1)>", "x.jpg")},
]
FIELDS = ["title", "summary", "description", "address", "tags", "current-0-alt_text", "year"]


def test_hostile_revisions_change_nothing_and_never_fail(client, sent_back, settings):
    settings.SUBMISSION_ATTEMPT_LIMIT_PER_HOUR = 10_000
    submission, link = sent_back
    before = revisions_of(submission)

    @hypothesis_settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        poison=st.sampled_from(POISON),
        junk=st.dictionaries(st.sampled_from(FIELDS), st.text(max_size=300), max_size=4),
    )
    def post(poison: dict, junk: dict) -> None:
        response = client.post(f"{link}edit/", revision_data(submission, **(junk | poison)))
        assert response.status_code == 400, (poison, junk, response.status_code)

    post()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.CHANGES_REQUESTED
    assert revisions_of(submission) == before
    assert len(maker_emails()) == 2  # the receipt and the changes asked: nothing since


def test_the_maker_withdraws_a_proposal_after_confirming(
    client, proposal, django_capture_on_commit_callbacks
):
    submission, link = proposal
    assert f'href="{link}withdraw/"' in client.get(link).content.decode()
    confirm = client.get(f"{link}withdraw/")
    assert "Oui, retirer ma proposition" in confirm.content.decode()

    guarded = Client(enforce_csrf_checks=True)
    assert guarded.post(f"{link}withdraw/").status_code == 403
    assert Submission.objects.get().status == SubmissionStatus.RECEIVED

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{link}withdraw/")
    assert response["Location"] == link
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.WITHDRAWN
    page = POCPage.objects.get(pk=submission.page_id)
    assert not page.live
    assert page.current_workflow_state is None
    assert WorkflowState.objects.get().status == WorkflowState.STATUS_CANCELLED
    assert PageLogEntry.objects.filter(page=page, action="submissions.withdrawn").exists()
    assert "Vous avez retiré cette proposition" in client.get(link).content.decode()
    [withdrawn] = maker_emails()
    assert "retirée" in withdrawn.subject
    assert submission in contacts_due(submission.created_at)  # purged at the next run

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{link}withdraw/")
    assert len(maker_emails()) == 1


def test_a_published_proposal_cannot_be_withdrawn_and_links_to_its_poc(
    client, proposal, moderator, django_capture_on_commit_callbacks
):
    submission, link = proposal
    with django_capture_on_commit_callbacks(execute=True):
        approve(submission.page, moderator)
    page = POCPage.objects.get(pk=submission.page_id)
    assert page.live
    status = client.get(link).content.decode()
    assert f'href="{page.url}"' in status
    assert "withdraw/" not in status
    client.post(f"{link}withdraw/")
    assert Submission.objects.get().status == SubmissionStatus.PUBLISHED
    assert POCPage.objects.get(pk=page.pk).live


def test_every_change_of_status_sends_the_maker_one_email(
    client, sent_back, moderator, django_capture_on_commit_callbacks
):
    """Receipt, then: changes asked, in review again, published; a second signal sends nothing."""
    submission, link = sent_back
    subjects = [email.subject for email in maker_emails()]
    assert subjects == [
        "Nous avons reçu votre proposition de POC",
        "Des modifications sont demandées pour votre proposition de POC",
    ]
    page = POCPage.objects.get(pk=submission.page_id)
    task_state = page.current_workflow_state.current_task_state
    with django_capture_on_commit_callbacks(execute=True):
        review.record_changes_requested(task_state)  # the same signal, received again
    assert len(maker_emails()) == 2

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{link}edit/", revision_data(submission, title="Bancs de l'Épeule"))
        approve(submission.page, moderator)
    subjects = [email.subject for email in maker_emails()]
    assert subjects[2:] == [
        "Votre proposition de POC est en cours d’examen",
        "Votre proposition de POC est publiée",
    ]
    page = POCPage.objects.get(pk=submission.page_id)
    assert page.full_url in maker_emails()[-1].body


def test_opening_and_rejecting_send_one_email_each(
    client, proposal, moderator, django_capture_on_commit_callbacks
):
    submission, _ = proposal
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(f"/admin/pages/{submission.page_id}/edit/")
        client.get(f"/admin/pages/{submission.page_id}/edit/")
    task_state = POCPage.objects.get(pk=submission.page_id).current_workflow_task_state
    with django_capture_on_commit_callbacks(execute=True):
        task_state.task.specific.on_action(task_state, moderator, "refuse", comment="Hors sujet.")
    subjects = [email.subject for email in maker_emails()]
    assert subjects[1:] == [
        "Votre proposition de POC est en cours d’examen",
        "Votre proposition de POC ne sera pas publiée",
    ]


def page_text(response) -> str:
    """The page without what changes on every response (the CSP nonce)."""
    return re.sub(r'nonce="[^"]*"', "", response.content.decode())


def lost_link(client, captured, email: str):
    with captured(execute=True):
        return client.post("/submit/lost-link/", {"email": email, "homepage": ""}, follow=True)


def test_a_lost_link_is_sent_again_and_unknown_addresses_look_the_same(
    client, proposal, django_capture_on_commit_callbacks, caplog
):
    _, link = proposal
    mail.outbox.clear()
    form = client.get("/submit/lost-link/")
    assert form.status_code == 200
    assert "J’ai perdu mon lien" in form.content.decode()

    caplog.set_level(logging.DEBUG)
    known = lost_link(client, django_capture_on_commit_callbacks, "Camille@Example.org")
    unknown = lost_link(client, django_capture_on_commit_callbacks, "personne@example.org")
    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain
    assert page_text(known) == page_text(unknown)

    [email] = mail.outbox
    assert email.to == [MAKER]
    sent_link = status_link_from(email)
    assert sent_link == link
    assert client.get(sent_link).status_code == 200
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert token not in caplog.text

    # Asked again within the hour: the same page, no second email to flood the maker.
    again = lost_link(client, django_capture_on_commit_callbacks, MAKER)
    assert page_text(again) == page_text(known)
    assert len(mail.outbox) == 1


def test_the_lost_link_form_has_a_trap_and_a_limit(
    client, proposal, django_capture_on_commit_callbacks, settings
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        trapped = client.post(
            "/submit/lost-link/", {"email": MAKER, "homepage": "http://spam.example"}
        )
    assert trapped["Location"] == "/submit/lost-link/sent/"
    assert mail.outbox == []
    assert client.post("/submit/lost-link/", {"email": "pas une adresse"}).status_code == 400

    settings.SUBMISSION_ATTEMPT_LIMIT_PER_HOUR = 3
    statuses = [client.post("/submit/lost-link/", {"email": MAKER}).status_code for _ in range(3)]
    assert statuses[-1] == 429


def test_a_withdrawn_draft_goes_with_every_image_its_maker_sent(
    client, sent_back, django_capture_on_commit_callbacks
):
    """Even an image the maker removed in a revision: no revision keeps it alive."""
    submission, link = sent_back
    data = revision_data(submission, **{"current-0-remove": "on", "current-1-position": "1"})
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{link}edit/", data).status_code == 302
        client.post(f"{link}withdraw/")
    assert get_image_model().objects.count() == 2

    [removal] = delete_rejected_drafts(timezone.now() + timedelta(days=1))
    assert removal.images_deleted == 2
    assert get_image_model().objects.count() == 0
    assert not POCPage.objects.filter(pk=submission.page_id).exists()
