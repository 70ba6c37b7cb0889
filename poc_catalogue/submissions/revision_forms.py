"""The forms a maker uses from the private status link: revising a proposal, asking for lost links.

`RevisionForm` is the submission form's project part (`ProposalForm`: same fields, same
checks, same image rules) plus the images the draft already holds, which the maker keeps,
describes again, reorders or removes. Those come back as ids: only the draft's own images are
accepted, each once, so a forged post cannot pull another proposal's image into this one.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from poc_catalogue.models import POCPage

from .forms import ErrorLink, ProposalForm, _describe_error
from .image_forms import ALT_TEXT_REQUIRED, CREDIT_REQUIRED, IMAGE_SLOTS
from .proposals import DraftImage, ProposalRevision
from .revisions import description_of, video_url_of

CURRENT_IMAGES_PREFIX = "current"


class CurrentImageForm(forms.Form):
    """One image of the draft: kept or removed, its place in the order, its words."""

    image = forms.IntegerField(widget=forms.HiddenInput)
    position = forms.IntegerField(label=_("Position"), min_value=1, max_value=IMAGE_SLOTS)
    alt_text = forms.CharField(
        label=_("Description of the image for people who cannot see it"),
        max_length=255,
        required=False,
    )
    credit = forms.CharField(
        label=_("Credit (author of the photo or picture)"), max_length=255, required=False
    )
    remove = forms.BooleanField(label=_("Remove this image"), required=False)

    def clean(self) -> dict:
        cleaned = super().clean()
        if not cleaned.get("remove"):
            if not cleaned.get("alt_text"):
                self.add_error("alt_text", ALT_TEXT_REQUIRED)
            if not cleaned.get("credit"):
                self.add_error("credit", CREDIT_REQUIRED)
        return cleaned


class BaseCurrentImageFormSet(forms.BaseFormSet):
    def __init__(self, *args, draft_images: dict | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The draft's images by id: the only ones a post may name.
        self.draft_images = draft_images or {}

    def clean(self) -> None:
        named = [form.cleaned_data.get("image") for form in self.forms]
        if len(set(named)) != len(named) or not set(named) <= set(self.draft_images):
            raise ValidationError(_("The images of the draft changed: reload the page."))

    def kept(self) -> list[forms.Form]:
        """The images kept, in the order the maker gave (ties keep the page's order)."""
        kept = [form for form in self.forms if not form.cleaned_data.get("remove")]
        return sorted(kept, key=lambda form: form.cleaned_data["position"])

    def kept_sizes(self) -> list[tuple[int, int]]:
        """Width and height of the images kept, for the new images' limits (read even when
        another field is wrong, so the new images get their own errors, not invented ones)."""
        sizes = []
        for form in self.forms:
            cleaned = getattr(form, "cleaned_data", {})
            image = self.draft_images.get(cleaned.get("image"))
            if image is not None and not cleaned.get("remove"):
                sizes.append((image.width, image.height))
        return sizes


CurrentImageFormSet = forms.formset_factory(
    CurrentImageForm,
    formset=BaseCurrentImageFormSet,
    extra=0,
    max_num=IMAGE_SLOTS,
    absolute_max=IMAGE_SLOTS,
    validate_max=True,
)


class RevisionForm(ProposalForm):
    """The proposal as its draft stands now, for the maker to change and send back."""

    def __init__(self, data=None, files=None, *, draft: POCPage, **kwargs) -> None:
        if data is None:
            kwargs.setdefault("initial", initial_from_draft(draft))
        super().__init__(data, files, **kwargs)
        draft_images = images_of(draft)
        self.current_images = CurrentImageFormSet(
            data,
            prefix=CURRENT_IMAGES_PREFIX,
            initial=[
                {"image": image.pk, "position": number, "alt_text": alt, "credit": credit}
                for number, (image, alt, credit) in enumerate(draft_images, start=1)
            ],
            draft_images={image.pk: image for image, _, _ in draft_images},
        )
        self.draft_images = {image.pk: image for image, _, _ in draft_images}

    def current_slots(self) -> list[tuple[forms.Form, object]]:
        """Each draft image's form with the image itself, for its thumbnail."""
        return [
            (form, self.draft_images.get(form.initial.get("image"))) for form in self.current_images
        ]

    def is_valid(self) -> bool:
        current_valid = self.current_images.is_valid()
        self.images.other_images = self.current_images.kept_sizes()
        return super().is_valid() and current_valid

    def full_clean(self) -> None:
        super().full_clean()
        for form in self.current_images:
            for name in form.errors:
                if name in form.fields:
                    _describe_error(form[name])

    def error_links(self) -> list[ErrorLink]:
        errors = super().error_links()
        errors += [ErrorLink("", str(error)) for error in self.current_images.non_form_errors()]
        for number, form in enumerate(self.current_images, start=1):
            for field in form:
                errors += ErrorLink.of(field, image=number)
        return errors

    def to_revision(self) -> ProposalRevision:
        kept: list = [
            DraftImage(
                image_id=form.cleaned_data["image"],
                alt_text=form.cleaned_data["alt_text"],
                credit=form.cleaned_data["credit"],
            )
            for form in self.current_images.kept()
        ]
        return ProposalRevision(
            **self.project_values(), images=kept + self.images.proposed_images()
        )


def images_of(draft: POCPage) -> list[tuple]:
    """The draft's images in order, each with its description and credit: the hero first."""
    images = []
    if draft.hero_image is not None:
        images.append((draft.hero_image, draft.hero_alt_text, draft.hero_credit))
    for item in draft.gallery_images.all():
        if item.image is not None:
            images.append((item.image, item.alt_text, item.credit))
    return images[:IMAGE_SLOTS]


def initial_from_draft(draft: POCPage) -> dict:
    return {
        "title": draft.title,
        "summary": draft.summary,
        "description": description_of(draft),
        "themes": [theme.pk for theme in draft.themes.all()],
        "stage": draft.stage,
        "year": draft.year,
        "commune": draft.commune_id,
        "address": draft.address,
        "tags": ", ".join(tag.name for tag in draft.tags.all()),
        "video_url": video_url_of(draft),
    }


class LostLinkForm(forms.Form):
    """ "I lost my link": the address the proposals were sent from, and a trap for bots."""

    email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("The address you gave when you sent your proposal."),
    )
    homepage = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["homepage"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    @property
    def honeypot_filled(self) -> bool:
        return bool(str(self.data.get("homepage", "")).strip())
