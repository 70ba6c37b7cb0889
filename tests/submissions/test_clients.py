"""Who the client is, behind our proxies or not: what the rate limits count."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from poc_catalogue.submissions import clients
from poc_catalogue.submissions.clients import client_address_of, client_network
from poc_catalogue.submissions.models import SubmissionAttempt


def request_from(remote: str, forwarded: str = ""):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_without_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address_of(request_from("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_behind_our_proxy_the_address_it_saw_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = request_from("127.0.0.1", "10.9.9.9, 203.0.113.7")
    assert client_address_of(request) == "203.0.113.7"


def test_a_client_reaching_the_application_directly_cannot_choose_its_address(settings, caplog):
    settings.TRUSTED_PROXY_COUNT = 1
    clients._warn_of_a_request_around_the_proxies.cache_clear()
    assert client_address_of(request_from("203.0.113.7", "198.51.100.1")) == "203.0.113.7"
    assert client_address_of(request_from("203.0.113.8", "198.51.100.1")) == "203.0.113.8"
    # The operator is told once; no visitor's address is written to the log.
    assert caplog.text.count("outside TRUSTED_PROXIES") == 1
    assert "203.0.113" not in caplog.text


def test_two_proxies_are_believed_only_when_both_are_ours(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    settings.TRUSTED_PROXIES = ["127.0.0.0/8", "192.0.2.0/24"]
    assert client_address_of(request_from("127.0.0.1", "203.0.113.7, 192.0.2.10")) == (
        "203.0.113.7"
    )
    assert client_address_of(request_from("127.0.0.1", "203.0.113.7, 198.51.100.66")) == (
        "127.0.0.1"
    )


def test_garbage_in_the_header_falls_back_to_the_connection(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address_of(request_from("127.0.0.1", "not-an-address")) == "127.0.0.1"


def test_ipv6_clients_are_counted_by_their_64_network():
    assert client_network("2001:db8:1:2:aaaa::1") == client_network("2001:db8:1:2:bbbb::9")
    assert client_network("2001:db8:1:2::1") != client_network("2001:db8:1:3::1")
    assert client_network("::ffff:203.0.113.7") == "203.0.113.7"


@pytest.mark.django_db
def test_behind_the_proxy_each_client_has_its_own_limit(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.SUBMISSION_ATTEMPT_LIMIT_PER_HOUR = 3
    through_proxy = {"REMOTE_ADDR": "127.0.0.1"}
    for _ in range(3):
        client.post("/submit/", {}, HTTP_X_FORWARDED_FOR="203.0.113.7", **through_proxy)
    blocked = client.post("/submit/", {}, HTTP_X_FORWARDED_FOR="203.0.113.7", **through_proxy)
    other = client.post("/submit/", {}, HTTP_X_FORWARDED_FOR="198.51.100.1", **through_proxy)
    assert blocked.status_code == 429
    assert other.status_code == 400
    assert SubmissionAttempt.objects.count() == 5
