"""The catalogue on the admin home, as a staff member reads it: counts by theme, stage and
commune per status, each linked to the POC listing, the proposals to review, the newest
changes, and a cost in queries that does not grow with the catalogue."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from poc_catalogue.models import Stage
from tests.factories import catalogue, commune, make_poc, theme
from tests.submissions.conftest import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user(
        "redaction", password="secret-password", first_name="Rémi", last_name="Dupont"
    )
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def in_moderation(poc, user) -> None:
    """Submit the POC's latest revision to the catalogue's review workflow."""
    poc.save_revision(user=user)
    catalogue().get_workflow().start(poc, user)


def dashboard(client) -> str:
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def table_rows(page: str, table_id: str) -> dict[str, list[tuple[str, str | None]]]:
    """{row label: [(count, link or None) for published, drafts, in moderation, total]}."""
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', page, re.S)
    assert table, f"no table {table_id}"
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table.group(0), re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        if len(cells) != 5:
            continue
        label = html.unescape(re.sub(r"<[^>]+>", "", cells[0]).strip())
        counts = []
        for cell in cells[1:]:
            link = re.search(r'href="([^"]+)"', cell)
            counts.append(
                (
                    re.sub(r"<[^>]+>", "", cell).strip(),
                    html.unescape(link.group(1)) if link else None,
                )
            )
        rows[label] = counts
    return rows


def numbers(row: list[tuple[str, str | None]]) -> list[int]:
    return [int(count) for count, _link in row]


def test_the_counts_match_the_catalogue(editor_client, editor):
    mobility, living = theme("mobilite"), theme("habiter")
    roubaix = commune("Roubaix")
    make_poc("Publié 1", themes=[mobility])
    make_poc("Publié 2", themes=[mobility, living], stage=Stage.DEPLOY)
    make_poc("Brouillon", themes=[living], publish=False, commune=roubaix)
    proposed = make_poc("Brouillon en relecture", themes=[mobility], publish=False)
    in_moderation(proposed, editor)
    reviewed = make_poc("Publié, modifications en relecture", themes=[living], commune=roubaix)
    in_moderation(reviewed, editor)

    page = dashboard(editor_client)
    by_theme = table_rows(page, "catalogue-by-theme")
    # published, drafts, in moderation, total
    assert numbers(by_theme["Mobilité"]) == [2, 1, 1, 3]
    assert numbers(by_theme["Habiter"]) == [2, 1, 1, 3]
    by_stage = table_rows(page, "catalogue-by-stage")
    assert numbers(by_stage["Expérimenter"]) == [2, 2, 2, 4]
    assert numbers(by_stage["Déployer"]) == [1, 0, 0, 1]
    by_commune = table_rows(page, "catalogue-by-commune")
    assert numbers(by_commune["Lille"]) == [2, 1, 1, 3]
    assert numbers(by_commune["Roubaix"]) == [1, 1, 1, 2]
    assert "5 POC" in page


def test_each_count_opens_the_listing_on_those_pocs(editor_client, editor):
    mobility = theme("mobilite")
    make_poc("Vélos partagés", themes=[mobility])
    make_poc("Rue apaisée", themes=[mobility], publish=False)
    moderated = make_poc("Bus de nuit", themes=[mobility], publish=False)
    in_moderation(moderated, editor)
    make_poc("Jardin partagé", themes=[theme("habiter")])

    page = dashboard(editor_client)
    published, drafts, moderation, total = table_rows(page, "catalogue-by-theme")["Mobilité"]
    expectations = [
        (published, {"Vélos partagés"}),
        (drafts, {"Rue apaisée", "Bus de nuit"}),
        (moderation, {"Bus de nuit"}),
        (total, {"Vélos partagés", "Rue apaisée", "Bus de nuit"}),
    ]
    titles = {"Vélos partagés", "Rue apaisée", "Bus de nuit", "Jardin partagé"}
    for (_count, link), expected in expectations:
        assert link and urlsplit(link).path == "/admin/poc_pages/"
        assert parse_qs(urlsplit(link).query)["themes"] == [str(mobility.pk)]
        listing = editor_client.get(link).content.decode()
        assert {title for title in titles if title in listing} == expected, link


def test_the_top_communes_then_the_others(editor_client):
    names = ["Lille", "Roubaix", "Tourcoing", "Villeneuve-d'Ascq", "Wattrelos", "Marcq-en-Barœul"]
    names += ["Lambersart", "Croix", "Hem", "Loos"]
    for number, name in enumerate(names):
        for copy in range(1 if number else 2):
            make_poc(f"POC à {name} {copy}", commune=commune(name))
    rows = table_rows(dashboard(editor_client), "catalogue-by-commune")
    assert next(iter(rows)) == "Lille"
    assert numbers(rows["Lille"]) == [2, 0, 0, 2]
    assert numbers(rows["2 autres communes"]) == [2, 0, 0, 2]
    assert all(link is None for _count, link in rows["2 autres communes"])
    assert len(rows) == 9


def propose_from_the_public_form(django_capture_on_commit_callbacks, **overrides) -> None:
    visitor = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = visitor.post("/submit/", form_data(**overrides), follow=True)
    assert response.status_code == 200


def test_proposals_waiting_and_the_newest_changes(
    editor_client, editor, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.SUBMISSION_KEPT_IMAGES_DIR = tmp_path / "kept-images"
    make_poc("Écrit par la rédaction")
    poc = make_poc("Corrigé par Rémi")
    poc.title = "Corrigé par Rémi Dupont"
    poc.save_revision(user=editor)
    propose_from_the_public_form(django_capture_on_commit_callbacks)
    propose_from_the_public_form(django_capture_on_commit_callbacks, title="Kiosque à vélos")

    page = dashboard(editor_client)
    assert "2 propositions en attente de relecture" in page
    changes = page[page.index('id="catalogue-recent-changes-section"') :]
    rows = re.findall(r"<tr>(.*?)</tr>", changes[: changes.index("</table>")], re.S)[1:]
    texts = [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split()) for row in rows]
    assert texts[0].startswith("Kiosque à vélos proposant (formulaire public)")
    assert texts[1].startswith("Bancs partagés de Roubaix proposant (formulaire public)")
    assert texts[2].startswith("Corrigé par Rémi Dupont Rémi Dupont")
    assert f'href="/admin/pages/{poc.pk}/edit/"' in changes


def test_moderators_jump_from_the_count_to_their_review_queue(
    client, admin_user, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.SUBMISSION_KEPT_IMAGES_DIR = tmp_path / "kept-images"
    propose_from_the_public_form(django_capture_on_commit_callbacks)
    client.force_login(admin_user)
    page = dashboard(client)
    assert '<a href="#awaiting-review-section">1 proposition en attente de relecture</a>' in page
    assert 'id="awaiting-review-section"' in page


def test_only_staff_who_edit_pocs_see_the_catalogue(client, django_user_model):
    make_poc("Vélos partagés")
    reader = django_user_model.objects.create_user("lecture", password="secret-password")
    reader.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(reader)
    page = dashboard(client)
    assert 'id="catalogue-figures-section"' not in page
    assert 'id="catalogue-recent-changes-section"' not in page


def fill_catalogue(count: int, user) -> None:
    """`count` POCs spread over themes, stages, communes and statuses, edited by `user`."""
    themes = [theme(slug) for slug in ("mobilite", "habiter", "action-publique")]
    communes = [commune(name) for name in ("Lille", "Roubaix", "Tourcoing", "Croix", "Hem")]
    communes += [commune(name) for name in ("Loos", "Ronchin", "Wattrelos", "Seclin", "Halluin")]
    stages = list(Stage)
    for number in range(count):
        poc = make_poc(
            themes=[themes[number % 3], themes[(number + 1) % 3]],
            stage=stages[number % 4],
            commune=communes[number % 10],
            publish=number % 3 != 0,
            makers=[],
        )
        if number % 5 == 0:
            in_moderation(poc, user)


def test_the_dashboard_costs_the_same_queries_at_5_and_50_pocs(editor_client, editor):
    def queries() -> int:
        dashboard(editor_client)  # caches of a first visit (content types, session) warmed
        with CaptureQueriesContext(connection) as captured:
            page = dashboard(editor_client)
        assert 'id="catalogue-figures-section"' in page
        return len(captured)

    fill_catalogue(5, editor)
    at_5 = queries()
    fill_catalogue(45, editor)
    at_50 = queries()
    assert at_50 == at_5
