"""Two-factor authentication for the admin, through the login form as staff use it."""

from __future__ import annotations

import re
import time

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import Group
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.processes import manage

pytestmark = pytest.mark.django_db

PASSWORD = "un-mot-de-passe-solide"


def code_of(device: TOTPDevice, offset: int = 0) -> str:
    generator = TOTP(device.bin_key)
    generator.time = int(time.time()) + offset
    return f"{generator.token():06d}"


def log_in(client, username: str):
    return client.post(
        "/admin/login/", {"username": username, "password": PASSWORD, "next": "/admin/pages/"}
    )


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True


@pytest.fixture
def admin(django_user_model):
    return django_user_model.objects.create_superuser("admin", "admin@example.org", PASSWORD)


@pytest.fixture
def moderator(django_user_model):
    user = django_user_model.objects.create_user("moderatrice", "m@example.org", PASSWORD)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("redacteur", "r@example.org", PASSWORD)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def enrol_through_the_page(client) -> TOTPDevice:
    page = client.get("/admin/two-factor/enrol/")
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(confirmed=False)
    answer = client.post("/admin/two-factor/enrol/", {"code": code_of(device)})
    assert answer.status_code == 302 and "backup-codes" in answer["Location"]
    codes = client.get(answer["Location"])
    assert codes.content.decode().count("<code>") == 10
    device.refresh_from_db()
    assert device.confirmed
    return device


@pytest.mark.parametrize("who", ["admin", "moderator"])
def test_administrators_and_moderators_must_enrol_before_using_the_admin(
    client, required, who, request
):
    user = request.getfixturevalue(who)
    assert log_in(client, user.username).status_code == 302
    refused = client.get("/admin/pages/")
    assert refused.status_code == 302
    assert refused["Location"].startswith("/admin/two-factor/enrol/")

    enrol_through_the_page(client)
    assert client.get("/admin/pages/").status_code == 200


def test_an_enrolled_admin_gives_a_code_at_every_login(client, required, admin):
    device = TOTPDevice.objects.create(user=admin, name="app", confirmed=True)
    log_in(client, "admin")
    refused = client.get("/admin/pages/")
    assert refused["Location"].startswith("/admin/two-factor/verify/")

    wrong = client.post("/admin/two-factor/verify/", {"code": "000000", "next": "/admin/pages/"})
    assert wrong.status_code == 200
    assert (
        "code n’est pas valide" in wrong.content.decode() or "not valid" in wrong.content.decode()
    )
    assert client.get("/admin/pages/").status_code == 302

    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.save()
    right = client.post(
        "/admin/two-factor/verify/", {"code": code_of(device), "next": "/admin/pages/"}
    )
    assert right.status_code == 302 and right["Location"] == "/admin/pages/"
    assert client.get("/admin/pages/").status_code == 200


def test_a_backup_code_works_once(client, required, admin):
    log_in(client, "admin")
    enrol_through_the_page(client)
    backup = StaticToken.objects.first().token
    client.logout()
    for attempt in range(2):
        log_in(client, "admin")
        answer = client.post("/admin/two-factor/verify/", {"code": backup})
        assert (answer.status_code == 302) is (attempt == 0)
        client.logout()


def test_verification_never_leads_off_site(client, required, admin):
    device = TOTPDevice.objects.create(user=admin, name="app", confirmed=True)
    log_in(client, "admin")
    answer = client.post(
        "/admin/two-factor/verify/", {"code": code_of(device), "next": "https://evil.example/"}
    )
    assert answer["Location"] == "/admin/"


def test_an_editor_may_work_without_a_second_factor(client, required, editor):
    log_in(client, "redacteur")
    assert client.get("/admin/pages/").status_code == 200


def test_in_development_nobody_is_forced_but_an_enrolled_user_is_asked(client, settings, admin):
    settings.TWO_FACTOR_REQUIRED = False
    log_in(client, "admin")
    assert client.get("/admin/pages/").status_code == 200
    assert 'href="/admin/two-factor/enrol/"' in client.get("/admin/account/").content.decode()
    enrol_through_the_page(client)
    client.logout()
    log_in(client, "admin")
    assert client.get("/admin/pages/")["Location"].startswith("/admin/two-factor/verify/")


def test_a_new_phone_replaces_the_former_app_and_its_backup_codes(client, required, admin):
    log_in(client, "admin")
    former = enrol_through_the_page(client)
    former_backup = StaticToken.objects.first().token

    page = client.get("/admin/two-factor/enrol/").content.decode()
    assert "Garder mon application actuelle" in page or "Keep my current app" in page
    assert "two-factor/turn-off/" not in page  # an administrator may not give it up
    new = enrol_through_the_page(client)

    assert list(TOTPDevice.objects.filter(user=admin)) == [new]
    assert not StaticToken.objects.filter(token=former_backup).exists()
    assert not TOTPDevice.objects.filter(pk=former.pk).exists()


