"""Turn an untrusted upload into a clean image, or refuse it with a reason.

The upload is identified by decoding it with Pillow (never by its name or declared type),
its dimensions are checked from the header before the pixels are decoded (so a
decompression bomb is refused cheaply), and the pixels are re-encoded into a new file that
carries no metadata at all: no EXIF (so no GPS position), no ICC profile, no text chunks.

Decoding is the expensive part (a 25-megapixel PNG takes a quarter of a gigabyte), so a
proposal's images are measured together from their headers before any is decoded
(`total_pixels`), JPEGs are decoded straight at the reduced scale they are stored at, and
what is stored is at most `MAX_STORED_EDGE` pixels on its long side.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 25_000_000
# Eight 12-megapixel phone photos pass; a handful of oversized plans does not.
MAX_TOTAL_PIXELS = 100_000_000
MAX_STORED_EDGE = 2560
ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
ACCEPTED_CONTENT_TYPES = "image/jpeg,image/png,image/webp"
JPEG_QUALITY = 88


@dataclass(frozen=True)
class CleanImage:
    """A re-encoded image, ready to be stored; nothing of the original file survives."""

    content: bytes
    format: str
    width: int
    height: int

    @property
    def extension(self) -> str:
        return ACCEPTED_FORMATS[self.format]


def not_an_image_error() -> ValidationError:
    return ValidationError(
        _("This file is not a JPEG, PNG or WebP image. Choose a photo or a picture."),
        code="not_an_image",
    )


def too_many_pixels_error() -> ValidationError:
    return ValidationError(
        _("This image is too large: at most %(megapixels)s megapixels.")
        % {"megapixels": MAX_IMAGE_PIXELS // 1_000_000},
        code="too_many_pixels",
    )


def clean_uploaded_image(upload: UploadedFile) -> CleanImage:
    """Decode, check and re-encode one upload; raise ValidationError with a message for people."""
    if upload.size is not None and upload.size > MAX_IMAGE_BYTES:
        raise ValidationError(
            _("This file is too big (%(size)s): at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_IMAGE_BYTES)},
            code="too_big",
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload, formats=list(ACCEPTED_FORMATS)) as opened:
                image_format = opened.format
                width, height = opened.size
                if image_format not in ACCEPTED_FORMATS:
                    raise not_an_image_error()
                if width * height > MAX_IMAGE_PIXELS:
                    raise too_many_pixels_error()
                if image_format == "JPEG" and max(width, height) > MAX_STORED_EDGE:
                    # Decoded straight at the smallest scale still larger than what is stored.
                    ratio = MAX_STORED_EDGE / max(width, height)
                    opened.draft("RGB", (int(width * ratio), int(height * ratio)))
                opened.load()
                pixels = _without_metadata(opened, image_format)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise too_many_pixels_error() from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise not_an_image_error() from error
    return CleanImage(
        content=_encode(pixels, image_format),
        format=image_format,
        width=pixels.width,
        height=pixels.height,
    )


def image_pixels(upload: UploadedFile) -> int:
    """Width times height from the file's header, 0 when it is no image we read.

    Nothing is decoded: this is what a proposal's images cost before we pay for it.
    """
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(upload, formats=list(ACCEPTED_FORMATS)) as opened:
                width, height = opened.size
    except (Image.DecompressionBombError, UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return 0
    finally:
        upload.seek(0)
    return width * height


def total_pixels_error(total: int) -> ValidationError:
    return ValidationError(
        _(
            "Together, these images have %(megapixels)d megapixels: at most %(limit)d per "
            "proposal. Send smaller versions of your photos."
        )
        % {"megapixels": total // 1_000_000, "limit": MAX_TOTAL_PIXELS // 1_000_000},
        code="too_many_pixels_in_total",
    )


def _without_metadata(image: Image.Image, image_format: str) -> Image.Image:
    """The pixels only, turned upright as the camera meant them, in a mode the format keeps,
    at most `MAX_STORED_EDGE` pixels on the long side."""
    upright = ImageOps.exif_transpose(image)
    if max(upright.size) > MAX_STORED_EDGE:
        upright.thumbnail((MAX_STORED_EDGE, MAX_STORED_EDGE), Image.Resampling.LANCZOS)
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
    target_mode = "RGB" if image_format == "JPEG" or not has_alpha else "RGBA"
    pixels = upright.convert(target_mode)
    clean = Image.new(target_mode, pixels.size)
    clean.paste(pixels)
    return clean


def _encode(image: Image.Image, image_format: str) -> bytes:
    buffer = io.BytesIO()
    if image_format == "JPEG":
        image.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    elif image_format == "WEBP":
        image.save(buffer, format="WEBP", quality=JPEG_QUALITY)
    else:
        image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
