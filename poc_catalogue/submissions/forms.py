"""The public "Propose a POC" form: every field is hostile until cleaned."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit.utils import parse_tags

from poc_catalogue.limits import MAX_SUMMARY_LENGTH, MAX_THEMES_PER_POC, PROPOSED_YEARS
from poc_catalogue.models import Commune, Maker, MakerKind, Stage, Theme

from .image_forms import IMAGES_PREFIX, ImageFormSet
from .kept_images import KeptImages
from .proposals import Contact, NewMaker, Proposal

MAX_TAGS = 10
MAX_TAG_LENGTH = 40
VIDEO_HOSTS = frozenset(
    {
        "youtube.com",
        "www.youtube.com",
        "m.youtube.com",
        "youtu.be",
        "www.youtube-nocookie.com",
        "vimeo.com",
        "www.vimeo.com",
        "player.vimeo.com",
        "dailymotion.com",
        "www.dailymotion.com",
        "dai.ly",
    }
)


phone_validator = RegexValidator(
    r"^\+?[0-9 .()-]{6,25}$",
    _("Enter a phone number with digits only, for example 03 20 00 00 00 or +33 3 20 00 00 00."),
)


def normalise_tags(raw: str) -> list[str]:
    """Keywords read as the admin's tag field reads them, lower-cased, each once.

    taggit's `parse_tags` splits on commas (on spaces when there is none) and keeps quoted
    words together; `TAGGIT_CASE_INSENSITIVE` then matches them to existing tags.
    """
    tags: list[str] = []
    for tag in parse_tags(raw):
        tag = " ".join(tag.split()).lower()
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def validate_video_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme != "https" or (parts.hostname or "") not in VIDEO_HOSTS or parts.port:
        raise ValidationError(
            _("Give a secure (https) link to a video on YouTube, Vimeo or Dailymotion."),
            code="video_host",
        )


# The images come after this field on the page, and in the error summary.
IMAGES_AFTER_FIELD = "video_url"


@dataclass(frozen=True)
class ErrorLink:
    """One line of the error summary: the message, and the id of the input it is about."""

    anchor: str
    message: str

    @classmethod
    def of(cls, field: forms.BoundField, image: int | None = None) -> list[ErrorLink]:
        anchor = field.id_for_label or f"{field.auto_id}_0"
        return [cls(anchor, cls._line(field, str(error), image)) for error in field.errors]

    @staticmethod
    def _line(field: forms.BoundField, error: str, image: int | None) -> str:
        """The field's name, then its error, punctuated as the language wants (French puts a
        non-breaking space before the colon)."""
        if field.widget_type == "checkbox":
            return error
        if image is not None:
            return _("%(field)s (image %(number)d): %(error)s") % {
                "field": field.label,
                "number": image,
                "error": error,
            }
        return _("%(field)s: %(error)s") % {"field": field.label, "error": error}


def _describe_error(field: forms.BoundField) -> None:
    """Point assistive technologies from an invalid input to its error and help text."""
    described_by = [f"{field.auto_id}_error"]
    if field.help_text:
        described_by.append(f"{field.auto_id}_helptext")
    field.field.widget.attrs.update(
        {"aria-invalid": "true", "aria-describedby": " ".join(described_by)}
    )


class ProposalForm(forms.Form):
    """What a proposal says about the project, and its images: the part a maker may revise.

    `SubmissionForm` adds who makes it and who sends it; `RevisionForm`, the images the draft
    already holds. Both check the project fields and new images with the same rules.
    """

    title = forms.CharField(label=_("Project title"), max_length=120)
    # No `max_length`: it would become the browser's `maxlength`, which cuts a pasted summary
    # without a word. `clean_summary` says how much is too long instead.
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 3, "data-counter-limit": MAX_SUMMARY_LENGTH}),
        help_text=_("One or two sentences, at most 280 characters, shown on cards and in search."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "What need the project answers, who took part, what was tried and learnt. "
            "Separate paragraphs with an empty line."
        ),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose one to three themes."),
    )
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices, widget=forms.RadioSelect)
    year = forms.TypedChoiceField(
        label=_("Year of the project"),
        coerce=int,
        choices=[
            ("", _("Choose a year")),
            *((year, str(year)) for year in reversed(PROPOSED_YEARS)),
        ],
        help_text=_("When it was tried out, or started if it is still under way."),
    )
    commune = forms.ModelChoiceField(
        label=_("Commune"), queryset=Commune.objects.all(), empty_label=_("Choose a commune")
    )
    address = forms.CharField(
        label=_("Address"),
        max_length=255,
        required=False,
        help_text=_("Where the project can be seen."),
    )
    tags = forms.CharField(
        label=_("Keywords"),
        max_length=600,
        required=False,
        help_text=_("Separated by commas, for example: street furniture, play, nature."),
    )
    video_url = forms.URLField(
        label=_("Video link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        validators=[validate_video_url],
        help_text=_("A link to a video on YouTube, Vimeo or Dailymotion."),
    )
    summary_limit = MAX_SUMMARY_LENGTH

    def __init__(
        self, data=None, files=None, *, kept_images: KeptImages | None = None, **kwargs
    ) -> None:
        super().__init__(data, files, **kwargs)
        self.images = ImageFormSet(
            data, files, prefix=IMAGES_PREFIX, form_kwargs={"kept_images": kept_images}
        )
        self.fields["themes"].label_from_instance = lambda theme: theme.label

    def is_valid(self) -> bool:
        # Both, always: the page lists the errors of the fields and of the images together.
        fields_valid = super().is_valid()
        return self.images.is_valid() and fields_valid

    def full_clean(self) -> None:
        """Tie each error to its field for assistive technologies."""
        super().full_clean()
        for form in (self, *self.images):
            for name in form.errors:
                if name in form.fields:
                    _describe_error(form[name])

    def error_links(self) -> list[ErrorLink]:
        """Every error for the summary at the top of the page, in the page's order."""
        errors = [ErrorLink("", str(error)) for error in self.non_field_errors()]
        errors += [ErrorLink("", str(error)) for error in self.images.non_form_errors()]
        for name in self.fields:
            errors += ErrorLink.of(self[name])
            if name == IMAGES_AFTER_FIELD:
                for number, form in enumerate(self.images, start=1):
                    for image_field in form:
                        errors += ErrorLink.of(image_field, image=number)
        return errors

    def clean_title(self) -> str:
        return re.sub(r"\s+", " ", self.cleaned_data["title"]).strip()

    def clean_summary(self) -> str:
        summary = self.cleaned_data["summary"].replace("\r\n", "\n")
        if len(summary) > MAX_SUMMARY_LENGTH:
            raise ValidationError(
                _("The summary is %(length)d characters long: %(excess)d too many.")
                % {"length": len(summary), "excess": len(summary) - MAX_SUMMARY_LENGTH},
                code="summary_too_long",
            )
        return summary

    @property
    def summary_length(self) -> int:
        """What the counter under the summary shows when the page is drawn."""
        return len(str(self["summary"].value() or "").replace("\r\n", "\n").strip())

    def clean_themes(self):
        themes = self.cleaned_data["themes"]
        if len(themes) > MAX_THEMES_PER_POC:
            raise ValidationError(
                ngettext(
                    "Choose at most %(count)d theme.",
                    "Choose at most %(count)d themes.",
                    MAX_THEMES_PER_POC,
                )
                % {"count": MAX_THEMES_PER_POC}
            )
        return themes

    def clean_tags(self) -> list[str]:
        tags = normalise_tags(self.cleaned_data["tags"])
        if any(len(tag) > MAX_TAG_LENGTH for tag in tags):
            raise ValidationError(
                _("Keep each keyword under %(length)d characters.") % {"length": MAX_TAG_LENGTH}
            )
        if len(tags) > MAX_TAGS:
            raise ValidationError(_("Give at most %(count)d keywords.") % {"count": MAX_TAGS})
        return tags

    def project_values(self) -> dict[str, Any]:
        """The project as cleaned, for a first proposal as for a revision of it."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "summary": data["summary"].strip(),
            "description": data["description"].strip(),
            "themes": list(data["themes"]),
            "stage": data["stage"],
            "year": data["year"],
            "commune": data["commune"],
            "address": data["address"].strip(),
            "tags": data["tags"],
            "video_url": data["video_url"],
        }


class SubmissionForm(ProposalForm):
    """The fields a maker fills in; see `to_proposal` for what the intake receives."""

    # One of the two is required, which no single field can say: `requirement` tells the
    # template what to show beside the label instead of "optional".
    existing_maker = forms.ModelChoiceField(
        label=_("A maker already in the catalogue"),
        queryset=Maker.objects.filter(is_public=True),
        required=False,
        empty_label=_("None of them: I describe a new maker below"),
    )
    existing_maker.requirement = _("or a new maker below")
    new_maker_name = forms.CharField(label=_("Name"), max_length=200, required=False)
    new_maker_name.requirement = _("required for a new maker")
    new_maker_kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Choose a kind")), *MakerKind.choices], required=False
    )
    new_maker_kind.requirement = _("required for a new maker")
    new_maker_website = forms.URLField(
        label=_("Website"), max_length=200, required=False, assume_scheme="https"
    )
    contact_name = forms.CharField(label=_("Your name"), max_length=200)
    contact_email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("We send the link to follow your proposal to this address."),
    )
    contact_phone = forms.CharField(
        label=_("Your phone number"),
        max_length=40,
        required=False,
        validators=[phone_validator],
    )
    consent_publication = forms.BooleanField(
        label=_(
            "I hold the rights to the texts and images I send, and I agree that the Métropole "
            "publishes them on this site, with the credits I gave, once moderators approve them."
        ),
        error_messages={"required": _("Agree to the publication to send your proposal.")},
    )
    consent_personal_data = forms.BooleanField(
        label=_(
            "I agree that my name, email address and phone number are used only to follow up "
            "this proposal, as explained above."
        ),
        error_messages={
            "required": _("Agree to the processing of your contact details to send your proposal.")
        },
    )
    # Honeypot: hidden from people (CSS and aria-hidden), filled in by naive bots.
    homepage = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["homepage"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"
        self.fields["contact_phone"].widget.attrs.update({"autocomplete": "tel", "type": "tel"})

    @property
    def honeypot_filled(self) -> bool:
        return bool(self.data.get("homepage", "").strip())

    def clean(self) -> dict:
        cleaned = super().clean()
        self._clean_maker(cleaned)
        return cleaned

    def _clean_maker(self, cleaned: dict) -> None:
        existing = cleaned.get("existing_maker")
        described = any(
            cleaned.get(name) for name in ("new_maker_name", "new_maker_kind", "new_maker_website")
        )
        if existing and described:
            self.add_error(
                "existing_maker",
                _("Choose a maker from the list or describe a new one, not both."),
            )
        elif not existing and not described:
            self.add_error(
                "existing_maker", _("Choose a maker from the list or describe a new one below.")
            )
        elif described:
            if not cleaned.get("new_maker_name"):
                self.add_error("new_maker_name", _("Give the name of the maker."))
            if not cleaned.get("new_maker_kind"):
                self.add_error("new_maker_kind", _("Choose what kind of maker this is."))

    def to_proposal(self) -> Proposal:
        data = self.cleaned_data
        new_maker = None
        if not data.get("existing_maker"):
            new_maker = NewMaker(
                name=data["new_maker_name"].strip(),
                kind=data["new_maker_kind"],
                website=data["new_maker_website"],
            )
        return Proposal(
            **self.project_values(),
            images=self.images.proposed_images(),
            existing_maker=data.get("existing_maker"),
            new_maker=new_maker,
            contact=Contact(
                name=data["contact_name"].strip(),
                email=data["contact_email"],
                phone=data["contact_phone"].strip(),
            ),
        )
