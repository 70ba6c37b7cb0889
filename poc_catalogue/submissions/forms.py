"""The public "Propose a POC" form: every field is hostile until cleaned."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit.utils import parse_tags

from poc_catalogue.models import MAX_THEMES_PER_POC, Commune, Maker, MakerKind, Stage, Theme

from .proposals import Contact, NewMaker, Proposal, ProposedImage
from .uploads import (
    ACCEPTED_CONTENT_TYPES,
    MAX_TOTAL_PIXELS,
    clean_uploaded_image,
    image_pixels,
    total_pixels_error,
)

IMAGE_SLOTS = 8
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

ALT_TEXT_REQUIRED = _("Describe this image for people who cannot see it.")
CREDIT_REQUIRED = _("Give the author of this image.")

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


class ImageSlot:
    """The names of the three fields that make one image: file, alternative text, credit."""

    def __init__(self, number: int) -> None:
        self.number = number
        self.file = f"image_{number}"
        self.alt_text = f"image_{number}_alt"
        self.credit = f"image_{number}_credit"


IMAGE_SLOT_NAMES = [ImageSlot(number) for number in range(1, IMAGE_SLOTS + 1)]


class SubmissionForm(forms.Form):
    """The fields a maker fills in; see `to_proposal` for what the intake receives."""

    title = forms.CharField(label=_("Project title"), max_length=120)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=280,
        widget=forms.Textarea(attrs={"rows": 3}),
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
    existing_maker = forms.ModelChoiceField(
        label=_("A maker already in the catalogue"),
        queryset=Maker.objects.filter(is_public=True),
        required=False,
        empty_label=_("None of them: I describe a new maker below"),
    )
    new_maker_name = forms.CharField(label=_("Name"), max_length=200, required=False)
    new_maker_kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Choose a kind")), *MakerKind.choices], required=False
    )
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
        for slot in IMAGE_SLOT_NAMES:
            first = slot.number == 1
            self.fields[slot.file] = forms.FileField(
                label=_("Image file"),
                required=first,
                widget=forms.FileInput(attrs={"accept": ACCEPTED_CONTENT_TYPES}),
                error_messages={"required": _("Add at least one image of the project.")},
            )
            self.fields[slot.alt_text] = forms.CharField(
                label=_("Description of the image for people who cannot see it"),
                max_length=255,
                required=first,
                error_messages={"required": ALT_TEXT_REQUIRED},
            )
            self.fields[slot.credit] = forms.CharField(
                label=_("Credit (author of the photo or picture)"),
                max_length=255,
                required=first,
                error_messages={"required": CREDIT_REQUIRED},
            )
        self.fields["themes"].label_from_instance = lambda theme: theme.label
        self.fields["homepage"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"
        self.fields["contact_phone"].widget.attrs.update({"autocomplete": "tel", "type": "tel"})
        self.fields["summary"].widget.attrs["maxlength"] = 280

    def full_clean(self) -> None:
        """Tie each error to its field for assistive technologies."""
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            bound = self[name]
            described_by = [f"{bound.auto_id}_error"]
            if bound.help_text:
                described_by.append(f"{bound.auto_id}_helptext")
            bound.field.widget.attrs.update(
                {"aria-invalid": "true", "aria-describedby": " ".join(described_by)}
            )

    @property
    def honeypot_filled(self) -> bool:
        return bool(self.data.get("homepage", "").strip())

    def image_slots(self) -> list[dict]:
        """The eight image slots as groups of bound fields, for the template."""
        slots = [
            {
                "number": slot.number,
                "file": self[slot.file],
                "alt_text": self[slot.alt_text],
                "credit": self[slot.credit],
            }
            for slot in IMAGE_SLOT_NAMES
        ]
        for slot in slots:
            slot["has_errors"] = any(slot[name].errors for name in ("file", "alt_text", "credit"))
        return slots

    @property
    def extra_image_errors(self) -> bool:
        """Whether an optional image slot needs attention, so the template shows them all."""
        return any(slot["has_errors"] for slot in self.image_slots()[1:])

    def clean_title(self) -> str:
        return re.sub(r"\s+", " ", self.cleaned_data["title"]).strip()

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

    def clean(self) -> dict:
        cleaned = super().clean()
        self._clean_images(cleaned)
        self._clean_maker(cleaned)
        return cleaned

    def _clean_images(self, cleaned: dict) -> None:
        sent = sum(len(self.files.getlist(name)) for name in self.files)
        if sent > IMAGE_SLOTS:
            self.add_error(
                IMAGE_SLOT_NAMES[0].file,
                _("Send at most %(count)d images.") % {"count": IMAGE_SLOTS},
            )
            return
        total = sum(
            image_pixels(cleaned[slot.file]) for slot in IMAGE_SLOT_NAMES if cleaned.get(slot.file)
        )
        if total > MAX_TOTAL_PIXELS:
            self.add_error(IMAGE_SLOT_NAMES[0].file, total_pixels_error(total))
            return
        for slot in IMAGE_SLOT_NAMES:
            upload = cleaned.get(slot.file)
            if not upload:
                continue
            if not cleaned.get(slot.alt_text):
                self.add_error(
                    slot.alt_text, _("Describe this image for people who cannot see it.")
                )
            if not cleaned.get(slot.credit):
                self.add_error(slot.credit, _("Give the author of this image."))
            try:
                cleaned[slot.file] = clean_uploaded_image(upload)
            except ValidationError as error:
                self.add_error(slot.file, error)

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
        images = [
            ProposedImage(
                image=data[slot.file], alt_text=data[slot.alt_text], credit=data[slot.credit]
            )
            for slot in IMAGE_SLOT_NAMES
            if data.get(slot.file)
        ]
        new_maker = None
        if not data.get("existing_maker"):
            new_maker = NewMaker(
                name=data["new_maker_name"].strip(),
                kind=data["new_maker_kind"],
                website=data["new_maker_website"],
            )
        return Proposal(
            title=data["title"],
            summary=data["summary"].strip(),
            description=data["description"].strip(),
            themes=list(data["themes"]),
            stage=data["stage"],
            commune=data["commune"],
            address=data["address"].strip(),
            tags=data["tags"],
            images=images,
            video_url=data["video_url"],
            existing_maker=data.get("existing_maker"),
            new_maker=new_maker,
            contact=Contact(
                name=data["contact_name"].strip(),
                email=data["contact_email"],
                phone=data["contact_phone"].strip(),
            ),
        )
