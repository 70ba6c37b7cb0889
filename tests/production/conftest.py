"""The production stack for the `production` tests: started once per session, stopped after."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import service_missing

from .stack import ProductionStack

REQUIRED_PROGRAMS = ("nginx", "curl", "java")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/production/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.production)


@pytest.fixture(scope="session")
def production_stack(tmp_path_factory) -> Iterator[ProductionStack]:
    missing = [program for program in REQUIRED_PROGRAMS if shutil.which(program) is None]
    if missing:
        service_missing(f"the production stack needs {', '.join(missing)} (make os-packages)")
    if reused := os.environ.get("SHOWCASE_PRODUCTION_TEST_DIR"):
        # While writing tests: a stack already started by `scripts/production.sh start`.
        yield ProductionStack(Path(reused))
        return
    stack = ProductionStack(tmp_path_factory.mktemp("production"))
    try:
        stack.start()
        yield stack
    finally:
        result = stack.stop()
        assert result.returncode == 0, result.stderr
