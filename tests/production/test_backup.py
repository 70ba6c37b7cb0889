"""Nothing lost: a backup of the running stack, restored into a new one after the first is gone.

As an operator would: `scripts/backup.sh` while the site runs, the whole stack destroyed
(`production.sh stop` deletes every byte of it), a new stack started with the same environment
secrets (the operator keeps the env file, never in a backup), `scripts/restore.sh`, and the POC
is back through nginx, with its image, its revisions, the submission, and searchable.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

from tests.processes import ROOT
from tests.production.stack import ProductionStack

SECRETS = ("secret-key", "admin-password", "admin-totp.key")
TITLE = "Passerelle des Hauts-Champs, sauvegardée"

CREATE = f"""
import secrets
from django.utils import timezone
from poc_catalogue.models import POCPage
from poc_catalogue.submissions.models import Submission
from tests.factories import make_poc
poc = make_poc("Passerelle des Hauts-Champs")
poc.title = {TITLE!r}
poc.save_revision().publish()
draft = make_poc("Proposition sauvegardée", publish=False)
now = timezone.now()
Submission.objects.create(
    page=draft, title="Proposition sauvegardée", contact_name="Léa Martin",
    contact_email="lea@example.org", status_token_hash=secrets.token_hex(32),
    consented_to_publication_at=now, consented_to_processing_at=now,
)
print(poc.url, poc.hero_image.file.name)
"""

RESTORED = f"""
from poc_catalogue.models import POCPage
from poc_catalogue.submissions.models import Submission
poc = POCPage.objects.get(title={TITLE!r})
print(poc.revisions.count(), Submission.objects.filter(contact_email="lea@example.org").count())
"""


RENAME = """
from poc_catalogue.models import POCPage
poc = POCPage.objects.get(title={old!r})
poc.title = {new!r}
poc.save_revision().publish()
"""

# The worker polls every second and updates the index within Elasticsearch's refresh.
INDEXED_WITHIN_SECONDS = 30

COUNTS = """
from wagtail.images.models import Image
from wagtail.models import Revision
from poc_catalogue.models import POCPage
from poc_catalogue.submissions.models import Submission
print(POCPage.objects.count(), Revision.objects.count(), Image.objects.count(),
      Submission.objects.count())
