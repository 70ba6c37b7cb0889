"""The admin's two-factor pages: enrol an authenticator app, then give a code at each login."""

from __future__ import annotations

import logging
from base64 import b32encode

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from showcase.two_factor import (
    TOTP_DEVICE_NAME,
    confirm_totp,
    forget_devices,
    new_backup_codes,
    second_factor_required,
    url_with_next,
)
from showcase.two_factor import totp_device as find_totp_device

logger = logging.getLogger(__name__)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        strip=True,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "spellcheck": "false",
            }
        ),
    )


def next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("wagtailadmin_home")


@never_cache
@login_required(login_url="wagtailadmin_login")
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of every login: a code from the app, or a backup code."""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].replace(" ", "")
        device = match_token(request.user, code)
        if device is not None:
            otp_login(request, device)
            return redirect(next_url(request))
        logger.warning("A wrong second-factor code was given for user %s", request.user.pk)
        form.add_error("code", _("This code is not valid. Check your app's clock, and try again."))
    return render(request, "two_factor/verify.html", {"form": form, "next": next_url(request)})


@never_cache
@login_required(login_url="wagtailadmin_login")
def enrol(request: HttpRequest) -> HttpResponse:
    """Scan a QR code (or type the key), prove it with one code; backup codes are shown once.

    An enrolled user comes here from the account menu to move to a new phone: the app proven
    here replaces the former one, and new backup codes replace the former ones.
    """
    enrolled = find_totp_device(request.user) is not None
    if enrolled and not request.user.is_verified():
        return redirect(url_with_next("two_factor_verify", next_url(request)))
    device = find_totp_device(request.user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(
            user=request.user, name=TOTP_DEVICE_NAME, confirmed=False
        )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].replace(" ", "")):
            confirm_totp(device)
            otp_login(request, device)
            request.session["two_factor_backup_codes"] = new_backup_codes(request.user)
            return redirect(url_with_next("two_factor_backup_codes", next_url(request)))
        form.add_error("code", _("This code is not valid. Check your app's clock, and try again."))
    qr_code = segno.make(device.config_url, error="m")
    return render(
        request,
        "two_factor/enrol.html",
        {
            "form": form,
            "next": next_url(request),
            "qr_code": qr_code.svg_inline(scale=5, title=str(_("QR code to scan"))),
            "secret": _grouped(device.bin_key),
            "required": second_factor_required(request.user),
            "enrolled": enrolled,
        },
    )


@never_cache
@require_POST
@login_required(login_url="wagtailadmin_login")
def turn_off(request: HttpRequest) -> HttpResponse:
    """Whoever is not required to may give up their second factor, after proving it once more."""
    if second_factor_required(request.user) or not request.user.is_verified():
        return HttpResponseForbidden()
    forget_devices(request.user)
    messages.success(request, _("Two-factor authentication is off for your account."))
    return redirect("wagtailadmin_account")


@never_cache
@login_required(login_url="wagtailadmin_login")
def backup_codes(request: HttpRequest) -> HttpResponse:
    """The backup codes, once: they leave the session as they are shown."""
    codes = request.session.pop("two_factor_backup_codes", None)
    if not codes:
        return redirect(next_url(request))
    return render(
        request, "two_factor/backup_codes.html", {"codes": codes, "next": next_url(request)}
    )


def _grouped(key: bytes) -> str:
    """The key as authenticator apps ask it typed: base32, in groups of four."""
    text = b32encode(key).decode().rstrip("=")
    return " ".join(text[index : index + 4] for index in range(0, len(text), 4))
