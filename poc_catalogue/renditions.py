"""Every image a POC shows, rendered when it is published rather than when a visitor asks.

A POC page shows its hero in nine renditions (three sizes in AVIF, WebP and JPEG), each gallery
image in four, body images in one, and the catalogue card in one more: about a second and a half
of encoding for a typical POC. Made on the first view, that second lands on a visitor, and on
every visitor who opens a new POC meanwhile; under load the requests pile up behind it.

So publishing queues `prepare_renditions` on the task worker, at a lower priority than index
updates (a POC is searchable first, its pictures follow within seconds). Loaders that publish
in bulk (the demo) queue nothing: 600 POCs would keep one core busy for a quarter of an hour.
`manage.py prepare_renditions` does the whole catalogue in the foreground, when the operator
chooses: after an import, a restore without renditions, or a change of `images.PICTURES`.

A POC's page still renders its missing renditions itself, so nothing depends on the worker
having run; it only decides who waits.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.db.models import Model
from django.dispatch import receiver
from django_tasks import task
from wagtail.images.models import Filter
from wagtail.signals import page_published

from .images import BODY_IMAGE, CARD_THUMBNAIL, PICTURES, RENDITION_FAILURES, SHARE_IMAGE
from .models import POCPage
from .translations import source_language

logger = logging.getLogger(__name__)

# Index updates run at the default priority (0); pictures come after them.
PRIORITY = -10

HERO_SPECS = (CARD_THUMBNAIL, SHARE_IMAGE, *Filter.expand_spec(PICTURES["hero"]))
GALLERY_SPECS = tuple(Filter.expand_spec(PICTURES["gallery"]))


def images_of(poc: POCPage) -> Iterator[tuple[Any, tuple[str, ...]]]:
    """Each image the POC's page and card show, with the rendition specs they use."""
    if poc.hero_image is not None:
        yield poc.hero_image, HERO_SPECS
    for item in poc.gallery_images.select_related("image"):
        if item.image is not None:
            yield item.image, GALLERY_SPECS
    for block in poc.body:
        if block.block_type == "image":
            values = [block.value]
        elif block.block_type == "gallery":
            values = list(block.value["images"])
        else:
            continue
        for value in values:
            if value["image"] is not None:
                yield value["image"], (BODY_IMAGE,)


def prepare(poc: POCPage) -> int:
    """Make the renditions this POC shows that do not exist yet; how many images it covered.

    An image whose file cannot be read is skipped with a warning, as the page would skip it.
    """
    prepared = 0
    for image, specs in images_of(poc):
        try:
            image.get_renditions(*specs)
        except RENDITION_FAILURES as error:
            logger.warning(
                "Image %s of POC %s cannot be rendered: %s: %s",
                image.pk,
                poc.pk,
                error.__class__.__name__,
                error,
            )
            continue
        prepared += 1
    return prepared


def missing(poc: POCPage) -> int:
    """How many renditions this POC shows that are not made yet (one query per image)."""
    count = 0
    for image, specs in images_of(poc):
        wanted = {(spec, Filter(spec=spec).get_cache_key(image)) for spec in specs}
        made = set(image.renditions.values_list("filter_spec", "focal_point_key"))
        count += len(wanted - made)
    return count


def live_pocs(page_ids: Iterable[int] | None = None):
    # French pages: a translation shows its French page's pictures.
    pocs = (
        POCPage.objects.live()
        .filter(locale__language_code=source_language())
        .select_related("hero_image")
        .order_by("pk")
    )
    if page_ids is not None:
        pocs = pocs.filter(pk__in=list(page_ids))
    return pocs


@task(priority=PRIORITY)
def prepare_renditions(page_ids: list[int]) -> dict[str, int]:
    """The worker's side: renditions of these POCs (those still live)."""
    pocs = images = 0
    for poc in live_pocs(page_ids):
        images += prepare(poc)
        pocs += 1
    return {"pocs": pocs, "images": images}


@receiver(page_published)
def on_page_published(sender: type, instance: Model, **kwargs: object) -> None:
    """Queue the POC's renditions, committed with its publication."""
    if not isinstance(instance, POCPage) or not settings.CATALOGUE_PREPARE_RENDITIONS:
        return
    try:
        prepare_renditions.enqueue(page_ids=[instance.pk])
    except Exception:
        # Publishing must succeed whatever the queue does; the page renders them itself.
        logger.exception("Could not queue the renditions of POC %s", instance.pk)
