"""`make bench-import`: how long staff wait for 600 POCs and their photos to import.

    python -m tests.benchmarks.import_600 [--count 600]

Generates a spreadsheet of COUNT rows (makers, tags, communes, positions, a hero photo and
one gallery photo each) and a ZIP of 2 × COUNT small JPEGs, then times, as processes on a
fresh SQLite database without Elasticsearch: `import_catalogue --publish` (everything
created and published), the same file again (everything unchanged) and a dry run. Not a test:
figures depend on the machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import django
import tablib
from PIL import Image

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "showcase.settings.dev")
django.setup()

from poc_catalogue.transfer.columns import HEADERS  # noqa: E402 - Django is set up first

ROOT = Path(__file__).resolve().parents[2]
GOAL_SECONDS = 60
COMMUNES = ["Lille", "Roubaix", "Tourcoing", "59350", "Villeneuve-d'Ascq", "Marcq-en-Barœul"]
THEMES = [
    "mobilite",
    "Économie circulaire",
    "ville-collaborative",
    "Prendre soin",
    "Habiter",
    "Public action",
]
STAGES = ["understand", "imagine", "experiment", "deploy"]


def jpeg(random_source: random.Random) -> bytes:
    colour = tuple(random_source.randrange(256) for _ in range(3))
    image = Image.new("RGB", (320, 240), colour)
    for _ in range(20):  # some detail, so each photo is its own file (and hash)
        x, y = random_source.randrange(320), random_source.randrange(240)
        image.putpixel((x, y), (255 - colour[0], colour[1], 255 - colour[2]))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def generate(count: int, folder: Path) -> tuple[Path, Path]:
    random_source = random.Random(600)
    dataset = tablib.Dataset(headers=list(HEADERS))
    spreadsheet, archive_path = folder / "pocs.csv", folder / "photos.zip"
    with zipfile.ZipFile(archive_path, "w", zipfile.ZIP_STORED) as archive:
        for number in range(1, count + 1):
            hero, view = f"poc-{number:04d}.jpg", f"poc-{number:04d}-vue.jpg"
            archive.writestr(hero, jpeg(random_source))
            archive.writestr(view, jpeg(random_source))
            cells = {
                "reference": f"BENCH-{number:04d}",
                "title": f"Prototype de design n° {number}",
                "summary": f"Un POC généré pour mesurer l’import, numéro {number}.",
                "body": "Premier paragraphe.\n\nDeuxième paragraphe, plus long, avec é et à.",
                "themes": "; ".join(random_source.sample(THEMES, 2)),
                "makers": f"Atelier {number % 50} (holder); Studio {number % 30} (designer)",
                "commune": random_source.choice(COMMUNES),
                "address": f"{number} rue du Design",
                "latitude": f"{50.6 + random_source.random() / 10:.5f}",
                "longitude": f"{3.0 + random_source.random() / 10:.5f}",
                "tags": f"tag {number % 40}; tag {number % 7}",
                "stage": random_source.choice(STAGES),
                "year": str(2018 + number % 6),
                "hero_image": hero,
                "hero_alt": f"Photo du prototype {number}",
                "hero_credit": "Benchmark, 2020",
                "gallery": view,
                "gallery_alt": f"Vue du prototype {number}",
                "gallery_credit": "",
                "video_url": "",
            }
            dataset.append([cells[name] for name in HEADERS])
    spreadsheet.write_text(dataset.export("csv", delimiter=";"), encoding="utf-8-sig")
    return spreadsheet, archive_path


def timed(label: str, env: dict[str, str], *args: str) -> float:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    summary = result.stdout.strip().splitlines()[-1:] or result.stderr.strip().splitlines()[-1:]
    print(f"{label:<40} {elapsed:7.1f} s  exit {result.returncode}  {' '.join(summary)}")
    if result.returncode:
        print(result.stderr[-2000:], file=sys.stderr)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=600)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-import-") as folder:
        work = Path(folder)
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "ELASTICSEARCH_URL"}
        }
        env.update(
            DJANGO_SETTINGS_MODULE="showcase.settings.dev",
            DATABASE_URL=f"sqlite:///{work / 'bench.sqlite3'}",
            MEDIA_ROOT=str(work / "media"),
            DEBUG="false",
        )
        started = time.perf_counter()
        spreadsheet, photos = generate(options.count, work)
        print(
            f"Generated {options.count} rows and {2 * options.count} JPEGs "
            f"({photos.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s"
        )
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        files = (str(spreadsheet), "--images", str(photos))
        dry = timed(
            "import_catalogue --dry-run (empty site)", env, "import_catalogue", *files, "--dry-run"
        )
        first = timed("import_catalogue --publish", env, "import_catalogue", *files, "--publish")
        again = timed(
            "the same file again (all unchanged)", env, "import_catalogue", *files, "--publish"
        )
        verdict = "within" if first < GOAL_SECONDS else "OVER"
        print(
            f"{options.count} POCs imported and published in {first:.1f} s: {verdict} the "
            f"{GOAL_SECONDS} s goal (dry run {dry:.1f} s, unchanged re-import {again:.1f} s)"
        )


if __name__ == "__main__":
    main()
