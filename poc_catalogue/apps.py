from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class POCCatalogueConfig(AppConfig):
    name = "poc_catalogue"
    verbose_name = _("POC catalogue")

    def ready(self) -> None:
        from . import published_cache, renditions  # noqa: F401  (connect their receivers)
        from .admin_search import index_after_migrate

        post_migrate.connect(index_after_migrate, sender=self)
