"""The POC pages and the catalogue page they live under."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.urls import translate_url
from django.utils.functional import SimpleLazyObject
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from ..blocks import POCBodyBlock
from ..forms import POCPageForm
from ..geography import METROPOLE_EXTENT, Extent, Point, poc_location
from ..limits import FIRST_YEAR, LAST_YEAR, MAX_SUMMARY_LENGTH
from ..panels import NamedInlinePanel, PositionPanel
from ..published_responses import cache_response
from ..translations import (
    FallsBackToSourceLanguage,
    active_language,
    page_url_in_language,
    source_language,
)
from .cards import POCCard, cards_in_order, read_cards
from .links import POCGalleryImage, POCMaker, POCPageTag
from .taxonomy import Commune, Stage, Theme


class SectionIndexPage(FallsBackToSourceLanguage, Page):
    """A section of the site under the home page (the catalogue, the trails): a title and an
    introduction written by staff, above the section's pages."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]

    parent_page_types = ["poc_catalogue.HomePage"]
    # One per language: each home page (French, and its English translation) has one.
    max_count_per_parent = 1

    class Meta:
        abstract = True


class CatalogueIndexPage(SectionIndexPage):
    """The catalogue at /catalogue/: every POC page is its child.

    The page holds what staff write (title, introduction); the catalogue's search interface is
    the view named by `CATALOGUE_PAGE_VIEW` (the project wires the search app's in), which
    serves this page, its previews included. The content app knows nothing of search.
    """

    subpage_types = ["poc_catalogue.POCPage"]

    class Meta:
        verbose_name = _("catalogue")

    @classmethod
    def in_source_language(cls) -> CatalogueIndexPage:
        """The French catalogue: POCs are created under it (their translations live under
        its English translation). Raises `DoesNotExist` on a site without one."""
        return cls.objects.get(locale__language_code=source_language())

    @classmethod
    def url_for_visitor(cls, request: HttpRequest | None = None) -> str:
        """The catalogue's address in the visitor's language (its translation, or the French
        catalogue under /en/ until it has one)."""
        catalogue = cls.objects.live().filter(locale__language_code=source_language()).first()
        if catalogue is None:
            return translate_url("/catalogue/", active_language())
        return page_url_in_language(catalogue, active_language(), request)

    def serve(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return import_string(settings.CATALOGUE_PAGE_VIEW)(request, self)

    def serve_preview(self, request: HttpRequest, mode_name: str) -> HttpResponse:
        # Wagtail renders a preview from the page's template, not through serve(): the
        # catalogue has no template of its own without the search view.
        return import_string(settings.CATALOGUE_PAGE_VIEW)(request, self)


class POCPageQuerySet(PageQuerySet):
    def published(self) -> POCPageQuerySet:
        """What visitors may see: live, and neither the page nor an ancestor restricted.

        The one meaning of "public" for POCs: listings, search, its index, labels and
        suggestions all start from here. French pages only: a POC is its French page, and
        its English translation is read as its text (`poc_catalogue.translations`).
        """
        return self.live().public().filter(locale__language_code=source_language())

    def located_in(self, area: Extent) -> POCPageQuerySet:
        """The POCs whose place on a map lies in `area`, edges included: `poc_location`'s
        rule (its own position, else its commune's centre) written as a filter."""
        own = models.Q(latitude__isnull=False, longitude__isnull=False)
        return self.filter(
            models.Q(
                own,
                latitude__range=(area.south, area.north),
                longitude__range=(area.west, area.east),
            )
            | models.Q(
                ~own,
                commune__latitude__range=(area.south, area.north),
                commune__longitude__range=(area.west, area.east),
            )
        )

    def cards(self, language: str | None = None) -> list[POCCard]:
        """What a card shows of each of these POCs, in this queryset's order, to show in
        `language` (the visitor's by default).

        Read as rows in six queries however many POCs and relations: never page instances,
        whose relations (prefetched or not) cost most of an index rebuild's time.
        """
        return read_cards(self, language)

    def cards_in_order(self, ids: Sequence[int], language: str | None = None) -> list[POCCard]:
        """The cards of the POCs among `ids` that this queryset holds, in the order of `ids`,
        to show in `language` (the visitor's by default: a French card reads no translation)."""
        return cards_in_order(self, ids, language)


POCPageManager = PageManager.from_queryset(POCPageQuerySet)


class POCPage(Page):
    """One design proof of concept."""

    summary = models.TextField(
        _("summary"),
        max_length=MAX_SUMMARY_LENGTH,
        validators=[
            MaxLengthValidator(
                MAX_SUMMARY_LENGTH,
                _(
                    "Keep the summary to %(limit_value)d characters at most "
                    "(it has %(show_value)d): it must fit on a card."
                ),
            )
        ],
        help_text=_("One or two sentences, at most 280 characters, shown on cards and in search."),
    )
    body = StreamField(POCBodyBlock(), verbose_name=_("body"), blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_alt_text = models.CharField(
        _("hero image alternative text"),
        max_length=255,
        help_text=_("Describe the image for people who cannot see it."),
    )
    hero_credit = models.CharField(
        _("hero image credit"),
        max_length=255,
        blank=True,
        help_text=_("Designer, project, commune, year."),
    )
    themes = ParentalManyToManyField(
        Theme,
        verbose_name=_("themes"),
        related_name="pocs",
        blank=True,
        help_text=_("One to three themes."),
    )
    # Nullable so that a draft saves without them; the form requires them to publish.
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune"),
        null=True,
        on_delete=models.PROTECT,
        related_name="pocs",
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    tags = ClusterTaggableManager(through=POCPageTag, blank=True, verbose_name=_("tags"))
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    year = models.PositiveSmallIntegerField(
        _("year"),
        null=True,
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)],
    )
    contact_email = models.EmailField(
        _("private contact email"),
        blank=True,
        help_text=_("For staff only: never shown on the site, indexed or exposed."),
    )
    # The staff's own id for the POC in their spreadsheets: what an import matches rows by.
    # Not editable, so wagtail-localize neither offers it for translation nor synchronises
    # it, and left out of copies: a translation or a copy is not the imported POC.
    import_reference = models.CharField(
        _("import reference"), max_length=100, null=True, blank=True, unique=True, editable=False
    )
    comments_enabled = models.BooleanField(
        _("open to comments"),
        default=True,
        help_text=_(
            "Visitors may leave comments, published once moderated. When closed, the comments "
            "already approved stay on the page."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    media_panels = [
        MultiFieldPanel(
            [FieldPanel("hero_image"), FieldPanel("hero_alt_text"), FieldPanel("hero_credit")],
            heading=_("Hero image"),
        ),
        NamedInlinePanel(
            "gallery_images",
            label=_("Gallery image"),
            heading=_("Gallery images"),
            add_label=_("Add a gallery image"),
        ),
    ]
    classification_panels = [
        FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
        NamedInlinePanel(
            "poc_makers",
            label=_("Maker"),
            heading=_("Makers"),
            add_label=_("Add a maker"),
            help_text=_("Who carries the POC, then its designers and partners, in this order."),
        ),
        FieldRowPanel([FieldPanel("stage"), FieldPanel("year")]),
        FieldPanel("tags"),
        FieldPanel("contact_email"),
    ]
    location_panels = [
        FieldPanel("commune"),
        FieldPanel("address"),
        PositionPanel(
            [FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")])],
            heading=_("Position on the map"),
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(media_panels, heading=_("Media")),
            ObjectList(classification_panels, heading=_("Classification")),
            ObjectList(location_panels, heading=_("Location")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(
                [*Page.settings_panels, FieldPanel("comments_enabled")], heading=_("Settings")
            ),
        ]
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("stage"),
        index.FilterField("year"),
        index.FilterField("commune"),
    ]

    parent_page_types = ["poc_catalogue.CatalogueIndexPage"]
    subpage_types: list[str] = []
    base_form_class = POCPageForm
    exclude_fields_in_copy = ["import_reference"]

    objects = POCPageManager()

    class Meta:
        verbose_name = _("POC")
        verbose_name_plural = _("POCs")

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list[str]] = {}
        if (self.latitude is None) != (self.longitude is None):
            errors.setdefault("latitude", []).append(
                _("Give both latitude and longitude, or neither.")
            )
        elif self.latitude is not None and not METROPOLE_EXTENT.contains(
            self.latitude, self.longitude
        ):
            errors.setdefault("latitude", []).append(
                _("This position is outside the Lille Métropole. Check latitude and longitude.")
            )
        if errors:
            raise ValidationError(errors)

    def serve(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # Changes only on publication: served whole to visitors without a session.
        return cache_response(super().serve(request, *args, **kwargs))

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        preview = getattr(request, "is_preview", False)
        relations: dict[str, list] = {}

        def related(name: str):
            # Read on first use: a page served from its cached fragment reads none of them.
            def load() -> list:
                if not relations:
                    # A preview shows the edited, unsaved relations: only a saved page
                    # reads the database.
                    if not preview:
                        prefetch_poc_relations([self])
                    relations.update(
                        hero_image=self.hero_image,
                        makers=list(self.poc_makers.all()),
                        gallery=list(self.gallery_images.all()),
                        themes=list(self.themes.all()),
                        tags=list(self.tags.all()),
                    )
                return relations[name]

            return SimpleLazyObject(load)

        context.update(
            # The hero image with its renditions, for the head's share preview.
            hero_image=related("hero_image"),
            makers=related("makers"),
            gallery=related("gallery"),
            themes=related("themes"),
            tags=related("tags"),
            stages=stage_steps(self.stage),
            map_point=self.location,
            map_tile_url=settings.MAP_TILE_URL,
            map_tile_attribution=settings.MAP_TILE_ATTRIBUTION,
        )
        return context

    @property
    def location(self) -> Point | None:
        commune = self.commune if self.commune_id else None
        return poc_location(
            self.latitude,
            self.longitude,
            commune.latitude if commune else None,
            commune.longitude if commune else None,
        )


def stage_steps(current: str) -> list[dict]:
    """The four WDC steps, marking those the POC has reached."""
    values = list(Stage.values)
    reached = values.index(current) if current in values else -1
    return [
        {"value": value, "label": label, "reached": index <= reached, "current": index == reached}
        for index, (value, label) in enumerate(Stage.choices)
    ]


def prefetch_poc_relations(pocs: list[POCPage]) -> None:
    """Load what a POC page shows in a fixed number of queries, however many items it has."""
    prefetch_related_objects(
        pocs,
        Prefetch(
            "poc_makers",
            queryset=POCMaker.objects.select_related("maker__logo").prefetch_related(
                "maker__logo__renditions"
            ),
        ),
        Prefetch(
            "gallery_images",
            queryset=POCGalleryImage.objects.select_related("image").prefetch_related(
                "image__renditions"
            ),
        ),
        "themes",
        "tags",
        "hero_image__renditions",
    )
