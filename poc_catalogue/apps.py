from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class POCCatalogueConfig(AppConfig):
    name = "poc_catalogue"
    verbose_name = _("POC catalogue")
