from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportsConfig(AppConfig):
    """Visitors support POCs with one click, without an account or any personal data."""

    name = "poc_catalogue.supports"
    label = "supports"
    verbose_name = _("POC supports")
