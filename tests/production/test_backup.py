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


def fetch(stack: ProductionStack, path: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(stack.site_url + path, timeout=30) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def last_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1]


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)


def test_a_backup_restored_into_a_new_stack_brings_everything_back(
    production_stack: ProductionStack, tmp_path: Path
):
    stack = production_stack
    url, image_name = last_line(stack.manage("shell", "-c", CREATE)).split()
    path = urllib.parse.urlsplit(url).path
    image = Path(stack.env["MEDIA_ROOT"]) / image_name
    image_digest = hashlib.sha256(image.read_bytes()).hexdigest()

    backup = run(
        str(ROOT / "scripts" / "backup.sh"),
        "--env-file",
        str(stack.directory / "showcase.env"),
        "--output",
        str(tmp_path / "backups"),
    )
    backup_dir = Path(last_line(backup).removeprefix("BACKUP="))
    manifest = json.loads((backup_dir / "manifest.json").read_text())
    assert manifest["counts"]["submissions"] >= 1
    assert not any("SECRET" in line for line in (backup_dir / "manifest.json").read_text().split())

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

    restore = run(
        str(ROOT / "scripts" / "restore.sh"),
        "--env-file",
        str(stack.directory / "showcase.env"),
        str(backup_dir),
    )
    assert restore.returncode == 0, restore.stderr[-3000:]

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


def test_a_damaged_backup_is_refused_and_changes_nothing(
    production_stack: ProductionStack, tmp_path: Path
):
    stack = production_stack
    backup = run(
        str(ROOT / "scripts" / "backup.sh"),
        "--env-file",
        str(stack.directory / "showcase.env"),
        "--output",
        str(tmp_path),
    )
    backup_dir = Path(last_line(backup).removeprefix("BACKUP="))
    dump = backup_dir / "database.dump"
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    before = fetch(stack, "/api/catalogue/search/")[1]

    refused = run(
        str(ROOT / "scripts" / "restore.sh"),
        "--env-file",
        str(stack.directory / "showcase.env"),
        str(backup_dir),
    )
    assert refused.returncode != 0
    assert "damaged" in refused.stderr and "nothing was changed" in refused.stderr
    assert (
        json.loads(fetch(stack, "/api/catalogue/search/")[1])["total"]
        == json.loads(before)["total"]
    )
