"""Wagtail's routing is remembered per published version, and never routes to a stale page.

Each test's client carries a cookie, as a visitor with a session does: the whole page is then
rendered for it (never a stored copy), so what is measured is the routing alone.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from tests.factories import make_poc

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor(client, without_elasticsearch):
    client.cookies["sessionid"] = "not-a-session"
    return client


def queries_of(client, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response.status_code, [query["sql"] for query in captured.captured_queries]


def test_the_second_request_skips_the_site_lookup_and_the_tree_walk(visitor):
    poc = make_poc("Atelier mobile de réparation")
    status, first = queries_of(visitor, poc.url)
    assert status == 200
    status, second = queries_of(visitor, poc.url)
    assert status == 200
    assert any("wagtailcore_site" in sql for sql in first)
    assert not any("wagtailcore_site" in sql for sql in second)
    assert len(second) <= len(first) - 3


def test_a_renamed_page_moves_at_once(visitor):
    poc = make_poc("Banc public modulable")
    old_url = poc.url
    assert visitor.get(old_url).status_code == 200

    poc.slug = "banc-modulable"
    poc.save_revision().publish()

    assert visitor.get(old_url).status_code == 404
    assert visitor.get("/catalogue/banc-modulable/").status_code == 200


def test_an_unpublished_page_is_gone_at_once(visitor):
    poc = make_poc("Kiosque éphémère")
    assert visitor.get(poc.url).status_code == 200
    poc.unpublish()
    assert visitor.get(poc.url).status_code == 404


def test_a_remembered_route_still_asks_who_may_see_the_page(visitor):
    poc = make_poc("Jardin des voisins")
    assert visitor.get(poc.url).status_code == 200
    assert visitor.get(poc.url).status_code == 200

    PageViewRestriction.objects.create(page=poc, restriction_type=PageViewRestriction.LOGIN)

    response = visitor.get(poc.url)
    assert response.status_code == 302
    assert "login" in response["Location"]
