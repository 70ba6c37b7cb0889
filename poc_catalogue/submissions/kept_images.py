"""Images kept across a refused submission, so a maker never chooses them twice.

Threat model: what is kept must not open a way around `uploads.py`, nor leak one maker's
images to another. So only images that `clean_uploaded_image` accepted are kept, as their
re-encoded pixels (never the upload), in a private directory outside `MEDIA_ROOT` that no URL
serves (`SUBMISSION_KEPT_IMAGES_DIR`), under random names. The re-rendered form carries an
opaque token signed with `SECRET_KEY` that names the file and the client session it belongs
to, valid `KEPT_FOR`: a forged, expired or foreign token gives nothing back, neither the
image nor its thumbnail (the only part any URL serves). Files older than that are deleted by
`purge_submission_contacts`.
"""

from __future__ import annotations

import io
import re
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core import signing
from PIL import Image

from .uploads import ACCEPTED_FORMATS, CleanImage

KEPT_FOR = timedelta(days=1)
OWNER_SESSION_KEY = "submissions:kept_images_owner"
SALT = "poc_catalogue.submissions.kept_images"
FILE_NAME = re.compile(r"^[0-9a-f]{32}\.(jpg|png|webp)$")
FORMAT_OF_EXTENSION = {extension: name for name, extension in ACCEPTED_FORMATS.items()}
MAX_SHOWN_NAME = 80
MAX_TOKEN_LENGTH = 1000
THUMBNAIL_EDGE = 240


@dataclass(frozen=True)
class KeptImage:
    """An image of an earlier attempt: its pixels, and the name the maker's file had."""

    token: str
    image: CleanImage
    original_name: str


def kept_images_dir() -> Path:
    return Path(settings.SUBMISSION_KEPT_IMAGES_DIR)


class KeptImages:
    """The images kept for one client session."""

    def __init__(self, session: SessionBase) -> None:
        self.session = session

    def keep(self, image: CleanImage, original_name: str) -> KeptImage:
        owner = self.session.get(OWNER_SESSION_KEY)
        if owner is None:
            owner = self.session[OWNER_SESSION_KEY] = secrets.token_urlsafe(24)
        name = f"{secrets.token_hex(16)}.{image.extension}"
        directory = kept_images_dir()
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        (directory / name).write_bytes(image.content)
        (directory / thumbnail_name(name)).write_bytes(_thumbnail(image))
        shown = Path(original_name or "").name[:MAX_SHOWN_NAME]
        token = signing.dumps({"file": name, "owner": owner, "name": shown}, salt=SALT)
        return KeptImage(token=token, image=image, original_name=shown)

    def take(self, token: str) -> KeptImage | None:
        """The image the token names, if it is this session's and still kept; else None."""
        payload = self._payload(token)
        if payload is None:
            return None
        name = payload["file"]
        try:
            content = (kept_images_dir() / name).read_bytes()
            with Image.open(io.BytesIO(content)) as stored:
                width, height = stored.size
        except OSError:
            return None
        image = CleanImage(
            content=content,
            format=FORMAT_OF_EXTENSION[name.rsplit(".", 1)[1]],
            width=width,
            height=height,
        )
        return KeptImage(token=token, image=image, original_name=str(payload.get("name", "")))

    def thumbnail(self, token: str) -> bytes | None:
        """The small JPEG the form shows of a kept image, on the same conditions as `take`."""
        payload = self._payload(token)
        if payload is None:
            return None
        try:
            return (kept_images_dir() / thumbnail_name(payload["file"])).read_bytes()
        except OSError:
            return None

    def forget(self, kept: KeptImage) -> None:
        """Delete the files once the proposal holds the image."""
        name = signing.loads(kept.token, salt=SALT)["file"]
        (kept_images_dir() / name).unlink(missing_ok=True)
        (kept_images_dir() / thumbnail_name(name)).unlink(missing_ok=True)

    def _payload(self, token: str) -> dict | None:
        if len(token) > MAX_TOKEN_LENGTH:
            return None
        try:
            payload = signing.loads(token, salt=SALT, max_age=KEPT_FOR)
        except signing.BadSignature:  # forged, altered or expired
            return None
        owner = self.session.get(OWNER_SESSION_KEY)
        if not isinstance(payload, dict) or owner is None or payload.get("owner") != owner:
            return None
        if not FILE_NAME.match(str(payload.get("file", ""))):
            return None
        return payload


def thumbnail_name(name: str) -> str:
    return f"{name.rsplit('.', 1)[0]}.thumbnail.jpg"


def _thumbnail(image: CleanImage) -> bytes:
    """Made once, when the image is kept: showing it never decodes the full image again."""
    with Image.open(io.BytesIO(image.content)) as opened:
        small = opened.convert("RGB")
    small.thumbnail((THUMBNAIL_EDGE, THUMBNAIL_EDGE))
    buffer = io.BytesIO()
    small.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def delete_expired_kept_images(now: float | None = None) -> int:
    """Delete the kept files older than `KEPT_FOR`; their tokens have expired too."""
    directory = kept_images_dir()
    if not directory.is_dir():
        return 0
    cutoff = (time.time() if now is None else now) - KEPT_FOR.total_seconds()
    deleted = 0
    for path in directory.iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted
