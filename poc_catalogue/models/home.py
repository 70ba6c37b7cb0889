"""The home page: staff's featured POCs, the latest ones, the six themes and key figures."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, PageChooserPanel
from wagtail.models import Locale, Orderable, Page

from ..panels import NamedInlinePanel
from ..published_responses import cache_response
from ..translations import FallsBackToSourceLanguage, page_language, source_language
from .cards import POCCard
from .poc import POCPage
from .taxonomy import Commune, Maker, Theme

LATEST_COUNT = 6


class HomePage(FallsBackToSourceLanguage, Page):
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
    subpage_types = ["poc_catalogue.CatalogueIndexPage", "poc_catalogue.TrailIndexPage"]
    # One per language: the French home and its English translation, both under the root.
    max_count = len(settings.LANGUAGES)

    class Meta:
        verbose_name = _("home page")

    def serve(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # Changes only on publication: served whole to visitors without a session.
        return cache_response(super().serve(request, *args, **kwargs))

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        # Each read on first use: a page served from its cached fragment reads none of them.
        featured = SimpleLazyObject(self.featured_cards)
        context.update(
            featured_cards=featured,
            latest_cards=SimpleLazyObject(lambda: self.latest_cards(featured)),
            themes=SimpleLazyObject(self.theme_counts),
            figures=SimpleLazyObject(self.figures),
        )
        return context

    def latest_cards(self, featured: list[POCCard]) -> list[POCCard]:
        """The newest published POCs, those already featured left out."""
        latest = (
            POCPage.objects.published()
            .exclude(pk__in=[card.page_id for card in featured])
            .order_by("-first_published_at", "pk")
        )
        return latest[:LATEST_COUNT].cards()

    def theme_counts(self) -> list[Theme]:
        published = POCPage.objects.published().values("pk")
        return list(Theme.objects.annotate(poc_count=Count("pocs", filter=Q(pocs__in=published))))

    def figures(self) -> dict[str, int]:
        published = POCPage.objects.published().values("pk")
        return {
            "pocs": published.count(),
            "makers": Maker.objects.filter(is_public=True, poc_roles__page__in=published)
            .distinct()
            .count(),
            "communes": Commune.objects.filter(pocs__in=published).distinct().count(),
        }

    def featured_cards(self) -> list[POCCard]:
        """The featured POCs that are published, in the staff's order.

        Chosen on the French home page: its translations copy the choice (wagtail-localize
        synchronises it), and an English home made before the choice would show none.
        """
        home = self
        if page_language(self) != source_language():
            home = self.get_translation_or_none(Locale.objects.get_for_language(source_language()))
            home = home or self
        ids = [item.poc_id for item in home.featured_pocs.all()]
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
