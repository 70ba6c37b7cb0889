"""“Je soutiens”: one support per browser and POC, counted without anything about who gave it."""

from __future__ import annotations

import csv
import io
import json
import logging

import pytest
from django.apps import apps
from django.conf import settings
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from poc_catalogue.published_cache import published_version
from poc_catalogue.supports import browsers
from poc_catalogue.supports.models import DailySupport, SupportCount
from tests.factories import english, make_poc

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def support_url(poc) -> str:
    return f"/supports/{poc.pk}/"


def support(client: Client, poc, action: str = "support", **extra):
    return client.post(support_url(poc), {"action": action}, **extra)


def count_of(poc) -> int:
    return SupportCount.objects.filter(page=poc).values_list("supports", flat=True).first() or 0


def test_one_click_counts_once_per_browser_and_a_new_browser_counts_again():
    poc = make_poc("Banc connecté")
    first = Client()
    answer = support(first, poc, **JSON)
    assert answer.status_code == 200
    assert answer.json()["count"] == 1 and answer.json()["supported"] is True
    assert answer.json()["label"] == "1 soutien"

    again = support(first, poc, **JSON)
    assert again.json()["count"] == 1, "the same browser supports once"

    second = Client()
    assert support(second, poc, **JSON).json()["count"] == 2
    assert count_of(poc) == 2
    assert "2 soutiens" in Client().get(poc.url).content.decode()


def test_a_browser_withdraws_its_support_once():
    poc = make_poc("Kiosque solaire")
    browser = Client()
    support(browser, poc, **JSON)
    withdrawn = support(browser, poc, "withdraw", **JSON)
    assert withdrawn.json() == {**withdrawn.json(), "count": 0, "supported": False}
    # Withdrawing again (or from a browser that never supported) changes nothing.
    support(browser, poc, "withdraw", **JSON)
    support(Client(), poc, "withdraw", **JSON)
    assert count_of(poc) == 0
    day = DailySupport.objects.get(page=poc)
    assert (day.given, day.withdrawn) == (1, 1)


def test_without_javascript_the_button_leads_to_a_form_that_posts_and_comes_back():
    """The button is a link (cards sit in the catalogue's filter form: no nested form)."""
    poc = make_poc("Fontaine publique")
    browser = Client()
    page = browser.get(poc.url).content.decode()
    assert f'class="support__button" href="/supports/{poc.pk}/"' in page

    form = browser.get(support_url(poc), {"next": poc.url})
    assert form.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in form.content.decode()

    done = browser.post(support_url(poc), {"action": "support", "next": poc.url})
    assert done.status_code == 302
    thanks = browser.get(done["Location"]).content.decode()
    assert "Merci pour votre soutien" in thanks
    assert "1 soutien" in thanks and "Retirer mon soutien" in thanks
    assert f'href="{poc.url}"' in thanks


def test_a_post_without_csrf_token_is_refused():
    poc = make_poc("Abri vélo")
    strict = Client(enforce_csrf_checks=True)
    assert support(strict, poc).status_code == 403
    assert count_of(poc) == 0


def test_the_state_endpoint_gives_counts_this_browsers_supports_and_a_token():
    supported, other = make_poc("Passerelle"), make_poc("Belvédère")
    browser = Client()
    support(browser, supported, **JSON)
    state = browser.get("/supports/state/", {"poc": [supported.pk, other.pk, "x", "-1"]}).json()
    assert state["pocs"] == {
        str(supported.pk): {"count": 1, "label": "1 soutien", "supported": True},
        str(other.pk): {"count": 0, "label": "0 soutien", "supported": False},
    }
    assert state["csrf"]
    assert (
        Client()
        .get("/supports/state/", {"poc": supported.pk})
        .json()["pocs"][str(supported.pk)]["supported"]
        is False
    )


def test_a_forged_or_tampered_cookie_is_ignored():
    poc = make_poc("Marché couvert")
    browser = Client()
    support(browser, poc, **JSON)
    cookie = browser.cookies[settings.SUPPORT_COOKIE_NAME].value

    tampered = Client()
    tampered.cookies[settings.SUPPORT_COOKIE_NAME] = cookie[:-2] + (
        "AA" if cookie[-2:] != "AA" else "BB"
    )
    assert support(tampered, poc, "withdraw", **JSON).json()["count"] == 1

    forged = Client()
    forged.cookies[settings.SUPPORT_COOKIE_NAME] = signing.dumps([poc.pk], salt="another salt")
    assert support(forged, poc, "withdraw", **JSON).json()["count"] == 1
    # Neither is refused: they read as a browser that supports nothing yet.
    assert support(forged, poc, **JSON).json()["count"] == 2


def test_the_cookie_list_is_bounded(settings):
    pocs = [make_poc(f"POC {n}") for n in range(3)]
    browser = Client()
    browser.cookies[settings.SUPPORT_COOKIE_NAME] = signing.dumps(
        list(range(10**6, 10**6 + browsers.MAX_SUPPORTED)), salt=browsers.SALT, compress=True
    )
    full = support(browser, pocs[0], **JSON).json()
    assert full["full"] is True and full["count"] == 0
    assert len(browser.cookies[settings.SUPPORT_COOKIE_NAME].value) < 4096


