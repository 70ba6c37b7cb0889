"""The home page: staff's featured POCs, the latest ones, the six themes and key figures."""

from __future__ import annotations

from django.db import models
from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, PageChooserPanel
from wagtail.models import Orderable, Page

from ..panels import NamedInlinePanel
from .cards import POCCard
from .poc import POCPage
from .taxonomy import Commune, Maker, Theme

LATEST_COUNT = 6


class HomePage(Page):
    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction"),
        NamedInlinePanel(
            "featured_pocs",
            label=_("Featured POC"),
            heading=_("Featured POCs"),
            add_label=_("Add a featured POC"),
            max_num=6,
        ),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["poc_catalogue.CatalogueIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        published = POCPage.objects.published()
        featured = self.featured_cards()
        latest = published.exclude(pk__in=[card.page_id for card in featured]).order_by(
            "-first_published_at", "pk"
        )
        context.update(
            featured_cards=featured,
            latest_cards=latest[:LATEST_COUNT].cards(),
            themes=Theme.objects.annotate(
                poc_count=Count("pocs", filter=Q(pocs__in=published.values("pk")))
            ),
            figures={
                "pocs": published.count(),
                "makers": Maker.objects.filter(
                    is_public=True, poc_roles__page__in=published.values("pk")
                )
                .distinct()
                .count(),
                "communes": Commune.objects.filter(pocs__in=published.values("pk"))
                .distinct()
                .count(),
            },
        )
        return context

    def featured_cards(self) -> list[POCCard]:
        """The featured POCs that are published, in the staff's order."""
        ids = [item.poc_id for item in self.featured_pocs.all()]
        return POCPage.objects.published().cards_in_order(ids)


class HomePageFeaturedPOC(Orderable):
    home_page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_pocs")
    poc = models.ForeignKey(
        "poc_catalogue.POCPage", verbose_name=_("POC"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [PageChooserPanel("poc")]

    class Meta(Orderable.Meta):
        verbose_name = _("featured POC")
        verbose_name_plural = _("featured POCs")
