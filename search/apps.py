from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Catalogue search")

    def ready(self) -> None:
        from . import steering, support_counts, sync  # noqa: F401  (connect the signals)
