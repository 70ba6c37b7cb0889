"""What the search app stores in the database, next to the POC pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class POCSearchText(models.Model):
    """The published text of one POC for the database backend: folded, and stemmed to search.

    Written when a POC is published and when a maker, theme, commune or tag it shows is
    renamed, so the database backend matches accents the same way on SQLite and PostgreSQL.
    """

    page = models.OneToOneField(
        "poc_catalogue.POCPage",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_text",
    )
    title = models.TextField(_("folded title"))
    # Stems (`search.text.search_terms`): what queries match, as Elasticsearch's stemmer does.
    title_terms = models.TextField(_("title stems"), default="")
    text = models.TextField(_("stems of the text"))
    # The same for English searches: the title as an English visitor reads it (translated or
    # French), the translation's title stems, and the English stems of the translation's
    # text and of the names it shows (makers, tags, themes, commune).
    title_en = models.TextField(_("folded English title"), default="")
    title_terms_en = models.TextField(_("English title stems"), default="")
    text_en = models.TextField(_("English stems of the text"), default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("POC search text")
        verbose_name_plural = _("POC search texts")
        # Trigrams let PostgreSQL answer `text LIKE '% stem %'` from the index instead of
        # reading every text; created on PostgreSQL only (migration 0004).
        indexes = [
            GinIndex(fields=["text"], opclasses=["gin_trgm_ops"], name="search_text_trigrams"),
            GinIndex(
                fields=["text_en"], opclasses=["gin_trgm_ops"], name="search_text_en_trigrams"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PendingIndexUpdate(models.Model):
    """A POC whose Elasticsearch update failed (cluster down or slow), to retry later.

    Drained by the next successful sync and by `catalogue_index reconcile`.
    """

    page_id = models.BigIntegerField(_("page id"), unique=True)
    queued_at = models.DateTimeField(auto_now=True)
    attempts = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("pending index update")
        verbose_name_plural = _("pending index updates")

    def __str__(self) -> str:
        return str(self.page_id)


class IndexOperation(models.Model):
    """One rebuild or reconcile of the catalogue index: when, who asked, how it ended.

    Written by `catalogue_index rebuild|reconcile` and by the dashboard's "reconcile now",
    read by the dashboard's index health panel.
    """

    class Kind(models.TextChoices):
        REBUILD = "rebuild", _("Rebuild")
        RECONCILE = "reconcile", _("Reconcile")

    class Outcome(models.TextChoices):
        RUNNING = "running", _("In progress")
        SUCCEEDED = "succeeded", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("operation"), max_length=20, choices=Kind.choices)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.RUNNING
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Documents written (rebuild: every published POC; reconcile: those repaired), removed
    # from the index, and refused by Elasticsearch (kept for a retry).
    indexed = models.PositiveIntegerField(_("documents indexed"), default=0)
    removed = models.PositiveIntegerField(_("documents removed"), default=0)
    failed = models.PositiveIntegerField(_("documents refused"), default=0)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        verbose_name = _("index operation")
        verbose_name_plural = _("index operations")
        get_latest_by = "started_at"
        ordering = ["-started_at"]
        permissions = [("reconcile_index", _("Can reconcile the catalogue index"))]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def corrected(self) -> int:
        return self.indexed + self.removed


class SynonymSet(models.Model):
    """Words staff declare equivalent: a query word of the set finds any of them.

    Applied when a query is read (`search.steering`), on both backends, without a reindex.
    """

    words = models.CharField(
        _("synonyms"),
        max_length=255,
        help_text=_(
            "Words separated by commas, e.g. “vélo, bicyclette, cycle”. A search for one of "
            "them also finds the others."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("synonyms")
        verbose_name_plural = _("synonyms")
        ordering = ["words"]

    def __str__(self) -> str:
        return self.words

    @property
    def members(self) -> list[str]:
        """The set's words and expressions, trimmed, once each, in the order written."""
        return list(dict.fromkeys(word.strip() for word in self.words.split(",") if word.strip()))


class SearchQueryDay(models.Model):
    """How often visitors searched a text one day, in one language: nothing about who.

    No address, user, cookie or session: the normalised text (`search.steering.normalised_query`),
    the day and counts. Deleted after `SHOWCASE_SEARCH_STATS_RETENTION_DAYS`.
    """

    query = models.CharField(_("search"), max_length=255)
    day = models.DateField(_("day"))
    language = models.CharField(_("language"), max_length=8)
    searches = models.PositiveIntegerField(_("searches"), default=0)
    zero_result_searches = models.PositiveIntegerField(_("searches without results"), default=0)
    last_results = models.PositiveIntegerField(_("results (last search)"), default=0)

    class Meta:
        verbose_name = _("visitor search")
        verbose_name_plural = _("visitor searches")
        constraints = [
            models.UniqueConstraint(
                fields=["query", "day", "language"], name="search_query_day_unique"
            )
        ]
        indexes = [models.Index(fields=["day"], name="search_query_day_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.language} {self.query}"


class PendingSupportCount(models.Model):
    """A POC whose support count changed since the last batch sent counts to the index
    (`search.support_counts`): a page id, nothing about who supported it."""

    page_id = models.BigIntegerField(_("page id"), unique=True)

    class Meta:
        verbose_name = _("pending support count")
        verbose_name_plural = _("pending support counts")

    def __str__(self) -> str:
        return str(self.page_id)
