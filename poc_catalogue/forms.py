from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.forms import WagtailAdminPageForm

REQUIRED_MESSAGES = {
    "summary": _("Write a short summary: it appears on cards and in search results."),
    "hero_image": _("Choose a hero image: it appears on cards and at the top of the page."),
    "hero_alt_text": _("Describe the hero image for people who cannot see it."),
    "commune": _("Choose the commune where the POC takes place."),
    "stage": _("Choose the step the POC has reached."),
    "year": _("Enter the year of the POC, for example 2020."),
}


class POCPageForm(WagtailAdminPageForm):
    """The staff edit form: plain-language messages and rules that span several fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in REQUIRED_MESSAGES.items():
            if name in self.fields:
                self.fields[name].error_messages["required"] = message

    def clean(self):
        cleaned_data = super().clean()
        from .models import MAX_THEMES_PER_POC

        themes = cleaned_data.get("themes")
        if "themes" in self.fields and themes is not None:
            count = len(themes)
            if count == 0:
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
