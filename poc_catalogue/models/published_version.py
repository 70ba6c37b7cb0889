"""One number that changes whenever something a visitor sees may have changed."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublishedVersion(models.Model):
    """A single row: its `number` goes up with every publication, unpublication, deletion,
    move, privacy change, and edit of a theme, commune, maker, tag, image or document.

    It is written in the transaction of the change, so a process that reads the new number
    also reads the new content. Pages cache what they show under it (`published_cache.py`):
    every gunicorn worker, on every machine, stops using a stale fragment the moment the
    change commits, with no shared cache server.
    """

    number = models.PositiveBigIntegerField(_("number"), default=0)
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("published content version")

    def __str__(self) -> str:
        return f"{self.number} ({self.changed_at:%Y-%m-%d %H:%M:%S})"
