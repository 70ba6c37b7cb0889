"""The images of a proposal: one to eight, each a file, a description and a credit.

A formset of `ImageForm`; the formset counts them, weighs their pixels together, and only then
decodes and re-encodes each one (`uploads.clean_uploaded_image`).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .proposals import ProposedImage
from .uploads import (
    ACCEPTED_CONTENT_TYPES,
    MAX_TOTAL_PIXELS,
    clean_uploaded_image,
    image_pixels,
    total_pixels_error,
)

IMAGE_SLOTS = 8
ALT_TEXT_REQUIRED = _("Describe this image for people who cannot see it.")
CREDIT_REQUIRED = _("Give the author of this image.")


class ImageForm(forms.Form):
    """One image of the project: its file, its description for people who cannot see it, its credit.

    The file is decoded and re-encoded by the formset, once the total of pixels is known to fit.
    """

    file = forms.FileField(
        label=_("Image file"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPTED_CONTENT_TYPES}),
    )
    alt_text = forms.CharField(
        label=_("Description of the image for people who cannot see it"),
        max_length=255,
        required=False,
    )
    credit = forms.CharField(
        label=_("Credit (author of the photo or picture)"), max_length=255, required=False
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("file"):
            if not cleaned.get("alt_text"):
                self.add_error("alt_text", ALT_TEXT_REQUIRED)
            if not cleaned.get("credit"):
                self.add_error("credit", CREDIT_REQUIRED)
        elif cleaned.get("alt_text") or cleaned.get("credit"):
            self.add_error(
                "file", _("Choose the file of this image, or clear its description and credit.")
            )
        return cleaned


class BaseImageFormSet(forms.BaseFormSet):
    """One to eight images: counted, then weighed in pixels, then each decoded and re-encoded."""

    def clean(self) -> None:
        if not self.forms:  # the management form is missing: Django has said so
            return
        sent = sum(len(self.files.getlist(name)) for name in self.files)
        first = self.forms[0]
        if sent > IMAGE_SLOTS:
            first.add_error("file", _("Send at most %(count)d images.") % {"count": IMAGE_SLOTS})
            return
        with_file = [form for form in self.forms if form.cleaned_data.get("file")]
        if not with_file:
            if not first.has_error("file"):
                first.add_error("file", _("Add at least one image of the project."))
            return
        total = sum(image_pixels(form.cleaned_data["file"]) for form in with_file)
        if total > MAX_TOTAL_PIXELS:
            first.add_error("file", total_pixels_error(total))
            return
        for form in with_file:
            try:
                form.cleaned_data["file"] = clean_uploaded_image(form.cleaned_data["file"])
            except ValidationError as error:
                form.add_error("file", error)

    @property
    def more_need_attention(self) -> bool:
        """Whether an optional image has an error, so the template opens them all."""
        return self.is_bound and any(form.errors for form in self.forms[1:])

    def proposed_images(self) -> list[ProposedImage]:
        return [
            ProposedImage(
                image=form.cleaned_data["file"],
                alt_text=form.cleaned_data["alt_text"],
                credit=form.cleaned_data["credit"],
            )
            for form in self.forms
            if form.cleaned_data.get("file")
        ]


ImageFormSet = forms.formset_factory(
    ImageForm,
    formset=BaseImageFormSet,
    extra=IMAGE_SLOTS,
    max_num=IMAGE_SLOTS,
    absolute_max=IMAGE_SLOTS,
    validate_max=True,
)
IMAGES_PREFIX = "images"
