"""What POCs are classified by: the four stages, the six themes, the 95 communes, the makers."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.search import index

from ..admin_search import folded
from ..logos import LogoChooser, file_logo


def in_english() -> bool:
    return (get_language() or "fr").startswith("en")


def theme_label(name: str, name_en: str) -> str:
    """A theme's name in the visitor's language: the one rule, for models and cards alike."""
    return name_en if in_english() and name_en else name


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


class SearchableByName(index.Indexed):
    """A record staff look up by name in the admin's choosers and listings, accents or not."""

    name: str

    @property
    def folded_name(self) -> str:
        return folded(self.name)


class Theme(SearchableByName, models.Model):
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
        index.AutocompleteField("name_en"),
        index.AutocompleteField("folded_name"),
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
        return theme_label(self.name, self.name_en)

    @property
    def localized_description(self) -> str:
        if in_english() and self.description_en:
            return self.description_en
        return self.description

    @property
    def description_in_french_for_english_readers(self) -> bool:
        return in_english() and not self.description_en and bool(self.description)


class Commune(SearchableByName, models.Model):
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
        index.AutocompleteField("folded_name"),
        index.AutocompleteField("insee_code"),
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


class Maker(SearchableByName, models.Model):
    """Who carries or designs POCs: designers, studios, companies, schools, communes…"""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=MakerKind.choices)
    bio = models.TextField(_("short bio (French)"), max_length=1000, blank=True)
    bio_en = models.TextField(
        _("short bio (English)"),
        max_length=1000,
        blank=True,
        help_text=_(
            "Shown on the English site; the French bio is shown there until it is written."
        ),
    )
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
        FieldPanel("bio_en"),
        FieldPanel("website"),
        FieldPanel("logo", widget=LogoChooser),
        FieldPanel("is_public"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("bio"),
        index.SearchField("bio_en"),
        index.AutocompleteField("name"),
        index.AutocompleteField("folded_name"),
        index.FilterField("kind"),
        index.FilterField("commune"),
        index.FilterField("is_public"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("maker")
        verbose_name_plural = _("makers")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        file_logo(self.logo)

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

    @property
    def localized_bio(self) -> str:
        return self.bio_en if in_english() and self.bio_en else self.bio

    @property
    def bio_in_french_for_english_readers(self) -> bool:
        """The French bio stands in for a missing English one (marked `lang="fr"`)."""
        return in_english() and not self.bio_en and bool(self.bio)
