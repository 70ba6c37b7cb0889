"""Makers' logos live in an image collection of their own.

Kept apart, they stay out of the way when staff look for a POC's pictures in the image library
or a chooser (filter by collection), and the maker form's logo chooser opens on them.
"""

from __future__ import annotations

from django.urls import reverse
from wagtail.images.widgets import AdminImageChooser
from wagtail.models import Collection

# Also created by migration 0005 of poc_catalogue; a collection's name is data, not translated.
MAKERS_COLLECTION_NAME = "Porteurs de projet"


def makers_collection() -> Collection:
    """The collection of makers' logos, created under the root when missing."""
    collection = Collection.objects.filter(name=MAKERS_COLLECTION_NAME, depth=2).first()
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=MAKERS_COLLECTION_NAME)
    return collection


def file_logo(logo) -> None:
    """Move a logo still in the root collection (uploaded anywhere) to the makers' collection.

    A logo staff filed in a collection of their choosing stays where they put it.
    """
    if logo is not None and logo.collection.is_root():
        logo.collection = makers_collection()
        logo.save(update_fields=["collection"])


class LogoChooser(AdminImageChooser):
    """The image chooser, opened on the makers' logos collection (staff may pick another)."""

    def get_chooser_modal_url(self) -> str:
        return f"{reverse(self.chooser_modal_url_name)}?collection_id={makers_collection().pk}"
