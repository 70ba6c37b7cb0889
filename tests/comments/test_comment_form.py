"""The comment form: what a visitor posts waits for moderation, and nothing hostile gets in."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from poc_catalogue.comments.models import Comment, CommentStatus
from tests.factories import make_poc

from .conftest import comment_data, comment_url, make_comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def poc():
    return make_poc("Bancs partagés")


def test_a_comment_waits_for_moderation_and_is_not_shown(client, poc):
    form = client.get(poc.url)
    assert f'href="{comment_url(poc)}"' in form.content.decode()

    response = client.post(comment_url(poc), comment_data(), follow=True)

    assert response.status_code == 200
    assert "Merci pour votre commentaire" in response.content.decode()
    [comment] = Comment.objects.all()
    assert (comment.page_id, comment.status) == (poc.pk, CommentStatus.PENDING)
    assert comment.display_name == "Camille de Fives"
    assert "Très belle idée" not in Client().get(poc.url).content.decode()


HOSTILE = {
    "no name": ("display_name", {"display_name": ""}),
    "blank name": ("display_name", {"display_name": " \u200b\t "}),
    "name too long": ("display_name", {"display_name": "x" * 61}),
    "no comment": ("body", {"body": ""}),
    "comment of control characters": ("body", {"body": "\x07\x1b\u202e"}),
    "comment too long": ("body", {"body": "x" * 1001}),
    "invalid email": ("email", {"email": "camille@"}),
    "email too long": ("email", {"email": "a" * 250 + "@example.org"}),
    "null character": ("body", {"body": "avant\x00après"}),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_invalid_input_is_refused_next_to_its_field_and_creates_nothing(client, case):
    poc = make_poc()
    field, overrides = HOSTILE[case]
    response = client.post(comment_url(poc), comment_data(**overrides))
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page
    assert 'aria-invalid="true"' in page
    assert Comment.objects.count() == 0


def test_typed_text_is_kept_after_an_error(client):
    poc = make_poc()
    response = client.post(comment_url(poc), comment_data(display_name=""))
    assert "Très belle idée, j&#x27;aimerais" in response.content.decode()


text = st.text(alphabet=st.characters(codec="utf-8"), max_size=1200)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    name=text,
    body=text,
    email=st.one_of(st.emails(), text),
    extra=st.dictionaries(st.text(max_size=20), text, max_size=3),
)
def test_any_input_is_refused_or_kept_as_plain_text_never_a_server_error(
    client, settings, poc, name, body, email, extra
):
    settings.COMMENT_RATE_LIMIT_PER_HOUR = settings.COMMENT_ATTEMPT_LIMIT_PER_HOUR = 10_000
    Comment.objects.all().delete()
    data = {**extra, "display_name": name, "body": body, "email": email, "homepage": ""}
    response = client.post(comment_url(poc), data)
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert Comment.objects.count() == 0
    else:
        comment = Comment.objects.get()
        assert comment.status == CommentStatus.PENDING
        assert 0 < len(comment.display_name) <= 60 and 0 < len(comment.body) <= 1000
        assert "\x00" not in comment.body


def test_html_is_stored_as_typed_and_shown_escaped_links_never_clickable(moderator_client):
    poc = make_poc()
    hostile = (
        '<script>alert(1)</script><a href="https://spam.example">promo</a> https://spam.example/x'
    )
    Client().post(comment_url(poc), comment_data(display_name="<b>Bob</b>", body=hostile))
    comment = Comment.objects.get()
    assert comment.body == hostile

    admin_page = moderator_client.get("/admin/comment_moderation/").content.decode()
    assert "<script>alert(1)" not in admin_page
    assert "&lt;script&gt;alert(1)" in admin_page
    assert 'href="https://spam.example' not in admin_page

    comment.status = CommentStatus.APPROVED
    comment.save()
    public = Client().get(poc.url).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in public
    assert "&lt;b&gt;Bob&lt;/b&gt;" in public
    assert "<script>alert(1)" not in public
    assert 'href="https://spam.example' not in public


def test_the_email_is_never_shown_in_public(client):
    poc = make_poc()
    client.post(comment_url(poc), comment_data(email="secret.camille@example.org"))
    comment = Comment.objects.get()
    comment.status = CommentStatus.APPROVED
    comment.reply = "Merci Camille, nous transmettons."
    comment.save()
    for url in (poc.url, f"/en{poc.url}", f"/comments/{comment.pk}/report/"):
        page = Client().get(url).content.decode()
        assert "Camille de Fives" in page
        assert "secret.camille" not in page


def test_honeypot_pretends_success_and_creates_nothing(client):
    poc = make_poc()
    response = client.post(
        comment_url(poc), comment_data(homepage="http://spam.example"), follow=True
    )
    assert response.status_code == 200
    assert "Merci pour votre commentaire" in response.content.decode()
    assert Comment.objects.count() == 0


def test_csrf_is_required():
    poc = make_poc()
    client = Client(enforce_csrf_checks=True)
    assert client.post(comment_url(poc), comment_data()).status_code == 403
    assert Comment.objects.count() == 0


def test_rate_limit_per_network(client, settings):
    settings.COMMENT_RATE_LIMIT_PER_HOUR = 2
    poc = make_poc()
    for number in range(2):
        assert client.post(comment_url(poc), comment_data(body=f"Avis {number}")).status_code == 302
    refused = client.post(comment_url(poc), comment_data(body="Avis 3"))
    assert refused.status_code == 429
    assert "Trop de commentaires" in refused.content.decode()
    assert Comment.objects.count() == 2
    other = client.post(comment_url(poc), comment_data(body="Avis 4"), REMOTE_ADDR="192.0.2.9")
    assert other.status_code == 302


def test_comments_do_not_count_against_the_submission_form(client, settings):
    """One limiter, one table, but a comment spree does not close the proposal form."""
    settings.COMMENT_RATE_LIMIT_PER_HOUR = 1
    settings.SUBMISSION_ATTEMPT_LIMIT_PER_HOUR = 2
    poc = make_poc()
    for number in range(3):
        client.post(comment_url(poc), comment_data(body=f"Avis {number}"))
    assert client.post("/submit/", {}).status_code == 400


def test_an_oversized_post_is_refused(client):
    poc = make_poc()
    response = client.post(comment_url(poc), comment_data(body="x" * 70_000))
    assert response.status_code == 413
    assert Comment.objects.count() == 0


def test_a_poc_closed_to_comments_has_no_form_and_keeps_its_approved_comments(client):
    poc = make_poc()
    make_comment(poc, CommentStatus.APPROVED, body="Déjà publié.")
    poc.comments_enabled = False
    poc.save_revision().publish()

    page = Client().get(poc.url).content.decode()
    assert "Déjà publié." in page
    assert comment_url(poc) not in page
    assert "Les commentaires sont fermés" in page
    assert client.get(comment_url(poc)).status_code == 404
    assert client.post(comment_url(poc), comment_data()).status_code == 404
    assert Comment.objects.count() == 1


def test_no_form_for_a_draft_poc(client):
    draft = make_poc(publish=False)
    assert client.get(comment_url(draft)).status_code == 404
    assert client.post(comment_url(draft), comment_data()).status_code == 404
