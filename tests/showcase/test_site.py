import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_home_page_answers(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "<h1>" in response.content.decode()


@pytest.mark.django_db
def test_admin_login_page_answers(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200


@pytest.mark.django_db
def test_health_check_reports_ok(client):
    assert client.get("/healthz/").json() == {"status": "ok"}


def _manage(*args: str, settings: str, extra_env: dict[str, str] | None = None):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}
    }
    env["DJANGO_SETTINGS_MODULE"] = settings
    env.update(extra_env or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION_ENV = {
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "poc.example.org",
}


@pytest.mark.parametrize(
    ("settings_module", "extra_env"),
    [
        ("showcase.settings.dev", {}),
        ("showcase.settings.test", {}),
        ("showcase.settings.production", PRODUCTION_ENV),
    ],
)
def test_system_checks_are_clean(settings_module, extra_env):
    result = _manage(
        "check", "--fail-level", "WARNING", settings=settings_module, extra_env=extra_env
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_deployment_checks_are_clean_with_https_settings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        settings="showcase.settings.production",
        extra_env=PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without(missing):
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != missing}
    result = _manage("check", settings="showcase.settings.production", extra_env=env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_no_model_change_lacks_a_migration():
    result = _manage("makemigrations", "--check", "--dry-run", settings="showcase.settings.test")
    assert result.returncode == 0, result.stdout + result.stderr
