"""The files an operator deploys (deploy/) agree with the code that reads them."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

from tests.processes import ROOT

DEPLOY = ROOT / "deploy"
SETTINGS = ROOT / "showcase" / "settings"


def variables_read_by_the_settings() -> set[str]:
    names = set()
    for module in SETTINGS.glob("*.py"):
        names |= set(re.findall(r'env_\w+\(\s*"([A-Z0-9_]+)"', module.read_text()))
    return names


def variables_read_by_gunicorn() -> set[str]:
    configuration = (DEPLOY / "gunicorn.conf.py").read_text()
    return set(re.findall(r'environ\.get\("([A-Z0-9_]+)"', configuration))


def example_variables() -> set[str]:
    text = (DEPLOY / "showcase.env.example").read_text()
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", text, flags=re.MULTILINE))


def test_the_example_environment_file_lists_every_variable():
    production_only = variables_read_by_the_settings() | variables_read_by_gunicorn()
    missing = production_only - example_variables() - {"DJANGO_SETTINGS_MODULE"}
    assert not missing, f"add to deploy/showcase.env.example: {sorted(missing)}"


def test_the_readme_documents_every_variable():
    readme = (ROOT / "README.md").read_text()
    undocumented = {name for name in variables_read_by_the_settings() if f"`{name}`" not in readme}
    assert not undocumented, f"add to the README's configuration table: {sorted(undocumented)}"


def test_gunicorn_sizes_its_workers_to_the_cores(monkeypatch):
    for name in variables_read_by_gunicorn():
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("multiprocessing.cpu_count", lambda: 2)
    config = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert config["workers"] == 5
    assert config["bind"] == "127.0.0.1:8000"
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    assert runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))["workers"] == 3


def test_the_systemd_units_run_what_the_rehearsal_runs():
    web = (DEPLOY / "systemd" / "poc-showcase-web.service").read_text()
    worker = (DEPLOY / "systemd" / "poc-showcase-worker.service").read_text()
    rehearsal = (ROOT / "scripts" / "production.sh").read_text()
    assert "gunicorn -c deploy/gunicorn.conf.py showcase.wsgi" in web
    assert "-c deploy/gunicorn.conf.py --daemon showcase.wsgi" in rehearsal
    assert "manage.py db_worker" in worker and "db_worker --no-startup-delay" in rehearsal
    for unit in (web, worker):
        assert "EnvironmentFile=/etc/poc-showcase/showcase.env" in unit


def test_the_nginx_site_has_no_placeholder_left_once_rendered(tmp_path: Path):
    site = (DEPLOY / "nginx" / "poc-showcase.conf").read_text()
    placeholders = set(re.findall(r"@([A-Z_]+)@", site))
    rehearsal = (ROOT / "scripts" / "production.sh").read_text()
    for placeholder in placeholders:
        assert f"s|@{placeholder}@|" in rehearsal, f"production.sh does not fill @{placeholder}@"
