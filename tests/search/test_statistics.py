"""Visitors' searches are counted for staff, with nothing about who searched."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from search import statistics
from search.models import SearchQueryDay
from tests.factories import make_poc, make_staff, theme
from tests.processes import manage

pytestmark = pytest.mark.django_db

CATALOGUE = "/catalogue/"
API = "/api/catalogue/search/"


@pytest.fixture
def pocs():
    make_poc("Vélos cargo partagés", themes=[theme("mobilite")])
    make_poc("Jardin partagé des Moulins", themes=[theme("habiter")])


def counts() -> dict[tuple[str, str], tuple[int, int, int]]:
    return {
        (row.query, row.language): (row.searches, row.zero_result_searches, row.last_results)
        for row in SearchQueryDay.objects.all()
    }


def test_a_search_is_counted_with_nothing_about_the_visitor(client, pocs):
    response = client.get(CATALOGUE, {"q": "  Vélos   CARGO "})
    assert response.status_code == 200
    assert "partagés" in response.content.decode()
    assert not response.cookies
    assert statistics.SEARCH_HEADER not in response.headers
    assert not Session.objects.exists()
    assert counts() == {("velos cargo", "fr"): (1, 0, 1)}
    row = SearchQueryDay.objects.values().get()
    assert set(row) == {
        "id",
        "query",
        "day",
        "language",
        "searches",
        "zero_result_searches",
        "last_results",
    }
    assert row["day"] == timezone.localdate()


def test_a_page_served_from_the_store_is_counted_too(client, pocs):
    for _ in range(3):
        assert client.get(CATALOGUE, {"q": "jardin"}).status_code == 200
    assert counts() == {("jardin", "fr"): (3, 0, 1)}


def test_searches_that_find_nothing_are_counted_as_such(client, pocs):
    client.get(CATALOGUE, {"q": "piscine"})
    client.get(API, {"q": "Piscine"})
    assert counts() == {("piscine", "fr"): (2, 2, 0)}


def test_the_api_counts_in_its_language_and_autocomplete_never_counts(client, pocs):
    client.get(API, {"q": "vélos", "lang": "en"})
    client.get("/api/catalogue/autocomplete/", {"q": "vél"})
    assert counts() == {("velos", "en"): (1, 0, 1)}


def test_later_pages_refinements_and_empty_searches_are_not_new_searches(client, pocs):
    client.get(API, {"q": "partagé", "page": "2", "page_size": "1"})
    client.get(CATALOGUE, {"theme": "mobilite"})
    same_words = "http://testserver/catalogue/?q=Partag%C3%A9"
    client.get(CATALOGUE, {"q": "partagé", "theme": "mobilite"}, HTTP_REFERER=same_words)
    assert counts() == {}
    other_words = "http://testserver/catalogue/?q=jardin"
    client.get(CATALOGUE, {"q": "partagé"}, HTTP_REFERER=other_words)
    client.get(CATALOGUE, {"q": "partagé"}, HTTP_REFERER="https://elsewhere.example/?q=partagé")
    assert counts() == {("partage", "fr"): (2, 0, 2)}


def test_counting_costs_one_query(client, pocs):
    refinement = {"HTTP_REFERER": "http://testserver/catalogue/?q=jardin"}
    client.get(API, {"q": "jardin"}, **refinement)
    with CaptureQueriesContext(connection) as uncounted:
        client.get(API, {"q": "jardin"}, **refinement)
    with CaptureQueriesContext(connection) as counted:
        client.get(API, {"q": "jardin"})
    assert len(counted) == len(uncounted) + 1


def test_a_search_goes_on_when_it_cannot_be_counted(client, pocs, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(statistics, "count_search", broken)
    response = client.get(CATALOGUE, {"q": "jardin"})
    assert response.status_code == 200
    assert "partagé des Moulins" in response.content.decode()
    assert "could not be counted" in caplog.text


def test_the_same_text_is_counted_per_day_and_language():
    today = timezone.localdate()
    statistics.count_search("velo", "fr", 3, today)
    statistics.count_search("velo", "fr", 0, today)
    statistics.count_search("velo", "en", 2, today)
    statistics.count_search("velo", "fr", 4, today - timedelta(days=1))
    assert SearchQueryDay.objects.filter(day=today, language="fr").values_list(
        "searches", "zero_result_searches", "last_results"
    ).get() == (2, 1, 0)
    assert SearchQueryDay.objects.count() == 3


@pytest.fixture
def staff_client(client):
    client.force_login(make_staff("editor", "en"))
    return client


def test_the_report_lists_top_and_fruitless_searches_over_a_period(staff_client):
    today = timezone.localdate()
    for _ in range(3):
        statistics.count_search("velo", "fr", 5, today)
    statistics.count_search("velo", "fr", 4, today - timedelta(days=10))
    statistics.count_search("piscine", "fr", 0, today)
    statistics.count_search("patinoire", "fr", 0, today - timedelta(days=60))

    report = staff_client.get(reverse("search_statistics_report"))
    assert report.status_code == 200
    text = report.content.decode()
    assert text.index("velo") < text.index("piscine")
    assert "patinoire" not in text  # the last 30 days by default

    week = staff_client.get(reverse("search_statistics_report"), {"period": "7"})
    exported = staff_client.get(
        reverse("search_statistics_report"), {"period": "7", "export": "csv"}
    )
    table = list(csv.DictReader(io.StringIO(exported.getvalue().decode("utf-8-sig"))))
    rows = [(row["Searched text"], row["Searches"]) for row in table]
    assert rows == [("velo", "3"), ("piscine", "1")]
    assert week.status_code == 200

    chosen = {
        "period": "",
        "show": "zero",
        "day_after": str(today - timedelta(days=90)),
        "day_before": str(today),
    }
    fruitless = staff_client.get(reverse("search_statistics_report"), chosen).content.decode()
    assert "piscine" in fruitless and "patinoire" in fruitless
    assert "velo" not in fruitless
    xlsx = staff_client.get(reverse("search_statistics_report"), {**chosen, "export": "xlsx"})
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_purge_command_deletes_counts_past_their_retention():
    today = timezone.localdate()
    statistics.count_search("velo", "fr", 1, today)
    statistics.count_search("velo", "fr", 1, today - timedelta(days=29))
    statistics.count_search("velo", "fr", 1, today - timedelta(days=30))
    result = manage("purge_search_statistics", SHOWCASE_SEARCH_STATS_RETENTION_DAYS="30")
    assert result.returncode == 0, result.stderr
    assert "Deleted 1 day(s) of search counts" in result.stdout
    assert sorted(SearchQueryDay.objects.values_list("day", flat=True)) == [
        today - timedelta(days=29),
        today,
    ]