"""


def fetch(stack: ProductionStack, path: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(stack.site_url + path, timeout=30) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def searchable(stack: ProductionStack, title: str) -> bool:
    query = urllib.parse.urlencode({"q": title})
    deadline = time.monotonic() + INDEXED_WITHIN_SECONDS
    while time.monotonic() < deadline:
        results = json.loads(fetch(stack, f"/api/catalogue/search/?{query}")[1])["results"]
        if results and results[0]["title"] == title:
            return True
        time.sleep(0.5)
    return False


def last_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1]


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)


def back_up(stack: ProductionStack, output: Path) -> Path:
    """`scripts/backup.sh` as cron runs it; the directory of the backup it wrote."""
    result = run(
        str(ROOT / "scripts" / "backup.sh"),
        "--env-file",
        str(stack.directory / "showcase.env"),
        "--output",
        str(output),
    )
    return Path(last_line(result).removeprefix("BACKUP="))


def restore(stack: ProductionStack, backup_dir: Path) -> subprocess.CompletedProcess:
    return run(
        str(ROOT / "scripts" / "restore.sh"),
        "--env-file",
        str(stack.directory / "showcase.env"),
        str(backup_dir),
    )


def media_listing(stack: ProductionStack) -> dict[str, int]:
    root = Path(stack.env["MEDIA_ROOT"])
    return {str(path.relative_to(root)): path.stat().st_size for path in root.rglob("*")}


def test_a_backup_restored_into_a_new_stack_brings_everything_back(
    production_stack: ProductionStack, tmp_path: Path
):
    stack = production_stack
    url, image_name = last_line(stack.manage("shell", "-c", CREATE)).split()
    path = urllib.parse.urlsplit(url).path
    image = Path(stack.env["MEDIA_ROOT"]) / image_name
    image_digest = hashlib.sha256(image.read_bytes()).hexdigest()

    backup_dir = back_up(stack, tmp_path / "backups")
    assert backup_dir.name.startswith("poc-showcase-")
    assert sorted(path.name for path in backup_dir.iterdir()) == [
        "SHA256SUMS",
        "database.dump",
        "manifest.json",
        "media.tar",
    ]
    manifest = json.loads((backup_dir / "manifest.json").read_text())
    assert manifest["counts"]["submissions"] >= 1
    assert manifest["migrations"]["poc_catalogue"]["applied"] >= 1
    assert {"name": "./" + image_name, "size": image.stat().st_size} in manifest["files"]
    secret_key = (stack.directory / "secret-key").read_text().strip()
    assert not any(
        secret_key in path.read_bytes().decode("latin-1") for path in backup_dir.iterdir()
    )

    # The operator keeps the environment's secrets elsewhere; everything else is destroyed.
    kept = tmp_path / "secrets"
    kept.mkdir()
    for name in SECRETS:
        shutil.copy2(stack.directory / name, kept / name)
    assert stack.stop().returncode == 0
    assert not stack.directory.exists()
    stack.directory.mkdir(mode=0o700)
    for name in SECRETS:
        shutil.copy2(kept / name, stack.directory / name)
    stack.start()
    assert fetch(stack, path)[0] == 404

    restored = restore(stack, backup_dir)
    assert restored.returncode == 0, restored.stderr[-3000:]

    status, page = fetch(stack, path)
    assert status == 200 and TITLE.encode() in page
    status, restored_image = fetch(stack, "/media/" + image_name)
    assert status == 200 and hashlib.sha256(restored_image).hexdigest() == image_digest
    query = urllib.parse.urlencode({"q": TITLE})
    found = json.loads(fetch(stack, f"/api/catalogue/search/?{query}")[1])
    assert found["backend"] == "elasticsearch"
    assert found["results"][0]["title"] == TITLE
    revisions, submissions = last_line(stack.manage("shell", "-c", RESTORED)).split()
    assert int(revisions) >= 2 and int(submissions) == 1

    # The restore replaced the tables under the running worker (nobody stopped it); it is
    # back at work: what staff publish next reaches the search.
    renamed = TITLE + ", restaurée"
    published = stack.manage("shell", "-c", RENAME.format(old=TITLE, new=renamed))
    assert published.returncode == 0, published.stderr[-3000:]
    assert searchable(stack, renamed), (stack.directory / "logs" / "worker.log").read_text()[-3000:]


def test_a_damaged_backup_is_refused_and_changes_nothing(
    production_stack: ProductionStack, tmp_path: Path
):
    stack = production_stack
    backup_dir = back_up(stack, tmp_path)
    dump = backup_dir / "database.dump"
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    # A revision the backup has not: a restore, even half of one, would take it away.
    made = stack.manage(
        "shell",
        "-c",
        "from poc_catalogue.models import POCPage; POCPage.objects.first().save_revision()",
    )
    assert made.returncode == 0, made.stderr
    counts, media = last_line(stack.manage("shell", "-c", COUNTS)), media_listing(stack)
    searched = json.loads(fetch(stack, "/api/catalogue/search/")[1])["total"]

    refused = restore(stack, backup_dir)
    assert refused.returncode != 0
    assert "damaged" in refused.stderr and "nothing was changed" in refused.stderr
    assert "database.dump: FAILED" in refused.stderr
    assert last_line(stack.manage("shell", "-c", COUNTS)) == counts
    assert media_listing(stack) == media
    assert json.loads(fetch(stack, "/api/catalogue/search/")[1])["total"] == searched


def test_an_incomplete_backup_is_refused(production_stack: ProductionStack, tmp_path: Path):
    """A backup interrupted by a full disk, or copied back without one of its files."""
    backup_dir = back_up(production_stack, tmp_path)
    (backup_dir / "media.tar").unlink()

    refused = restore(production_stack, backup_dir)
    assert refused.returncode != 0
    assert "incomplete" in refused.stderr and "media.tar" in refused.stderr


def test_a_backup_of_an_older_release_is_restored_then_migrated(
    production_stack: ProductionStack, tmp_path: Path
):
    """A backup without the tables a later release added, restored into a database that has them.

    As after an upgrade that brought the backup codes of two-factor authentication: the fresh
    stack's database has their tables, the backup has not, and `migrate` must create them again.
    """
    stack = production_stack
    assert stack.manage("migrate", "otp_static", "zero").returncode == 0
    backup_dir = back_up(stack, tmp_path)
    manifest = json.loads((backup_dir / "manifest.json").read_text())
    assert "otp_static" not in manifest["migrations"]
    assert stack.manage("migrate").returncode == 0

    restored = restore(stack, backup_dir)
    assert restored.returncode == 0, restored.stderr[-3000:]
    shown = stack.manage("showmigrations", "otp_static")
    assert "[X] 0001_initial" in shown.stdout and "[ ]" not in shown.stdout
    assert fetch(stack, "/")[0] == 200
