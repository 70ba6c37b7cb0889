"""The POC catalogue: themes, communes, makers and the POC pages themselves."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    PageChooserPanel,
    TabbedInterface,
)
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from .blocks import POCBodyBlock
from .forms import POCPageForm
from .geography import METROPOLE_EXTENT

MAX_THEMES_PER_POC = 3
MAX_SUMMARY_LENGTH = 280
CATALOGUE_PAGE_SIZE = 24


class Stage(models.TextChoices):
    """The four steps every WDC 2020 POC follows, in order."""

    UNDERSTAND = "understand", _("Understanding needs")
    IMAGINE = "imagine", _("Imagining answers")
    EXPERIMENT = "experiment", _("Experimenting")
    DEPLOY = "deploy", _("Deploying")


class MakerKind(models.TextChoices):
    DESIGNER = "designer", _("Designer")
    STUDIO = "studio", _("Design studio")
    COMPANY = "company", _("Company")
    ASSOCIATION = "association", _("Association")
    SCHOOL = "school", _("School or university")
    PUBLIC_BODY = "public_body", _("Commune or public body")
    CULTURAL_VENUE = "cultural_venue", _("Cultural venue")
    COLLECTIVE = "collective", _("Citizen collective")


class MakerRole(models.TextChoices):
    HOLDER = "holder", _("Project holder")
    DESIGNER = "designer", _("Designer")
    PARTNER = "partner", _("Partner")


hex_colour_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Enter a colour as # followed by six hexadecimal digits.")
)


class Theme(index.Indexed, models.Model):
    """One of the six WDC 2020 themes (seeded by a data migration)."""

    name = models.CharField(_("name (French)"), max_length=80, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    colour = models.CharField(
        _("colour"),
        max_length=7,
        validators=[hex_colour_validator],
        help_text=_("Used for labels and markers, for example #e4003a."),
    )
    description = models.TextField(_("short description (French)"), max_length=500, blank=True)
    description_en = models.TextField(_("short description (English)"), max_length=500, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("name_en")]),
        FieldRowPanel([FieldPanel("slug"), FieldPanel("colour"), FieldPanel("sort_order")]),
        FieldPanel("description"),
        FieldPanel("description_en"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("name_en"),
        index.AutocompleteField("name"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("poc_catalogue:theme", kwargs={"slug": self.slug})

    @property
    def label(self) -> str:
        """The name in the visitor's language."""
        return self.name_en if (get_language() or "fr").startswith("en") else self.name

    @property
    def localized_description(self) -> str:
        if (get_language() or "fr").startswith("en") and self.description_en:
            return self.description_en
        return self.description


class Commune(index.Indexed, models.Model):
    """One of the 95 communes of the Métropole (loaded by a data migration)."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    insee_code = models.CharField(
        _("INSEE code"),
        max_length=5,
        unique=True,
        validators=[RegexValidator(r"^\d{5}$", _("An INSEE code has five digits."))],
    )
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    population = models.PositiveIntegerField(_("population"))

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("slug"), FieldPanel("insee_code")]),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude"), FieldPanel("population")]),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("insee_code"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("poc_catalogue:commune", kwargs={"slug": self.slug})

    @property
    def label(self) -> str:
        return self.name


class Maker(index.Indexed, models.Model):
    """Who carries or designs POCs: designers, studios, companies, schools, communes…"""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=MakerKind.choices)
    bio = models.TextField(_("short bio"), max_length=1000, blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="makers",
    )
    is_public = models.BooleanField(
        _("public"),
        default=True,
        help_text=_(
            "Makers who only proposed a POC stay hidden until one of their POCs is published."
        ),
    )

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("commune")]),
        FieldPanel("bio"),
        FieldPanel("website"),
        FieldPanel("logo"),
        FieldPanel("is_public"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("bio"),
        index.AutocompleteField("name"),
        index.FilterField("kind"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("maker")
        verbose_name_plural = _("makers")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("poc_catalogue:maker", kwargs={"slug": self.slug})

    def clean(self) -> None:
        super().clean()
        if self.is_public and not self.bio.strip():
            raise ValidationError(
                {
                    "bio": _(
                        "A public profile needs a short bio: say in a sentence or two who this "
                        "maker is. Or untick “public” to keep the profile hidden."
                    )
                }
            )

    @property
    def label(self) -> str:
        return self.name


class HomePage(Page):
    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction"),
        InlinePanel("featured_pocs", label=_("Featured POCs"), max_num=6),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["poc_catalogue.CatalogueIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        from .home_page import home_context

        context = super().get_context(request, *args, **kwargs)
        context["featured_pocs"] = self.featured_live_pocs()
        context.update(home_context(context["featured_pocs"]))
        return context

    def featured_live_pocs(self) -> list[POCPage]:
        """The featured POCs that are published, in the staff's order, with what a card shows."""
        ids = [item.poc_id for item in self.featured_pocs.all()]
        pocs = {poc.pk: poc for poc in published_pocs().filter(pk__in=ids)}
        return [pocs[pk] for pk in ids if pk in pocs]


class HomePageFeaturedPOC(Orderable):
    home_page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_pocs")
    poc = models.ForeignKey(
        "poc_catalogue.POCPage", verbose_name=_("POC"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [PageChooserPanel("poc")]

    class Meta(Orderable.Meta):
        verbose_name = _("featured POC")
        verbose_name_plural = _("featured POCs")


class CatalogueIndexPage(Page):
    """The catalogue at /catalogue/: every POC page is its child."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]

    parent_page_types = ["poc_catalogue.HomePage"]
    subpage_types = ["poc_catalogue.POCPage"]
    max_count = 1

    class Meta:
        verbose_name = _("catalogue")

    # Asked by the catalogue's JavaScript to replace facets and results in place.
    FRAGMENT_HEADER = "X-Catalogue-Fragment"

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        """The search result for the request's GET parameters: the URL is the state."""
        from .catalogue_page import catalogue_context

        context = super().get_context(request, *args, **kwargs)
        context.update(catalogue_context(request.GET))
        return context

    def get_template(self, request: HttpRequest, *args, **kwargs) -> str:
        if request.headers.get(self.FRAGMENT_HEADER):
            return "poc_catalogue/includes/catalogue_results.html"
        return super().get_template(request, *args, **kwargs)

    def serve(self, request: HttpRequest, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        response["Vary"] = self.FRAGMENT_HEADER
        return response


class POCPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "poc_catalogue.POCPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class POCPageQuerySet(PageQuerySet):
    def published(self) -> POCPageQuerySet:
        """What visitors may see: live, and neither the page nor an ancestor restricted.

        The one meaning of "public" for POCs: listings, search, its index, labels and
        suggestions all start from here.
        """
        return self.live().public()


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
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="pocs"
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    tags = ClusterTaggableManager(through=POCPageTag, blank=True, verbose_name=_("tags"))
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2015), MaxValueValidator(2035)]
    )
    contact_email = models.EmailField(
        _("private contact email"),
        blank=True,
        help_text=_("For staff only: never shown on the site, indexed or exposed."),
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
        InlinePanel("gallery_images", label=_("Gallery images")),
    ]
    classification_panels = [
        FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
        InlinePanel("poc_makers", label=_("Makers"), min_num=1),
        FieldRowPanel([FieldPanel("stage"), FieldPanel("year")]),
        FieldPanel("tags"),
        FieldPanel("contact_email"),
    ]
    location_panels = [
        FieldPanel("commune"),
        FieldPanel("address"),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(media_panels, heading=_("Media")),
            ObjectList(classification_panels, heading=_("Classification")),
            ObjectList(location_panels, heading=_("Location")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("stage"),
        index.FilterField("year"),
    ]

    parent_page_types = ["poc_catalogue.CatalogueIndexPage"]
    subpage_types: list[str] = []
    base_form_class = POCPageForm

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

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        # A preview shows the edited, unsaved relations: only a saved page reads the database.
        if not getattr(request, "is_preview", False):
            prefetch_poc_relations([self])
        context.update(
            makers=list(self.poc_makers.all()),
            gallery=list(self.gallery_images.all()),
            themes=list(self.themes.all()),
            tags=list(self.tags.all()),
        )
        from .poc_page import poc_context

        is_preview = getattr(request, "is_preview", False)
        context.update(poc_context(self, with_related=not is_preview))
        return context

    @property
    def location(self) -> tuple[float, float] | None:
        """Where to put the POC on a map: its own position, else its commune's centre."""
        if self.latitude is not None and self.longitude is not None:
            return (self.latitude, self.longitude)
        if self.commune_id:
            return (self.commune.latitude, self.commune.longitude)
        return None


class POCMaker(Orderable):
    """A maker's part in a POC, in the order staff set."""

    page = ParentalKey(POCPage, on_delete=models.CASCADE, related_name="poc_makers")
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
    page = ParentalKey(POCPage, on_delete=models.CASCADE, related_name="gallery_images")
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


def published_pocs() -> QuerySet[POCPage]:
    """Live POC pages with what a card shows, in a fixed number of queries."""
    return (
        POCPage.objects.published()
        .select_related("commune", "hero_image")
        .prefetch_related(
            "themes",
            Prefetch("poc_makers", queryset=POCMaker.objects.select_related("maker")),
            "hero_image__renditions",
        )
        .order_by("-first_published_at", "pk")
    )
