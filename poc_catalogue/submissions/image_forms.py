"""The images of a proposal: one to eight, each a file, a description and a credit.

A formset of `ImageForm`; the formset counts them, weighs their pixels together, and only then
decodes and re-encodes each one (`uploads.clean_uploaded_image`). An image accepted by an
attempt the form refused for another reason comes back as a token (`kept_images`).
"""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .kept_images import KeptImage, KeptImages
from .proposals import ProposedImage
from .uploads import (
    ACCEPTED_CONTENT_TYPES,
    MAX_TOTAL_PIXELS,
    CleanImage,
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
    kept = forms.CharField(label=_("Kept image"), widget=forms.HiddenInput, required=False)
    remove_kept = forms.BooleanField(label=_("Remove this image"), required=False)

    def __init__(self, *args, kept_images: KeptImages | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kept_images = kept_images
        # The image of an earlier attempt this form still holds, then the one it now keeps.
        self.kept_image: KeptImage | None = None
        self.kept_now: KeptImage | None = None

    def clean(self) -> dict:
        cleaned = super().clean()
        token = cleaned.get("kept")
        if token and not cleaned.get("file") and not cleaned.get("remove_kept"):
            self.kept_image = self.kept_images.take(token) if self.kept_images else None
            if self.kept_image is None:
                self.add_error(
                    "file",
                    _(
                        "The image you chose earlier is no longer kept (after a day, or in "
                        "another browser): choose it again."
                    ),
                )
                return cleaned
        if cleaned.get("file") or self.kept_image:
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
    """One to eight images: counted, then weighed in pixels, then each decoded and re-encoded.

    When a maker revises a proposal, the images its draft keeps count too (`other_images`:
    their width and height, set before validation).
    """

    other_images: Sequence[tuple[int, int]] = ()

    def clean(self) -> None:
        if not self.forms:  # the management form is missing: Django has said so
            return
        sent = sum(len(self.files.getlist(name)) for name in self.files)
        first = self.forms[0]
        if sent + len(self.other_images) > IMAGE_SLOTS:
            first.add_error("file", _("Send at most %(count)d images.") % {"count": IMAGE_SLOTS})
            return
        with_file = [form for form in self.forms if form.cleaned_data.get("file")]
        kept = [form.kept_image.image for form in self.forms if form.kept_image]
        if not with_file and not kept:
            if not self.other_images and not any(form.has_error("file") for form in self.forms):
                first.add_error("file", _("Add at least one image of the project."))
            return
        if len(with_file) + len(kept) + len(self.other_images) > IMAGE_SLOTS:
            first.add_error("file", _("Send at most %(count)d images.") % {"count": IMAGE_SLOTS})
            return
        total = sum(image_pixels(form.cleaned_data["file"]) for form in with_file)
        total += sum(image.width * image.height for image in kept)
        total += sum(width * height for width, height in self.other_images)
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
        """Whether an optional image has an error or is kept, so the template opens them all."""
        return self.is_bound and any(form.errors or form.kept_now for form in self.forms[1:])

    def proposed_images(self) -> list[ProposedImage]:
        return [
            ProposedImage(
                image=form.cleaned_data.get("file") or form.kept_image.image,
                alt_text=form.cleaned_data["alt_text"],
                credit=form.cleaned_data["credit"],
            )
            for form in self.forms
            if form.cleaned_data.get("file") or form.kept_image
        ]

    def keep_accepted_images(self) -> None:
        """After a refused attempt: keep each image that passed, for the re-rendered form."""
        for form in self.forms:
            clean = getattr(form, "cleaned_data", {}).get("file")
            if isinstance(clean, CleanImage) and self.form_kwargs.get("kept_images"):
                upload = self.files.get(form.add_prefix("file"))
                form.kept_now = self.form_kwargs["kept_images"].keep(
                    clean, getattr(upload, "name", "")
                )
            else:
                form.kept_now = form.kept_image

    def forget_kept_images(self) -> None:
        """Once the proposal holds them, the kept files go."""
        for form in self.forms:
            if form.kept_image and form.kept_images:
                form.kept_images.forget(form.kept_image)

    @property
    def kept_now(self) -> list[KeptImage]:
        return [form.kept_now for form in self.forms if form.kept_now]

    @property
    def files_not_kept(self) -> bool:
        """Whether a file was sent that the re-rendered form does not hold."""
        return any(
            self.files.get(form.add_prefix("file")) and not form.kept_now for form in self.forms
        )


ImageFormSet = forms.formset_factory(
    ImageForm,
    formset=BaseImageFormSet,
    extra=IMAGE_SLOTS,
    max_num=IMAGE_SLOTS,
    absolute_max=IMAGE_SLOTS,
    validate_max=True,
)
IMAGES_PREFIX = "images"
