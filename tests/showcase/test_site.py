import pytest

from tests.processes import manage


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


@pytest.mark.parametrize(
    ("settings_module", "extra_env"),
    [
        ("showcase.settings.dev", {}),
        ("showcase.settings.test", {}),
        ("showcase.settings.production", {}),
    ],
)
def test_system_checks_are_clean(settings_module, extra_env):
    result = manage(
        "check", "--fail-level", "WARNING", DJANGO_SETTINGS_MODULE=settings_module, **extra_env
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_deployment_checks_are_clean_with_https_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "ALLOWED_HOSTS", "WAGTAILADMIN_BASE_URL", "TRUSTED_PROXY_COUNT"]
)
def test_production_refuses_to_start_without(missing):
    result = manage("check", **{missing: ""})
    assert result.returncode != 0
    assert f"The {missing} environment variable is required in production" in result.stderr


def test_no_model_change_lacks_a_migration():
    result = manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr
