"""The admin home's "Participation" panel: supports and comments per theme and week, and the
POCs visitors took most part in over the last weeks."""

from __future__ import annotations

import html
import re
from datetime import date, datetime, time, timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from poc_catalogue.comments.models import Comment, CommentStatus
from poc_catalogue.participation import Measure, last_weeks, participation
from poc_catalogue.supports.models import DailySupport
from tests.factories import make_poc, theme

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 9)  # a Wednesday


def given(poc, day: date, count: int) -> None:
    DailySupport.objects.create(page=poc, day=day, given=count)


def test_the_last_eight_weeks_start_on_mondays_this_week_last():
    weeks = last_weeks(TODAY)
    assert len(weeks) == 8
    assert weeks[-1] == date(2026, 12, 7) and weeks[0] == date(2026, 10, 19)
    assert all(week.weekday() == 0 for week in weeks)


def test_supports_per_theme_and_week_and_the_most_supported_pocs():
    velo = make_poc("Vélo-école", themes=[theme("mobilite"), theme("habiter")])
    banc = make_poc("Banc partagé", themes=[theme("habiter")])
    given(velo, TODAY, 4)
    given(velo, TODAY - timedelta(days=3), 2)  # the Sunday before: last week
    given(banc, TODAY - timedelta(weeks=7), 1)
    given(banc, TODAY - timedelta(weeks=9), 50)  # before the eight weeks

    figures = participation(TODAY)
    assert [measure.key for measure in figures.measures] == ["supports", "comments"]
    rows = {label: (values, total) for label, values, total in figures.by_theme[0].rows}
    assert rows["Mobilité"] == ([0, 0, 0, 0, 0, 0, 2, 4], 6)
    assert rows["Habiter"] == ([1, 0, 0, 0, 0, 0, 2, 4], 7)
    assert [(poc.title, poc.totals) for poc in figures.top] == [
        ("Vélo-école", [6, 0]),
        ("Banc partagé", [1, 0]),
    ]


def commented(poc, day: date, status: str = CommentStatus.PENDING) -> None:
    Comment.objects.create(
        page=poc,
        display_name="Dominique",
        body="Bravo",
        status=status,
        created_at=timezone.make_aware(datetime.combine(day, time(12))),
    )


def test_comments_posted_per_theme_and_week_rejected_ones_aside():
    jardin = make_poc("Jardin de pluie", themes=[theme("habiter")])
    commented(jardin, TODAY)
    commented(jardin, TODAY, CommentStatus.APPROVED)
    commented(jardin, TODAY - timedelta(weeks=1), CommentStatus.APPROVED)
    commented(jardin, TODAY, CommentStatus.REJECTED)  # spam says nothing of the POC
    given(jardin, TODAY, 1)

    figures = participation(TODAY)
    comments = figures.by_theme[1]
    assert comments.measure.key == "comments"
    rows = {label: (values, total) for label, values, total in comments.rows}
    assert rows["Habiter"] == ([0, 0, 0, 0, 0, 0, 1, 2], 3)
    assert [(poc.title, poc.totals) for poc in figures.top] == [("Jardin de pluie", [1, 3])]


def test_another_measure_adds_a_column(monkeypatch):
    poc = make_poc("Placette")
    given(poc, TODAY, 2)
    comments = Measure("comments", "Commentaires", lambda start, end: {(poc.pk, start): 5})
    from poc_catalogue import participation as module

    original = module.measures
    monkeypatch.setattr(module, "measures", lambda: [*original(), comments])
    figures = participation(TODAY)
    assert [(row.title, row.totals) for row in figures.top] == [("Placette", [2, 0, 5])]


def test_the_panel_on_the_admin_home(client, django_user_model):
    editor = django_user_model.objects.create_user("redaction", password="secret-password")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    poc = make_poc("Kiosque", themes=[theme("mobilite")])
    client.post(f"/supports/{poc.pk}/", {"action": "support"})
    client.force_login(editor)
    page = client.get("/admin/").content.decode()
    panel = re.search(r'id="participation-section".*?</section>', page, re.S)
    assert panel, "no Participation panel"
    text = html.unescape(re.sub(r"<[^>]+>", " ", panel.group(0)))
    assert "Kiosque" in text
    assert f'href="/admin/pages/{poc.pk}/edit/"' in panel.group(0)
