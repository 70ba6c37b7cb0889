"""Running the product's commands as processes, the way an operator or cron runs them.

`call_command` skips Django's system checks and everything `BaseCommand.execute` does around
`handle`; a command documented in the README is tested here instead, as a process, with its
exit status. Such a test must commit its data for the process to see it: mark it
`@pytest.mark.django_db(transaction=True, serialized_rollback=True)`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]

# What an operator must set to run the production settings (showcase/settings/production.py).
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "showcase.settings.production",
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "poc.example.org,testserver,127.0.0.1",
    "WAGTAILADMIN_BASE_URL": "https://poc.example.org",
    "TRUSTED_PROXY_COUNT": "0",
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
}
# Variables of this test process that must not leak into the command's environment.
NOT_INHERITED = {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "SECRET_KEY", "ALLOWED_HOSTS"}


def database_url_of_this_run() -> str:
    """The URL of the database this test run uses (the test database, not DATABASE_URL's)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = f"{quote(db['USER'], safe='')}:{quote(db['PASSWORD'], safe='')}@"
    return f"postgres://{credentials}{db['HOST']}:{db['PORT']}/{db['NAME']}"


def command_env(**overrides: str) -> dict[str, str]:
    """The environment of a production command on this test run's database and index."""
    env = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
    env.update(PRODUCTION_ENV)
    env.update(
        DATABASE_URL=database_url_of_this_run(),
        ELASTICSEARCH_URL=settings.ELASTICSEARCH_URL,
        ELASTICSEARCH_INDEX_PREFIX=settings.ELASTICSEARCH_INDEX_PREFIX,
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
    )
    env.update(overrides)
    return env


def manage(*args: str, timeout: float = 300, **env: str) -> subprocess.CompletedProcess[str]:
    """`python manage.py ARGS` as a process; check `returncode`, `stdout` and `stderr`."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=command_env(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def run_worker(**env: str) -> subprocess.CompletedProcess[str]:
    """`manage.py db_worker --batch`: run every task that is due, then exit."""
    return manage("db_worker", "--batch", "--no-startup-delay", "--no-reload", **env)
