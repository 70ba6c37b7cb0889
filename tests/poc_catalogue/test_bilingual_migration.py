"""Upgrading a French-only site to the bilingual version loses nothing.

On a copy of the demo catalogue, as an operator upgrades: the database is taken back to the
schema of the version before (no English locale, no wagtail-localize tables, no English
search text), then `manage.py migrate` brings it forward. Every page, revision, maker, image
and featured POC is as it was, the French addresses still answer, the English ones serve the
French pages, and the database search finds what it found.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.processes import manage

# The last migrations of the French-only version (before issue 15).
BEFORE = [("poc_catalogue", "0006"), ("search", "0004"), ("wagtail_localize", "zero")]

SNAPSHOT = """
import hashlib, json
from wagtail.images import get_image_model
from wagtail.models import Page, Revision
from poc_catalogue.models import HomePage, Maker, POCPage

def digest(rows):
    return hashlib.sha256(json.dumps(rows, default=str, sort_keys=True).encode()).hexdigest()

# Only the fields the old schema has: columns added later (the import reference) are not there.
pocs = POCPage.objects.order_by("pk").only("summary", "body", "hero_alt_text", "stage", "year")
print(json.dumps({
    "pages": digest(list(Page.objects.order_by("pk").values_list(
        "pk", "path", "title", "slug", "url_path", "live", "first_published_at"))),
    "pocs": digest([[p.pk, p.summary, p.body.raw_data, p.hero_alt_text, p.stage, p.year,
                     sorted(p.themes.values_list("slug", flat=True))] for p in pocs]),
    "revisions": Revision.objects.count(),
    "makers": digest(list(Maker.objects.order_by("pk").values_list("pk", "name", "bio"))),
    "images": get_image_model().objects.count(),
    "featured": list(HomePage.objects.order_by("pk").first().featured_pocs.values_list(
        "poc_id", flat=True)),
}))
"""


def run(database: str, media: Path, *args: str):
    result = manage(
        *args,
        DATABASE_URL=database,
        ELASTICSEARCH_URL="",
        MEDIA_ROOT=str(media),
        DJANGO_SETTINGS_MODULE="showcase.settings.dev",
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def snapshot(database: str, media: Path) -> dict:
    output = run(database, media, "shell", "-c", SNAPSHOT).stdout
    return json.loads(output.strip().splitlines()[-1])


def test_a_french_only_catalogue_migrates_without_loss(tmp_path):
    database, media = f"sqlite:///{tmp_path / 'site.sqlite3'}", tmp_path / "media"
    run(database, media, "migrate", "--no-input")
    run(database, media, "load_demo_catalogue", "--count", "24")
    # The French-only site this version upgrades: no English page, no English text.
    run(
        database,
        media,
        "shell",
        "-c",
        "from wagtail.models import Page; from poc_catalogue.models import Maker;"
        "[p.delete() for p in Page.objects.filter(locale__language_code='en', depth=2)];"
        "Maker.objects.update(bio_en='')",
    )
    for app, migration in BEFORE:
        run(database, media, "migrate", app, migration, "--no-input")
    before = snapshot(database, media)  # data only: this version's views need its schema

    upgraded = run(database, media, "migrate", "--no-input")
    assert "poc_catalogue.0007_english_locale... OK" in upgraded.stdout

    after = snapshot(database, media)
    assert after == before
    english = run(
        database,
        media,
        "shell",
        "-c",
        "from django.test import Client; from wagtail.models import Locale;"
        "from poc_catalogue.models import POCPage; poc = POCPage.objects.first();"
        "client = Client();"
        "french = client.get(poc.url);"
        "english = client.get('/en' + poc.url).content.decode().replace('&#x27;', \"'\");"
        "found = client.get('/catalogue/', {'q': poc.title.split()[0]}).content;"
        "print(sorted(Locale.objects.values_list('language_code', flat=True)),"
        " french.status_code, f'<h1 lang=\"fr\">{poc.title}' in english,"
        " poc.url.encode() in found)",
    )
    assert english.stdout.strip().splitlines()[-1] == "['en', 'fr'] 200 True True"
