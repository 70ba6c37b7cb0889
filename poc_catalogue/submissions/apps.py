from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    """Makers propose POCs through a public form; staff review them as Wagtail drafts."""

    name = "poc_catalogue.submissions"
    label = "submissions"
    verbose_name = _("POC submissions")

    def ready(self) -> None:
        from . import signals  # noqa: F401
