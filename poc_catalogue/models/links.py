"""What ties a POC to others: its tags, its makers in their roles, its gallery.

Each is a child of the POC page (a `ParentalKey`), named by string so that code reading these
links (cards, for instance) need not import the page model.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from .taxonomy import Maker, MakerRole


class POCPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "poc_catalogue.POCPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class POCMaker(Orderable):
    """A maker's part in a POC, in the order staff set."""

    page = ParentalKey("poc_catalogue.POCPage", on_delete=models.CASCADE, related_name="poc_makers")
    maker = models.ForeignKey(
        Maker, verbose_name=_("maker"), on_delete=models.PROTECT, related_name="poc_roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=MakerRole.choices)

    panels = [FieldRowPanel([FieldPanel("maker"), FieldPanel("role")])]

    class Meta(Orderable.Meta):
        verbose_name = _("maker")
        verbose_name_plural = _("makers")
        constraints = [
            models.UniqueConstraint(fields=["page", "maker"], name="unique_maker_per_poc"),
        ]

    def __str__(self) -> str:
        return f"{self.maker} ({self.get_role_display()})"


class POCGalleryImage(Orderable):
    page = ParentalKey(
        "poc_catalogue.POCPage", on_delete=models.CASCADE, related_name="gallery_images"
    )
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("image"), on_delete=models.CASCADE, related_name="+"
    )
    alt_text = models.CharField(_("alternative text"), max_length=255)
    caption = models.CharField(_("caption"), max_length=255, blank=True)
    credit = models.CharField(
        _("credit"), max_length=255, blank=True, help_text=_("Designer, project, commune, year.")
    )

    panels = [
        FieldPanel("image"),
        FieldPanel("alt_text"),
        FieldRowPanel([FieldPanel("caption"), FieldPanel("credit")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("gallery image")
        verbose_name_plural = _("gallery images")