def test_who_is_not_required_may_turn_it_off_but_not_an_administrator(
    client, settings, required, admin, editor
):
    log_in(client, "redacteur")
    enrol_through_the_page(client)
    assert "two-factor/turn-off/" in client.get("/admin/two-factor/enrol/").content.decode()
    answer = client.post("/admin/two-factor/turn-off/")
    assert answer.status_code == 302
    assert not TOTPDevice.objects.filter(user=editor).exists()
    client.logout()
    log_in(client, "redacteur")
    assert client.get("/admin/pages/").status_code == 200

    TOTPDevice.objects.create(user=admin, name="app", confirmed=True)
    client.logout()
    log_in(client, "admin")
    assert client.post("/admin/two-factor/turn-off/")["Location"].startswith(
        "/admin/two-factor/verify/"
    )
    assert TOTPDevice.objects.filter(user=admin).exists()


def test_the_two_factor_pages_log_out_and_keep_where_the_user_was_going(client, required, admin):
    log_in(client, "admin")
    sent = client.get("/admin/pages/?ordering=title&p=2")
    assert (
        sent["Location"]
        == "/admin/two-factor/enrol/?next=%2Fadmin%2Fpages%2F%3Fordering%3Dtitle%26p%3D2"
    )
    page = client.get(sent["Location"]).content.decode()
    assert 'value="/admin/pages/?ordering=title&amp;p=2"' in page
    assert 'method="post" action="/admin/logout/"' in page
    client.post("/admin/logout/")
    assert client.get("/admin/two-factor/enrol/")["Location"].startswith("/admin/login/")


def test_wrong_codes_are_throttled_even_before_a_right_one(client, required, admin, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # seconds after the first failure: longer than the test
    device = TOTPDevice.objects.create(user=admin, name="app", confirmed=True)
    log_in(client, "admin")
    for _ in range(3):
        client.post("/admin/two-factor/verify/", {"code": "000000"})
    refused = client.post("/admin/two-factor/verify/", {"code": code_of(device)})
    assert refused.status_code == 200
    assert client.get("/admin/pages/").status_code == 302


def test_the_public_site_never_asks_for_a_code(client, required, admin):
    log_in(client, "admin")
    assert client.get("/").status_code == 200


def test_the_login_throttling_still_counts_failures(client, required, admin, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "admin", "password": "faux"})
    assert log_in(client, "admin").status_code == 429


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_operators_enrol_show_codes_and_reset_from_the_command_line(tmp_path, django_user_model):
    django_user_model.objects.create_superuser("admin", "admin@example.org", PASSWORD)
    key_file = tmp_path / "admin-totp.key"

    enrolled = manage("two_factor", "enrol", "admin", "--key-file", str(key_file))
    assert enrolled.returncode == 0, enrolled.stderr
    assert enrolled.stdout.startswith("otpauth://totp/")
    assert key_file.stat().st_mode & 0o777 == 0o600
    device = TOTPDevice.objects.get(user__username="admin", confirmed=True)
    assert device.key == key_file.read_text().strip()

    shown = manage("two_factor", "code", "--key-file", str(key_file))
    assert shown.returncode == 0
    assert shown.stdout.strip() in {code_of(device, offset) for offset in (-30, 0, 30)}

    status = manage("two_factor", "status")
    assert "admin: enrolled (required)" in status.stdout

    reset = manage("two_factor", "reset", "admin")
    assert reset.returncode == 0
    assert not TOTPDevice.objects.filter(user__username="admin").exists()
    assert "admin: MISSING (required)" in manage("two_factor", "status").stdout

    unknown = manage("two_factor", "reset", "personne")
    assert unknown.returncode == 1 and "personne" in unknown.stderr


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_bootstrap_prints_a_generated_password_once(django_user_model):
    first = manage("bootstrap_site", "--demo-count", "0")
    assert first.returncode == 0, first.stderr
    password = re.search(r"password '([^']+)'", first.stdout).group(1)
    stored = django_user_model.objects.get(username="admin").password
    assert PBKDF2PasswordHasher().verify(password, stored)  # what production settings use

    again = manage("bootstrap_site", "--demo-count", "0")
    assert again.returncode == 0, again.stderr
    assert password not in again.stdout


@pytest.mark.parametrize(
    ("settings_module", "environment", "required"),
    [
        ("showcase.settings.production", {}, "True"),
        ("showcase.settings.production", {"TWO_FACTOR_REQUIRED": "false"}, "False"),
        ("showcase.settings.dev", {}, "False"),
        ("showcase.settings.dev", {"TWO_FACTOR_REQUIRED": "true"}, "True"),
    ],
)
def test_two_factor_is_required_in_production_unless_turned_off(
    settings_module, environment, required
):
    shown = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.TWO_FACTOR_REQUIRED)",
        DJANGO_SETTINGS_MODULE=settings_module,
        **environment,
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() == required


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_bootstrap_takes_the_admin_password_from_the_environment(django_user_model):
    result = manage("bootstrap_site", "--demo-count", "0", DJANGO_SUPERUSER_PASSWORD=PASSWORD)
    assert result.returncode == 0, result.stderr
    assert PASSWORD not in result.stdout
    stored = django_user_model.objects.get(username="admin").password
    assert PBKDF2PasswordHasher().verify(PASSWORD, stored)  # what production settings use
