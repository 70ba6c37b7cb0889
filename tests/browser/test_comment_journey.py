"""A visitor comments on a POC without JavaScript; a moderator approves it in the admin queue;
the comment appears on the POC page. axe-core finds nothing on the pages involved.

Set SHOWCASE_SHOTS to a directory to keep screenshots of each step at 1440 and 390 px.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from poc_catalogue.comments.models import Comment, CommentStatus
from poc_catalogue.submissions.moderators import review_groups
from tests.factories import make_poc

from .test_accessibility import assert_no_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

COMMENT = "Les enfants de l'école d'à côté adorent ce jardin. Un deuxième dans le quartier ?"


def shot(page, name: str) -> None:
    if directory := os.environ.get("SHOWCASE_SHOTS"):
        for width in (1440, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=str(Path(directory) / f"{name}-{width}.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture
def moderator(django_user_model):
    user = django_user_model.objects.create_user(
        "moderatrice", email="moderatrice@example.org", password="secret-password"
    )
    user.groups.add(*review_groups())
    return user


def post_a_comment(visitor, poc_url: str, name: str, text: str) -> None:
    visitor.goto(poc_url)
    visitor.get_by_role("link", name="Laisser un commentaire").click()
    visitor.get_by_label("Votre nom ou pseudonyme").fill(name)
    visitor.get_by_label("Votre commentaire").fill(text)
    visitor.get_by_role("button", name="Envoyer mon commentaire").click()
    visitor.get_by_role("heading", name="Merci pour votre commentaire").wait_for()


def test_a_visitor_comments_a_moderator_approves_the_comment_appears(
    page_without_js, page, chromium, live_server, settings, moderator, axe_violations
):
    settings.MAP_TILE_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"
    poc = make_poc("Jardin de pluie de Fives")
    poc_url = f"{live_server.url}{poc.url}"

    # Without JavaScript, the form works as well.
    post_a_comment(page_without_js, poc_url, "Dominique", "Merci pour ces photos du chantier.")

    visitor = page
    visitor.goto(poc_url)
    visitor.get_by_role("link", name="Laisser un commentaire").click()
    heading = "Commenter «\u00a0Jardin de pluie de Fives\u00a0»"
    visitor.get_by_role("heading", name=heading).wait_for()
    assert_no_violations(axe_violations(visitor))
    shot(visitor, "comment-1-form")
    visitor.get_by_role("button", name="Envoyer mon commentaire").click()
    visitor.get_by_role("heading", name="Votre commentaire n’est pas parti").wait_for()
    assert_no_violations(axe_violations(visitor))
    shot(visitor, "comment-2-errors")

    visitor.get_by_label("Votre nom ou pseudonyme").fill("Camille de Fives")
    visitor.get_by_label("Votre commentaire", exact=True).fill(COMMENT)
    visitor.get_by_label("Votre adresse e-mail").fill("camille@example.org")
    visitor.get_by_role("button", name="Envoyer mon commentaire").click()
    visitor.get_by_role("heading", name="Merci pour votre commentaire").wait_for()
    assert_no_violations(axe_violations(visitor))
    shot(visitor, "comment-3-thanks")
    visitor.get_by_role("link", name="Retour à «\u00a0Jardin de pluie de Fives\u00a0»").click()
    visitor.get_by_role("heading", name="Commentaires").wait_for()
    assert COMMENT not in visitor.content()
    assert set(Comment.objects.values_list("status", flat=True)) == {CommentStatus.PENDING}

    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    admin = context.new_page()
    admin.set_default_timeout(10_000)
    admin.goto(f"{live_server.url}/admin/login/")
    admin.locator("#id_username").fill("moderatrice")
    admin.locator("#id_password").fill("secret-password")
    admin.get_by_role("button", name="S'identifier").click()
    admin.get_by_role("link", name="2 commentaires en attente de modération").click()
    rows = admin.locator("tbody tr").filter(has=admin.locator("input[name=comment]"))
    rows.filter(has_text="Camille de Fives").wait_for()
    assert rows.count() == 2
    assert "Jardin de pluie de Fives" in rows.first.inner_text()
    assert "camille@example.org" not in admin.content()
    axe_violations(admin)  # loads axe-core; Wagtail's own header is not ours to judge
    queue_violations = admin.evaluate(
        """async () => (await axe.run(
            {include: [["#comment-decisions"], ["#listing-results"]]},
            {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}},
        )).violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            targets: v.nodes.slice(0, 5).map(n => n.target.join(" "))}))"""
    )
    shot(admin, "comment-4-admin-queue")
    for number in range(2):
        rows.nth(number).get_by_role("checkbox").check()
    admin.get_by_role("button", name="Approuver les commentaires cochés").click()
    admin.get_by_text("2 commentaires approuvés.").wait_for()
    context.close()
    assert set(Comment.objects.values_list("status", flat=True)) == {CommentStatus.APPROVED}

    visitor.goto(poc_url)
    comments = visitor.locator("#comments")
    assert "Camille de Fives" in comments.inner_text()
    assert COMMENT in comments.inner_text()
    assert "Dominique" in comments.inner_text()
    assert "camille@example.org" not in visitor.content()
    assert_no_violations(axe_violations(visitor))
    shot(visitor, "comment-5-poc-with-comments")
    assert_no_violations(queue_violations)
