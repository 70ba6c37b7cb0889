"""The moderators' queue, through the admin's own views: approve, reject, several at once,
reply; what it changes on the POC page, which visitors get from a shared cache."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from poc_catalogue.comments.models import Comment, CommentStatus
from poc_catalogue.published_cache import published_version
from tests.factories import make_poc

from .conftest import comment_data, comment_url, make_comment, make_editor_without_moderation

pytestmark = pytest.mark.django_db

QUEUE = "/admin/comment_moderation/"
DECIDE = "/admin/comment_moderation/decide/"


def public_page(poc) -> str:
    """The POC page as an anonymous visitor gets it (from the shared cache once stored)."""
    response = Client().get(poc.url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_queue_shows_waiting_comments_with_their_poc(moderator_client):
    poc = make_poc("Jardin de pluie")
    make_comment(poc, body="Où se trouve-t-il exactement ?")
    make_comment(poc, CommentStatus.APPROVED, body="Déjà approuvé.")

    page = moderator_client.get(QUEUE, {"status": "pending"}).content.decode()

    assert "Où se trouve-t-il exactement ?" in page
    assert "Déjà approuvé." not in page
    assert "Jardin de pluie" in page
    assert f'href="{poc.url}"' in page
    assert "<img" in page  # the POC's thumbnail


def test_approving_shows_the_comment_on_the_cached_poc_page(moderator_client):
    poc = make_poc()
    comment = make_comment(poc, body="Bravo pour ce projet.")
    assert "Bravo pour ce projet." not in public_page(poc)
    assert "Bravo pour ce projet." not in public_page(poc)  # the stored page

    response = moderator_client.post(DECIDE, {"action": f"approve:{comment.pk}"}, follow=True)

    assert "1 commentaire approuvé." in response.content.decode()
    comment.refresh_from_db()
    assert comment.status == CommentStatus.APPROVED
    assert "Bravo pour ce projet." in public_page(poc)


def test_rejecting_an_approved_comment_takes_it_off_the_cached_page(moderator_client):
    poc = make_poc()
    comment = make_comment(poc, CommentStatus.APPROVED, body="Publicité déguisée.")
    assert "Publicité déguisée." in public_page(poc)

    moderator_client.post(DECIDE, {"action": f"reject:{comment.pk}"})

    comment.refresh_from_db()
    assert comment.status == CommentStatus.REJECTED
    assert "Publicité déguisée." not in public_page(poc)


def test_bulk_approve_and_reject(moderator_client):
    poc = make_poc()
    first, second, third = (make_comment(poc, body=f"Avis numéro {n}.") for n in (1, 2, 3))

    response = moderator_client.post(
        DECIDE, {"action": "approve", "comment": [first.pk, second.pk]}, follow=True
    )
    assert "2 commentaires approuvés." in response.content.decode()
    moderator_client.post(DECIDE, {"action": "reject", "comment": [third.pk]})

    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert statuses == {
        first.pk: CommentStatus.APPROVED,
        second.pk: CommentStatus.APPROVED,
        third.pk: CommentStatus.REJECTED,
    }
    page = public_page(poc)
    assert "Avis numéro 1." in page and "Avis numéro 2." in page
    assert "Avis numéro 3." not in page


def test_a_reply_is_emailed_to_the_commenter_and_shown_under_the_comment(moderator_client):
    poc = make_poc("Jardin de pluie")
    comment = make_comment(
        poc, CommentStatus.APPROVED, body="Qui entretient le jardin ?", email="cam@example.org"
    )
    edit = moderator_client.get(f"{QUEUE}edit/{comment.pk}/")
    assert "Qui entretient le jardin ?" in edit.content.decode()

    response = moderator_client.post(
        f"{QUEUE}edit/{comment.pk}/",
        {"reply": "Le service des espaces verts de la commune."},
        follow=True,
    )

    assert "Réponse enregistrée et envoyée par e-mail" in response.content.decode()
    [email] = mail.outbox
    assert email.to == ["cam@example.org"]
    assert "Jardin de pluie" in email.subject
    assert "Le service des espaces verts de la commune." in email.body
    assert "Qui entretient le jardin ?" not in email.body  # no visitor text relayed
    page = public_page(poc)
    assert "Réponse de la Métropole" in page
    assert "Le service des espaces verts de la commune." in page


def test_a_reply_without_an_address_is_only_shown(moderator_client):
    poc = make_poc()
    comment = make_comment(poc, CommentStatus.APPROVED, email="")
    response = moderator_client.post(
        f"{QUEUE}edit/{comment.pk}/", {"reply": "Merci !"}, follow=True
    )
    assert "Réponse enregistrée." in response.content.decode()
    assert mail.outbox == []


def refused(response) -> bool:
    """Wagtail's admin answers a permission refusal by sending back to the dashboard with an
    error (a 403 for scripts)."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )


def test_staff_without_the_permission_are_refused(client):
    poc = make_poc()
    comment = make_comment(poc, body="Texte à modérer.")
    client.force_login(make_editor_without_moderation())
    assert refused(client.get(QUEUE))
    assert refused(client.get(f"{QUEUE}edit/{comment.pk}/"))
    assert refused(client.post(DECIDE, {"action": f"approve:{comment.pk}"}))
    assert refused(client.post(f"{QUEUE}edit/{comment.pk}/", {"reply": "Non."}))
    xhr = client.get(QUEUE, headers={"x-requested-with": "XMLHttpRequest"})
    assert xhr.status_code == 403
    comment.refresh_from_db()
    assert (comment.status, comment.reply) == (CommentStatus.PENDING, "")
    assert "/admin/comment_moderation/" not in client.get("/admin/").content.decode()


def test_the_dashboard_counts_waiting_comments(moderator_client):
    poc = make_poc()
    make_comment(poc)
    make_comment(poc, reported=True)
    make_comment(poc, CommentStatus.APPROVED)
    page = moderator_client.get("/admin/").content.decode()
    assert "2 commentaires en attente de modération" in " ".join(page.split())


def test_a_reported_comment_goes_back_into_the_queue_flagged(moderator_client):
    poc = make_poc()
    comment = make_comment(poc, CommentStatus.APPROVED, body="Propos douteux.")
    assert "Propos douteux." in public_page(poc)
    visitor = Client()
    confirm = visitor.get(f"/comments/{comment.pk}/report/")
    assert "Signaler ce commentaire" in confirm.content.decode()

    done = visitor.post(f"/comments/{comment.pk}/report/")

    assert done.status_code == 200
    assert "le commentaire est signalé" in done.content.decode()
    comment.refresh_from_db()
    assert (comment.status, comment.reported) == (CommentStatus.PENDING, True)
    assert "Propos douteux." not in public_page(poc)
    queue = moderator_client.get(QUEUE, {"reported": "true"}).content.decode()
    assert "Propos douteux." in queue and "Signalé" in queue
    # Approved again, it is back on the page and no longer flagged.
    moderator_client.post(DECIDE, {"action": f"approve:{comment.pk}"})
    comment.refresh_from_db()
    assert (comment.status, comment.reported) == (CommentStatus.APPROVED, False)
    assert "Propos douteux." in public_page(poc)


def test_reports_are_rate_limited_and_need_csrf(settings):
    settings.COMMENT_REPORT_LIMIT_PER_HOUR = 1
    poc = make_poc()
    first, second = (make_comment(poc, CommentStatus.APPROVED) for _ in range(2))
    assert Client(enforce_csrf_checks=True).post(f"/comments/{first.pk}/report/").status_code == 403
    visitor = Client()
    assert visitor.post(f"/comments/{first.pk}/report/").status_code == 200
    assert visitor.post(f"/comments/{second.pk}/report/").status_code == 429
    second.refresh_from_db()
    assert second.status == CommentStatus.APPROVED


def test_a_second_anonymous_visitor_gets_a_working_form():
    """The POC page is stored for everybody; the form's CSRF token is per visitor."""
    poc = make_poc()
    for visitor in ("first", "second"):
        client = Client(enforce_csrf_checks=True)
        page = client.get(poc.url).content.decode()
        assert "csrfmiddlewaretoken" not in page
        form = client.get(comment_url(poc))
        assert form["Cache-Control"].startswith("max-age=0")
        token = form.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        response = client.post(
            comment_url(poc),
            {**comment_data(body=f"Avis du visiteur {visitor}."), "csrfmiddlewaretoken": token},
        )
        assert response.status_code == 302
    assert Comment.objects.count() == 2


def test_posting_a_comment_does_not_empty_the_page_cache(client):
    """Only what visitors see raises the published version: a spammer cannot flush the cache."""
    poc = make_poc()
    before = published_version()
    client.post(comment_url(poc), comment_data())
    assert published_version() == before


def test_comments_cost_the_poc_page_the_same_queries_however_many(client):
    def queries(poc) -> int:
        client.get(poc.url)
        caches[settings.PUBLISHED_CACHE].clear()
        client.cookies["consent"] = "1"  # rendered, not served from the stored page
        with CaptureQueriesContext(connection) as captured:
            assert client.get(poc.url).status_code == 200
        return len(captured)

    quiet, busy = make_poc("Sans avis"), make_poc("Très commenté")
    for number in range(6):
        make_comment(busy, CommentStatus.APPROVED, reply="Merci." if number % 2 else "")
    assert queries(quiet) == queries(busy)
