"""How many supports each POC has, in total and per day: counts, nothing about who gave them.

A support is never a row of its own: the browser that gave it remembers it (`browsers`), the
database only counts. So there is nothing to purge and nothing to leak.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SupportCount(models.Model):
    """The supports a POC has now, kept by `F()` updates so concurrent clicks all count."""

    page = models.OneToOneField(
        "poc_catalogue.POCPage",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="support_count",
    )
    supports = models.PositiveIntegerField(_("supports"), default=0)

    class Meta:
        verbose_name = _("support count")
        verbose_name_plural = _("support counts")

    def __str__(self) -> str:
        return f"{self.page_id}: {self.supports}"


class DailySupport(models.Model):
    """Supports given and withdrawn for a POC on one day, for the dashboard's "over time"."""

    page = models.ForeignKey(
        "poc_catalogue.POCPage", on_delete=models.CASCADE, related_name="daily_supports"
    )
    day = models.DateField(_("day"))
    given = models.PositiveIntegerField(_("given"), default=0)
    withdrawn = models.PositiveIntegerField(_("withdrawn"), default=0)

    class Meta:
        verbose_name = _("daily supports")
        verbose_name_plural = _("daily supports")
        constraints = [
            models.UniqueConstraint(fields=["page", "day"], name="one_support_row_per_poc_day")
        ]
        indexes = [models.Index(fields=["day"], name="daily_support_day")]

    def __str__(self) -> str:
        return f"{self.page_id} {self.day}: +{self.given} -{self.withdrawn}"
