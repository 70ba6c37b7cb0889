"""Who the moderators are, for the alerts about new proposals and for the admin that names them.

One rule: `SUBMISSION_MODERATOR_EMAILS` when it is set, else the active members, with an
address, of the groups that approve the review task. The groups are read from the task,
not by name, so renaming a group in the admin (or translating it) does not silence the alerts.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from .models import SubmissionReviewTask


@dataclass(frozen=True)
class AlertRecipients:
    addresses: list[str]
    from_setting: bool
    groups: list[str]
    members_without_address: int


def review_groups() -> list[Group]:
    """The groups of every active submission review task."""
    return list(
        Group.objects.filter(
            id__in=SubmissionReviewTask.objects.filter(active=True).values("groups")
        ).order_by("name")
    )


def alert_recipients() -> AlertRecipients:
    groups = review_groups()
    if settings.SUBMISSION_MODERATOR_EMAILS:
        return AlertRecipients(
            addresses=sorted(set(settings.SUBMISSION_MODERATOR_EMAILS)),
            from_setting=True,
            groups=[group.name for group in groups],
            members_without_address=0,
        )
    members = get_user_model().objects.filter(groups__in=groups, is_active=True).distinct()
    addresses = members.exclude(email="").values_list("email", flat=True)
    return AlertRecipients(
        addresses=sorted(set(addresses)),
        from_setting=False,
        groups=[group.name for group in groups],
        members_without_address=members.filter(email="").count(),
    )


def moderator_addresses() -> list[str]:
    return alert_recipients().addresses
