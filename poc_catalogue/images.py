"""Renditions that cost one image, never the page: the one place image files are read.

A file can go missing (a restored database without its media, a volume not mounted) or be
unreadable. Wagtail then raises (or, in its template tags, renders a broken "not found"
image); here that image is left out, with a warning naming it, and the card, the POC page or
the search document is made without it. Templates use the tags in `catalogue_tags`
(`safe_picture`, `safe_rendition`), which call these.
"""

from __future__ import annotations

import logging
from types import SimpleNamespace
from typing import Any

from wagtail.images import get_image_model
from wagtail.images.models import Filter, Picture
from willow.image import BadImageOperationError

logger = logging.getLogger(__name__)

# SourceImageIOError (file missing), Pillow's and Willow's decoding errors: all OSError.
RENDITION_FAILURES = (OSError, BadImageOperationError)

CARD_THUMBNAIL = "fill-480x320|format-webp"
CARD_THUMBNAIL_SIZE = (480, 320)
# An image block in a POC's body (templates/blocks/captioned_image_block.html).
BODY_IMAGE = "width-1200|format-webp"
# The preview a link shows when shared (OpenGraph, Twitter cards, schema.org): the size and
# ratio their readers ask for, in JPEG since not every reader decodes WebP.
SHARE_IMAGE = "fill-1200x630|format-jpeg"
# Responsive <picture> elements, by what they show: every format and size a browser may pick.
PICTURES = {
    "hero": "format-{avif,webp,jpeg} fill-{640x427,960x640,1440x960}",
    "gallery": "format-{avif,webp} fill-{480x360,960x720}",
}


def rendition(image: Any, spec: str) -> Any | None:
    """`image` rendered as `spec`, or None when the image cannot be read."""
    if image is None:
        return None
    try:
        return image.get_rendition(spec)
    except RENDITION_FAILURES as error:
        _warn(image, error)
        return None


def rendition_url(image: Any, spec: str) -> str | None:
    found = rendition(image, spec)
    return found.url if found is not None else None


def card_thumbnails(image_ids: set[int]) -> dict[int, str]:
    """Each image's card thumbnail URL, from the stored renditions in two queries.

    A rendition counts only with the focal point key `get_rendition` would look for; an
    image without one gets it rendered through Wagtail (none when its file cannot be read).
    """
    if not image_ids:
        return {}
    Image = get_image_model()
    Rendition = Image.get_rendition_model()
    spec = Filter(spec=CARD_THUMBNAIL)
    focal_fields = ("focal_point_x", "focal_point_y", "focal_point_width", "focal_point_height")
    wanted_keys = {
        row["pk"]: spec.get_cache_key(SimpleNamespace(**row))
        for row in Image.objects.filter(pk__in=image_ids).values("pk", *focal_fields)
    }
    storage = Rendition._meta.get_field("file").storage
    urls: dict[int, str] = {}
    for image_id, focal_point_key, name in Rendition.objects.filter(
        image_id__in=wanted_keys, filter_spec=CARD_THUMBNAIL
    ).values_list("image_id", "focal_point_key", "file"):
        if wanted_keys[image_id] == focal_point_key:
            urls[image_id] = storage.url(name)
    for image in Image.objects.filter(pk__in=set(wanted_keys) - set(urls)):
        url = rendition_url(image, CARD_THUMBNAIL)
        if url:
            urls[image.pk] = url
    return urls


def picture(image: Any, kind: str, attrs: dict[str, Any]) -> Picture | None:
    """A `<picture>` of `image` in every size and format of `PICTURES[kind]`, or None."""
    if image is None:
        return None
    try:
        renditions = image.get_renditions(*Filter.expand_spec(PICTURES[kind]))
    except RENDITION_FAILURES as error:
        _warn(image, error)
        return None
    return Picture(renditions, attrs)


def _warn(image: Any, error: Exception) -> None:
    logger.warning(
        "Image %s (%s) cannot be rendered and is left out: %s: %s",
        image.pk,
        getattr(image.file, "name", "?"),
        error.__class__.__name__,
        error,
    )


def delete_image_files(names: list[str], context: str) -> None:
    """Delete image files written by work that failed and rolled back (a submission, an
    import row): the database forgot them, the storage must too."""
    storage = get_image_model()._meta.get_field("file").storage
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("Could not delete %s after %s", name, context)
