"""Two-factor authentication for the admin, on django-otp.

Threat model: a staff password phished or reused elsewhere must not open the admin of a public
body's site. Who must use a second factor is one rule, `second_factor_required()`: when
`TWO_FACTOR_REQUIRED` is on (production), every administrator and every moderator (a member of
a submission review group). Anyone else may enrol from the account menu, and once enrolled is
asked too. A code is a TOTP from an authenticator app (django-otp's TOTPDevice, throttled after
wrong guesses) or one of ten single-use backup codes shown at enrolment (StaticDevice).

The middleware only guards the admin: the public site never asks for a code.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from poc_catalogue.submissions.moderators import review_groups

BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Application d'authentification"
BACKUP_DEVICE_NAME = "Codes de secours"
# Admin views an unverified user may reach: logging in and out, enrolling, verifying.
OPEN_URL_NAMES = frozenset(
    {
        "wagtailadmin_login",
        "wagtailadmin_logout",
        "wagtailadmin_javascript_catalog",
        "wagtailadmin_sprite",
        "two_factor_verify",
        "two_factor_enrol",
        "two_factor_backup_codes",
    }
)


def second_factor_required(user: AbstractBaseUser) -> bool:
    """Whether this user may not use the admin without a second factor."""
    if not settings.TWO_FACTOR_REQUIRED or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(pk__in=[group.pk for group in review_groups()]).exists()


def totp_device(user: AbstractBaseUser, *, confirmed: bool | None = True) -> TOTPDevice | None:
    devices = TOTPDevice.objects.devices_for_user(user, confirmed=confirmed)
    return devices.order_by("-pk").first()


def new_backup_codes(user: AbstractBaseUser) -> list[str]:
    """Ten fresh single-use codes, replacing any earlier ones."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=BACKUP_DEVICE_NAME)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def enrol_totp(user: AbstractBaseUser, key_hex: str | None = None) -> TOTPDevice:
    """A confirmed authenticator for `user` (operators and automation, not the browser flow)."""
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(
        user=user, name=TOTP_DEVICE_NAME, key=key_hex or secrets.token_hex(20), confirmed=True
    )


def confirm_totp(device: TOTPDevice) -> None:
    """The app just proven with a code becomes the user's only one: a new phone replaces the old."""
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])


def forget_devices(user: AbstractBaseUser) -> int:
    """Remove every second factor of `user` (a lost phone); they enrol again at next login."""
    deleted = TOTPDevice.objects.filter(user=user).delete()[0]
    return deleted + StaticDevice.objects.filter(user=user).delete()[0]


class SecondFactorMiddleware:
    """Sends an admin user without a verified second factor to verify or enrol first."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = reverse("wagtailadmin_home")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        on_admin = request.path_info.startswith(self.admin_prefix)
        if on_admin and (redirect := self.redirect_for(request)):
            return redirect
        return self.get_response(request)

    def redirect_for(self, request: HttpRequest) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        if match.url_name in OPEN_URL_NAMES:
            return None
        if user_has_device(user, confirmed=True):
            target = "two_factor_verify"
        elif second_factor_required(user):
            target = "two_factor_enrol"
        else:
            return None
        return HttpResponseRedirect(url_with_next(target, request.get_full_path()))


def url_with_next(url_name: str, next_url: str) -> str:
    """The URL of a two-factor page that goes on to `next_url` once done."""
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"
