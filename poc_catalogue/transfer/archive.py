"""The ZIP of images sent with a spreadsheet: each image found by its file name.

Staff's own photos, from a trusted account, but a ZIP still deserves care: entries are read by
their base name only (no path is ever written from it), each is capped in size before being
read, and each must open and verify with Pillow as one of the formats Wagtail serves.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000


class UnreadableArchive(ValueError):
    """The ZIP as a whole cannot be read: its message is for staff."""


@dataclass(frozen=True)
class ArchiveImage:
    name: str
    content: bytes
    sha1: str  # as Wagtail's `Image.file_hash`: how an image already imported is recognised


class ImageArchive:
    def __init__(self, source: bytes | str | None) -> None:
        self._entries: dict[str, zipfile.ZipInfo] = {}
        self._checked: dict[str, ArchiveImage | str] = {}
        self._zip: zipfile.ZipFile | None = None
        if source is None:
            return
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
        except (zipfile.BadZipFile, OSError) as error:
            raise UnreadableArchive(_("The images file is not a readable ZIP archive.")) from error
        for info in self._zip.infolist():
            name = PurePosixPath(info.filename.replace("\\", "/")).name
            if not info.is_dir() and name and not name.startswith("."):
                self._entries.setdefault(name.casefold(), info)

    def __contains__(self, name: str) -> bool:
        return name.casefold() in self._entries

    def image(self, name: str) -> ArchiveImage | str:
        """The image named `name`, or a message for staff saying why it cannot be used."""
        key = name.casefold()
        if key not in self._checked:
            self._checked[key] = self._read(name, self._entries[key])
        return self._checked[key]

    def _read(self, name: str, info: zipfile.ZipInfo) -> ArchiveImage | str:
        if info.file_size > MAX_IMAGE_BYTES:
            return _("The image %(name)s is larger than %(limit)d MB.") % {
                "name": name,
                "limit": MAX_IMAGE_BYTES // (1024 * 1024),
            }
        assert self._zip is not None  # noqa: S101 - entries exist only with an archive
        try:
            content = self._zip.read(info)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
            return _("The file %(name)s is damaged in the ZIP.") % {"name": name}
        try:
            with Image.open(io.BytesIO(content)) as opened:
                if opened.format not in ACCEPTED_FORMATS:
                    raise UnidentifiedImageError(opened.format)
                if opened.width * opened.height > MAX_IMAGE_PIXELS:
                    return _("The image %(name)s has too many pixels.") % {"name": name}
                opened.verify()
        except (
            UnidentifiedImageError,
            Image.DecompressionBombError,
            OSError,
            SyntaxError,
            ValueError,
        ):
            return _("The file %(name)s is not a JPEG, PNG, WebP or GIF image.") % {"name": name}
        sha1 = hashlib.sha1(content).hexdigest()  # noqa: S324 - Wagtail's file_hash, not a secret
        return ArchiveImage(name=name, content=content, sha1=sha1)
