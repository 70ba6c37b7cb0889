"""An import started from the admin: its files and its state in a private folder, its real run
on the task worker.

A dry run answers within the request (it writes nothing and takes seconds); the real import of
hundreds of rows and photos does not, so it runs as a task and reports its progress in the
job's `state.json`, which the admin's page reads again every few seconds. A file rather than a
cache entry: the web server and the worker are separate processes sharing nothing else but the
database, and a job needs no table of its own. The folder is outside MEDIA_ROOT, served by
nobody, and deleted after `CATALOGUE_IMPORT_RETENTION_DAYS`.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from dataclasses import asdict
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django_tasks import task

from .archive import ImageArchive
from .importer import ImportReport, RowResult, apply_import, plan_import

SPREADSHEET = "spreadsheet"
IMAGES = "images.zip"
STATE = "state.json"
# How often (in rows) a running import writes its progress for the admin's page.
PROGRESS_EVERY = 10


class ImportJob:
    def __init__(self, job_id: str) -> None:
        if not _is_job_id(job_id):
            raise LookupError(job_id)
        self.id = job_id
        self.folder = imports_dir() / job_id

    @classmethod
    def create(cls, spreadsheet: bytes, name: str, images: bytes | None, user_id: int) -> ImportJob:
        forget_old_jobs()
        job = cls(uuid.uuid4().hex)
        job.folder.mkdir(parents=True)
        (job.folder / SPREADSHEET).write_bytes(spreadsheet)
        if images is not None:
            (job.folder / IMAGES).write_bytes(images)
        job.write(status="new", file_name=Path(name).name, user_id=user_id, done=0, total=0)
        return job

    def exists(self) -> bool:
        return (self.folder / STATE).is_file()

    @property
    def state(self) -> dict[str, Any]:
        return json.loads((self.folder / STATE).read_text(encoding="utf-8"))

    def write(self, **changes: Any) -> None:
        state = self.state if self.exists() else {}
        state.update(changes)
        temporary = self.folder / f"{STATE}.{os.getpid()}"
        temporary.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, self.folder / STATE)  # readers never see half a file

    def plan(self, publish: bool = False, progress=None) -> ImportReport:
        images = self.folder / IMAGES
        return plan_import(
            (self.folder / SPREADSHEET).read_bytes(),
            name=self.state["file_name"],
            images=ImageArchive(str(images) if images.exists() else None),
            publish=publish,
            progress=progress,
        )

    def record(self, report: ImportReport, status: str) -> None:
        self.write(
            status=status,
            publish=report.publish,
            summary=report.summary(),
            counts=report.counts,
            rows=[_row_record(row) for row in report.rows],
        )


def _row_record(row: RowResult) -> dict[str, Any]:
    return {
        "number": row.number,
        "reference": row.reference,
        "title": row.title,
        "action": row.action,
        "action_label": row.action_label,
        "page_id": row.page_id,
        "problems": [asdict(problem) for problem in row.problems],
    }


def _is_job_id(text: str) -> bool:
    return len(text) == 32 and all(char in "0123456789abcdef" for char in text)


def imports_dir() -> Path:
    return Path(settings.CATALOGUE_IMPORTS_DIR)


def forget_old_jobs() -> None:
    limit = time.time() - settings.CATALOGUE_IMPORT_RETENTION_DAYS * 86400
    if not imports_dir().is_dir():
        return
    for folder in imports_dir().iterdir():
        if folder.is_dir() and _is_job_id(folder.name) and folder.stat().st_mtime < limit:
            shutil.rmtree(folder, ignore_errors=True)


@task()
def run_import(job_id: str, publish: bool) -> dict[str, int]:
    """Plan again (the catalogue may have changed since the dry run), then import."""
    job = ImportJob(job_id)
    user = get_user_model().objects.filter(pk=job.state.get("user_id")).first()
    job.write(status="running", done=0, total=0)

    def progress(done: int, total: int) -> None:
        if done == total or done % PROGRESS_EVERY == 0:
            job.write(done=done, total=total)

    try:
        report = job.plan(publish=publish)
        report = apply_import(report, user=user, progress=progress)
    except Exception:
        job.write(status="failed")
        raise
    job.record(report, "done")
    return report.counts
