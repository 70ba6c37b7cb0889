from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    """Visitors' comments under a POC, published once a moderator approves them."""

    name = "poc_catalogue.comments"
    label = "comments"
    verbose_name = _("POC comments")

    def ready(self) -> None:
        from . import signals  # noqa: F401
