from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.forms import WagtailAdminPageForm

from .limits import MAX_THEMES_PER_POC
from .slugs import ascii_slug

REQUIRED_MESSAGES = {
    "summary": _("Write a short summary: it appears on cards and in search results."),
    "hero_image": _("Choose a hero image: it appears on cards and at the top of the page."),
    "hero_alt_text": _("Describe the hero image for people who cannot see it."),
    "commune": _("Choose the commune where the POC takes place."),
    "stage": _("Choose the step the POC has reached."),
    "year": _("Enter the year of the POC, for example 2020."),
}


def kept_forms(formset) -> list:
    """The forms of an inline formset that hold something and are not being deleted."""
    formset.is_valid()  # the page form is cleaned before its formsets; clean them now
    return [
        form
        for form in formset.forms
        if getattr(form, "cleaned_data", None)
        and not (formset.can_delete and formset._should_delete_form(form))
    ]


class ASCIISlugPageForm(WagtailAdminPageForm):
    """A page form whose slug is ASCII, as every other slug is, and may be left empty."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False

    def clean_slug(self) -> str:
        """The slug in ASCII; from the title when the field is empty.

        The admin fills the slug from the title as staff type, but a draft saved at once (or
        without JavaScript) can arrive without it.
        """
        return ascii_slug(self.cleaned_data["slug"] or self.cleaned_data.get("title") or "")


class POCPageForm(ASCIISlugPageForm):
    """The staff edit form: plain-language messages and rules that span several fields.

    A draft saves with what is there; publishing (or submitting for review) needs it all.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in REQUIRED_MESSAGES.items():
            if name in self.fields:
                self.fields[name].error_messages["required"] = message
        if "summary" in self.fields:
            self.fields["summary"].error_messages["max_length"] = _(
                "Keep the summary to %(limit_value)d characters at most (it has %(show_value)d): "
                "it must fit on a card."
            )

    def clean(self):
        cleaned_data = super().clean()
        # Saving a draft defers what publishing requires (Wagtail's deferred validation):
        # a draft keeps what is there, however incomplete.
        publishing = not self.is_deferred_validation

        makers = self.formsets.get("poc_makers")
        if publishing and makers is not None and not self._has_a_maker(makers):
            self.add_error(
                None,
                _(
                    "Add at least one maker in the Classification tab: who carries the POC, "
                    "and with which designers."
                ),
            )

        themes = cleaned_data.get("themes")
        if "themes" in self.fields and themes is not None:
            count = len(themes)
            if count == 0 and publishing:
                self.add_error("themes", _("Choose at least one theme."))
            elif count > MAX_THEMES_PER_POC:
                self.add_error(
                    "themes",
                    ngettext(
                        "Choose at most %(max)d theme (you chose %(count)d).",
                        "Choose at most %(max)d themes (you chose %(count)d).",
                        MAX_THEMES_PER_POC,
                    )
                    % {"max": MAX_THEMES_PER_POC, "count": count},
                )
        return cleaned_data

    @staticmethod
    def _has_a_maker(formset) -> bool:
        return any(form.cleaned_data.get("maker") for form in kept_forms(formset))


class TrailPageForm(ASCIISlugPageForm):
    """The staff trail form: a draft keeps what is there; publishing needs a theme colour and
    at least two stops, each POC once."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "theme" in self.fields:
            self.fields["theme"].error_messages["required"] = _(
                "Choose the theme whose colour the trail takes."
            )

    def clean(self):
        cleaned_data = super().clean()
        stops = self.formsets.get("stops")
        if stops is None:
            return cleaned_data
        chosen = [
            form.cleaned_data["poc"].pk
            for form in kept_forms(stops)
            if form.cleaned_data.get("poc")
        ]
        if len(set(chosen)) < len(chosen):
            self.add_error(
                None, _("Each POC can be a stop only once on a trail: remove the repeated one.")
            )
        if not self.is_deferred_validation and len(chosen) < 2:
            self.add_error(None, _("Add at least two stops: a trail goes from one POC to another."))
        return cleaned_data