def test_the_rate_limit_per_network_refuses_with_a_clear_page(settings):
    settings.SUPPORT_RATE_LIMIT_PER_HOUR = 2
    pocs = [make_poc(f"Placette {n}") for n in range(3)]
    for poc in pocs[:2]:
        assert support(Client(REMOTE_ADDR="203.0.113.7"), poc).status_code == 302
    refused = support(Client(REMOTE_ADDR="203.0.113.7"), pocs[2])
    assert refused.status_code == 429
    assert "Trop de soutiens" in refused.content.decode()
    as_json = support(Client(REMOTE_ADDR="203.0.113.7"), pocs[2], **JSON)
    assert as_json.status_code == 429 and "une heure" in as_json.json()["message"]
    # The same /64 is one network; another network is not refused.
    assert support(Client(REMOTE_ADDR="2001:db8::1"), pocs[2]).status_code == 302
    assert support(Client(REMOTE_ADDR="2001:db8::2"), pocs[2]).status_code == 302
    assert support(Client(REMOTE_ADDR="2001:db8::3"), pocs[2]).status_code == 429
    assert support(Client(REMOTE_ADDR="198.51.100.1"), pocs[2]).status_code == 302
    assert count_of(pocs[2]) == 3


def test_no_personal_data_is_written(caplog, settings):
    """Every row a support writes holds a page, a day and counts: no address, agent or id."""
    poc = make_poc("Aire de jeux inclusive")
    browser = Client(REMOTE_ADDR="203.0.113.99", HTTP_USER_AGENT="Navigateur-Temoin/1.0")
    caplog.set_level(logging.DEBUG)
    with CaptureQueriesContext(connection) as captured:
        support(browser, poc, **JSON)
        support(browser, poc, "withdraw", **JSON)
        support(browser, poc, **JSON)
    written = [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
    ]
    assert written
    for sql in written:
        assert "203.0.113" not in sql and "Temoin" not in sql
    tables = {
        model._meta.db_table
        for model in apps.get_models()
        if model._meta.app_label in ("supports", "search")
    }
    assert all(any(table in sql for table in tables) for sql in written), written
    for model in (SupportCount, DailySupport):
        for row in model.objects.values():
            assert set(row) <= {"page_id", "supports", "id", "day", "given", "withdrawn"}
    assert "203.0.113" not in caplog.text and "Temoin" not in caplog.text
    cookie = browser.cookies[settings.SUPPORT_COOKIE_NAME]
    assert signing.loads(cookie.value, salt=browsers.SALT) == [poc.pk]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_a_click_leaves_the_published_version_and_cached_pages_alone():
    poc = make_poc("Rue aux enfants")
    Client().get(poc.url)
    version = published_version()
    supporter = Client()
    support(supporter, poc, **JSON)
    assert published_version() == version
    # A supporter still gets the stored page: it does not read the supports cookie.
    with CaptureQueriesContext(connection) as captured:
        page = supporter.get(poc.url)
    assert page.status_code == 200
    assert not any("wagtailcore_page" in q["sql"] for q in captured.captured_queries)


def test_a_cached_page_gives_every_visitor_a_working_button():
    poc = make_poc("Bibliothèque de rue")
    first = Client().get(poc.url).content.decode()
    assert "csrfmiddlewaretoken" not in first
    second = Client(enforce_csrf_checks=True)
    assert second.get(poc.url).content.decode().count(f'data-support="{poc.pk}"') >= 1
    token = second.get("/supports/state/", {"poc": poc.pk}).json()["csrf"]
    answer = second.post(support_url(poc), {"action": "support"}, HTTP_X_CSRFTOKEN=token, **JSON)
    assert answer.status_code == 200 and answer.json()["count"] == 1


def test_an_english_page_counts_on_the_french_poc():
    poc = make_poc("Banc public")
    translation = english(poc, title="Public bench")
    page = Client().get(translation.url).content.decode()
    assert f'data-support="{poc.pk}"' in page
    assert f'href="/en/supports/{poc.pk}/"' in page
    answer = Client().post(f"/en/supports/{poc.pk}/", {"action": "support"}, **JSON)
    assert answer.json()["label"] == "1 support"


def test_drafts_and_unknown_pocs_cannot_be_supported():
    draft = make_poc("Brouillon", publish=False)
    assert support(Client(), draft).status_code == 404
    assert Client().post("/supports/999999/", {"action": "support"}).status_code == 404
    assert not SupportCount.objects.exists()


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    action=st.one_of(st.text(max_size=40), st.sampled_from(["support", "withdraw", ""])),
    page=st.one_of(st.integers(), st.integers(min_value=2**31), st.text(max_size=30)),
    cookie=st.text(max_size=200),
    next_url=st.text(max_size=200),
)
def test_hostile_input_creates_nothing_and_never_fails(action, page, cookie, next_url):
    browser = Client(raise_request_exception=True)
    browser.cookies[settings.SUPPORT_COOKIE_NAME] = cookie.encode("ascii", "ignore").decode()
    response = browser.post(f"/supports/{page}/", {"action": action, "next": next_url}, **JSON)
    assert response.status_code < 500
    state = browser.get("/supports/state/", {"poc": [str(page), action]})
    assert state.status_code < 500
    assert not SupportCount.objects.exists() and not DailySupport.objects.exists()


def test_the_open_data_files_carry_the_support_count():
    supported, other = make_poc("Halte-garderie éphémère"), make_poc("Préau partagé")
    for _browser in range(2):
        support(Client(), supported, **JSON)
    csv_text = b"".join(Client().get("/api/catalogue/export.csv").streaming_content)
    rows = list(csv.DictReader(io.StringIO(csv_text.decode("utf-8-sig"))))
    assert {row["title"]: row["supports"] for row in rows} == {
        "Halte-garderie éphémère": "2",
        "Préau partagé": "0",
    }
    geojson = b"".join(Client().get("/api/catalogue/export.geojson").streaming_content)
    features = json.loads(geojson)["features"]
    assert {f["id"]: f["properties"]["supports"] for f in features} == {
        supported.pk: 2,
        other.pk: 0,
    }
    assert "supports" in Client().get("/open-data/").content.decode()
