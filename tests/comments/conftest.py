"""Builders for comment tests: a valid form, a comment in a given state, a moderator."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from poc_catalogue.comments.models import Comment, CommentStatus
from poc_catalogue.models import POCPage


def comment_data(**overrides) -> dict:
    """A valid comment; override or drop (value None) any field."""
    data = {
        "display_name": "Camille de Fives",
        "body": "Très belle idée, j'aimerais la voir dans mon quartier.",
        "email": "camille@example.org",
        "homepage": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def comment_url(poc: POCPage) -> str:
    return f"/poc/{poc.pk}/comment/"


def make_comment(poc: POCPage, status: str = CommentStatus.PENDING, **kwargs) -> Comment:
    kwargs.setdefault("display_name", "Dominique")
    kwargs.setdefault("body", "Un commentaire.")
    return Comment.objects.create(page=poc, status=status, **kwargs)


def make_moderator(username: str = "moderatrice", password: str = "pw"):  # noqa: S107
    """A staff member of the "Moderators" group, which the migrations let moderate comments."""
    user = get_user_model().objects.create_user(
        username, f"{username}@example.org", password, is_staff=True
    )
    moderators = Group.objects.get(name="Moderators")
    user.groups.add(moderators)
    assert moderators.permissions.filter(codename="moderate_comment").exists()
    return user


def make_editor_without_moderation(username: str = "redacteur", password: str = "pw"):  # noqa: S107
    """Staff who can reach the admin but not moderate comments."""
    user = get_user_model().objects.create_user(
        username, f"{username}@example.org", password, is_staff=True
    )
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


@pytest.fixture
def moderator_client(client):
    client.force_login(make_moderator())
    return client
