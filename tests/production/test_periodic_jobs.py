"""The periodic jobs of deploy/crontab, run the way cron runs them, on the production stack.

Cron gives a job almost no environment: the crontab's own variables, PATH=/usr/bin:/bin, /bin/sh,
and the home directory as the working directory. Each job line is run exactly so, with the
crontab's paths pointed at this checkout and the stack's environment file.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.processes import ROOT
from tests.production.stack import ProductionStack

CRONTAB = ROOT / "deploy" / "crontab"
SCHEDULE = r"(\S+\s+){5}"


def crontab() -> tuple[dict[str, str], list[str]]:
    """The crontab's variables and its jobs' commands (system crontab: the user field dropped)."""
    variables, commands = {}, []
    for line in CRONTAB.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        fields = line.split(None, 6)
        if "=" in fields[0] and len(fields) == 1:
            name, _, value = line.partition("=")
            variables[name] = value
        else:
            assert len(fields) == 7, f"not a system crontab line: {line}"
            commands.append(fields[6])
    return variables, commands


VARIABLES, COMMANDS = crontab()


def test_the_crontab_runs_every_job_the_readme_names():
    jobs = " ".join(COMMANDS)
    for job in (
        "catalogue_index reconcile",
        "purge_submission_contacts",
        "purge_search_statistics",
        "publish_scheduled",
        "clearsessions",
        "prune_db_task_results",
        "scripts/backup.sh",
    ):
        assert job in jobs


@pytest.mark.parametrize("command", COMMANDS, ids=[c.split("/")[-1][:50] for c in COMMANDS])
def test_each_job_succeeds_as_cron_runs_it(production_stack: ProductionStack, command, tmp_path):
    environment = {
        **VARIABLES,
        "SHOWCASE_HOME": str(ROOT),
        "SHOWCASE_ENV_FILE": str(production_stack.directory / "showcase.env"),
        "SHOWCASE_BACKUP_DIR": str(tmp_path / "backups"),
        "HOME": str(tmp_path),
        "LOGNAME": "showcase",
    }
    result = subprocess.run(
        ["/bin/sh", "-c", command],
        env=environment,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"


def test_the_manage_wrapper_says_what_is_missing_when_the_environment_file_is(tmp_path: Path):
    result = subprocess.run(
        [str(ROOT / "deploy" / "bin" / "manage"), "check"],
        env={"PATH": "/usr/bin:/bin", "SHOWCASE_ENV_FILE": str(tmp_path / "absent.env")},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 78
    assert "absent.env" in result.stderr
