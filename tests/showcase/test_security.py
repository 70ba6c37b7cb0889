"""What a visitor's browser is told to refuse, and what an attacker of the login meets."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def test_public_pages_allow_no_inline_script_or_style_but_their_own(client):
    response = client.get("/")
    policy = directives(response)
    assert "'unsafe-inline'" not in policy["script-src"] + policy["style-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    nonce = next(value for value in policy["script-src"] if value.startswith("'nonce-"))
    html = response.content.decode()
    inline_scripts = [
        attrs
        for attrs in re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
        # Data blocks (JSON-LD for search engines, json_script) are never run: CSP ignores them.
        if not re.search(r'type="application/(ld\+)?json"', attrs)
    ]
    assert inline_scripts and all(f'nonce="{nonce[7:-1]}"' in attrs for attrs in inline_scripts)
    assert " style=" not in html
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]


def test_images_may_come_from_the_tile_server_and_the_media_origin(client, settings):
    settings.MAP_TILE_URL = "https://{s}.tiles.example.org/{z}/{x}/{y}.png"
    settings.MEDIA_URL = "https://media.example.org/"
    img_src = directives(client.get("/"))["img-src"]
    assert "https://*.tiles.example.org" in img_src
    assert "https://media.example.org" in img_src


def test_the_admin_keeps_every_other_origin_out(admin_client):
    policy = directives(admin_client.get("/admin/"))
    assert policy["default-src"] == ["'self'"]
    assert policy["connect-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"]


def test_there_is_no_django_admin(client):
    assert client.get("/django-admin/").status_code == 404


def test_logins_are_refused_after_five_failures_even_with_the_right_password(client):
    get_user_model().objects.create_user("redaction", password="le-bon-mot-de-passe")
    statuses = [
        client.post(
            "/admin/login/",
            {"username": "redaction", "password": "devine"},
            REMOTE_ADDR="198.51.100.7",
        ).status_code
        for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]
    locked = client.post(
        "/admin/login/",
        {"username": "redaction", "password": "le-bon-mot-de-passe"},
        REMOTE_ADDR="198.51.100.7",
    )
    assert locked.status_code == 429
    assert "Trop de tentatives de connexion" in locked.content.decode()
    elsewhere = client.post(
        "/admin/login/",
        {"username": "redaction", "password": "le-bon-mot-de-passe"},
        REMOTE_ADDR="203.0.113.9",
    )
    assert elsewhere.status_code == 302
