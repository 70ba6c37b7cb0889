"""In production, static files are collected with content hashes and precompressed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_collectstatic_hashes_and_compresses_the_site_assets(tmp_path: Path):
    if not (ROOT / "static" / "vendor" / "leaflet" / "leaflet.js").exists():
        pytest.fail("static/vendor/ is missing: run `make vendor`.")
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}},
        "DJANGO_SETTINGS_MODULE": "showcase.settings.production",
        "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
        "ALLOWED_HOSTS": "poc.example.org",
        "STATIC_ROOT": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    [stylesheet] = [
        path for path in (tmp_path / "css").glob("showcase.*.css") if path.name.count(".") == 2
    ]
    assert stylesheet.with_name(stylesheet.name + ".gz").exists()
    fonts = re.findall(r'url\("\.\./vendor/fonts/([^"]+)"\)', stylesheet.read_text())
    assert fonts and all(re.search(r"\.[0-9a-f]{12}\.woff2$", font) for font in fonts)
    assert list((tmp_path / "js").glob("catalogue.*.js"))
