"""In production, static files are collected with content hashes and precompressed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.processes import ROOT, manage


def test_collectstatic_hashes_and_compresses_the_site_assets(tmp_path: Path):
    if not (ROOT / "static" / "vendor" / "leaflet" / "leaflet.js").exists():
        pytest.fail("static/vendor/ is missing: run `make vendor`.")
    result = manage("collectstatic", "--noinput", "-v0", STATIC_ROOT=str(tmp_path))
    assert result.returncode == 0, result.stderr
    [stylesheet] = [
        path for path in (tmp_path / "css").glob("showcase.*.css") if path.name.count(".") == 2
    ]
    assert stylesheet.with_name(stylesheet.name + ".gz").exists()
    fonts = re.findall(r'url\("\.\./vendor/fonts/([^"]+)"\)', stylesheet.read_text())
    assert fonts and all(re.search(r"\.[0-9a-f]{12}\.woff2$", font) for font in fonts)
    assert list((tmp_path / "js").glob("catalogue.*.js"))
