"""`make load` and `make drill` as operators run them, briefly, against the production stack."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.processes import ROOT
from tests.production.stack import ProductionStack


def run(script: str, stack: ProductionStack, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / script),
            "--production-dir",
            str(stack.directory),
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def test_the_load_test_reports_every_route_without_errors(production_stack, tmp_path):
    report = tmp_path / "load.md"
    result = run(
        "load.py",
        production_stack,
        "--duration",
        "8",
        "--connections",
        "8",
        "--report",
        str(report),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for route in ("catalogue page", "POC page", "search API", "autocomplete", "**all**"):
        assert f"| {route} |" in result.stdout
    assert ", 0 error(s)" in result.stdout
    assert re.search(r"Warm-up done in [\d.]+ s, 0 failed", result.stdout)
    assert "| p95 (ms) |" in report.read_text()


def test_the_drill_keeps_every_promise(production_stack):
    result = run(
        "drill.py",
        production_stack,
        "--connections",
        "4",
        "--node-down",
        "8",
        "--cluster-down",
        "5",
        "--publishes",
        "20",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "20 of 20 publishes in the admin succeeded" in result.stdout
    assert "catalogue_index check exits 0 after one reconcile" in result.stdout
    assert "Every promise kept." in result.stdout
