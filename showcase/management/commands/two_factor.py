"""Second factors from the command line, for operators and automation.

manage.py two_factor enrol USER --key-file PATH   an authenticator for USER (prints otpauth://)
manage.py two_factor code --key-file PATH         the current six-digit code of that key
manage.py two_factor reset USER                   forget USER's second factors (a lost phone)
manage.py two_factor status                       who has a second factor, and who must
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from showcase.two_factor import enrol_totp, forget_devices, second_factor_required


def read_or_create_key(path: Path) -> str:
    """The hex key kept in `path` (mode 600), made on first use."""
    if path.exists():
        key = path.read_text().strip()
        try:
            bytes.fromhex(key)
        except ValueError as exc:
            raise CommandError(f"{path} does not hold a hexadecimal key") from exc
        return key
    key = secrets.token_hex(20)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(key + "\n")
    return key


class Command(BaseCommand):
    help = "Enrol, show, reset or list staff second factors (TOTP)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        enrol = actions.add_parser(
            "enrol", help="Give USER an authenticator with the key of --key-file."
        )
        enrol.add_argument("username")
        enrol.add_argument("--key-file", type=Path, required=True)
        code = actions.add_parser("code", help="Print the current code of the key of --key-file.")
        code.add_argument("--key-file", type=Path, required=True)
        reset = actions.add_parser("reset", help="Forget USER's second factors (they enrol again).")
        reset.add_argument("username")
        actions.add_parser("status", help="List staff, their second factor, and who must have one.")

    def handle(self, *args, action: str, **options):
        getattr(self, f"handle_{action}")(**options)

    def user(self, username: str):
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"No user {username!r}.") from exc

    def handle_enrol(self, username: str, key_file: Path, **options):
        device = enrol_totp(self.user(username), read_or_create_key(key_file))
        self.stdout.write(device.config_url)

    def handle_code(self, key_file: Path, **options):
        if not key_file.exists():
            raise CommandError(f"No key file {key_file}.")
        token = TOTP(bytes.fromhex(read_or_create_key(key_file))).token()
        self.stdout.write(f"{token:06d}")

    def handle_reset(self, username: str, **options):
        removed = forget_devices(self.user(username))
        self.stdout.write(
            f"{removed} second factor(s) of {username} removed; they enrol again at next login."
        )

    def handle_status(self, **options):
        staff = get_user_model().objects.filter(is_active=True).order_by("username")
        for user in staff:
            has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
            must = second_factor_required(user)
            if not (has_device or must or user.is_staff or user.is_superuser):
                continue
            state = "enrolled" if has_device else ("MISSING" if must else "none")
            self.stdout.write(f"{user.username}: {state}{' (required)' if must else ''}")
