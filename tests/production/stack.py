"""The production rehearsal (scripts/production.sh) as the tests drive it.

One stack per test session, in a private state directory: nginx on a loopback port in front of
gunicorn and the task worker, PostgreSQL, and a three-node Elasticsearch cluster. Its values are
read from the state files each time, since a test may destroy and re-create the stack (the
backup round trip) on new ports.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.processes import ROOT

PRODUCTION_SCRIPT = ROOT / "scripts" / "production.sh"
# Enough POCs for every facet to have values, few enough to load in seconds.
TEST_DEMO_COUNT = "48"
# What the test run exports for its own database and index must not reach the stack.
NOT_INHERITED = {
    "DATABASE_URL",
    "ELASTICSEARCH_URL",
    "ELASTICSEARCH_INDEX_PREFIX",
    "MEDIA_ROOT",
    "DJANGO_SETTINGS_MODULE",
    "SHOWCASE_STATE_DIR",
    "DEBUG",
}


def read_env_file(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        values[key] = " ".join(shlex.split(value)) if value else ""
    return values


@dataclass
class ProductionStack:
    directory: Path

    def environment(self, **overrides: str) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
        env.update(
            SHOWCASE_PRODUCTION_DIR=str(self.directory),
            PRODUCTION_DEMO_COUNT=TEST_DEMO_COUNT,
        )
        env.update(overrides)
        return env

    def script(self, *args: str, timeout: float = 900, **env: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(PRODUCTION_SCRIPT), *args],
            env=self.environment(**env),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def start(self) -> subprocess.CompletedProcess:
        result = self.script("start")
        assert result.returncode == 0, result.stderr[-4000:]
        return result

    def stop(self) -> subprocess.CompletedProcess:
        return self.script("stop")

    @property
    def env(self) -> dict[str, str]:
        """The app's environment file, as the operator's /etc/poc-showcase/showcase.env."""
        return read_env_file(self.directory / "showcase.env")

    @property
    def state(self) -> dict[str, str]:
        return read_env_file(self.directory / "production.state")

    @property
    def site_url(self) -> str:
        return f"http://127.0.0.1:{self.state['SITE_PORT']}"

    @property
    def port(self) -> int:
        return int(self.state["SITE_PORT"])

    @property
    def admin_password(self) -> str:
        return (self.directory / "admin-password").read_text().strip()

    def manage(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
        """`deploy/bin/manage ARGS`, as cron and operators run it on the stack."""
        return subprocess.run(
            [str(ROOT / "deploy" / "bin" / "manage"), *args],
            env={
                "PATH": "/usr/bin:/bin",
                "SHOWCASE_ENV_FILE": str(self.directory / "showcase.env"),
            },
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def two_factor_code(self) -> str:
        result = self.script("code")
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    @property
    def mail_directory(self) -> Path:
        return self.directory / "mail"
