"""A visitor's comment on a POC: plain text, shown only once a moderator approved it.

The optional email is for a moderator's reply only: never shown, indexed or exported, and
erased on the schedule of submission contacts (`retention`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from poc_catalogue.models import POCPage

MAX_NAME_LENGTH = 60
MAX_BODY_LENGTH = 1000
MAX_REPLY_LENGTH = 2000


class CommentStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("comment status", "Waiting for moderation")
    APPROVED = "approved", pgettext_lazy("comment status", "Approved")
    REJECTED = "rejected", pgettext_lazy("comment status", "Rejected")


class CommentQuerySet(models.QuerySet):
    def published(self) -> CommentQuerySet:
        return self.filter(status=CommentStatus.APPROVED)

    def waiting(self) -> CommentQuerySet:
        """What moderators have to look at: new comments and reported ones."""
        return self.filter(status=CommentStatus.PENDING)


class Comment(models.Model):
    page = models.ForeignKey(
        POCPage, verbose_name=_("POC"), on_delete=models.CASCADE, related_name="comments"
    )
    display_name = models.CharField(_("name shown"), max_length=MAX_NAME_LENGTH)
    body = models.TextField(_("comment"), max_length=MAX_BODY_LENGTH)
    email = models.EmailField(_("email for a reply"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=CommentStatus.choices, default=CommentStatus.PENDING
    )
    reported = models.BooleanField(
        _("reported"), default=False, help_text=_("A visitor reported it after its approval.")
    )
    reply = models.TextField(_("staff reply"), max_length=MAX_REPLY_LENGTH, blank=True)
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    email_purged_at = models.DateTimeField(_("email erased"), null=True, blank=True)
    created_at = models.DateTimeField(_("posted"), default=timezone.now, db_index=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at"]
        permissions = [("moderate_comment", _("Can moderate comments"))]

    def __str__(self) -> str:
        return f"{self.display_name}: {self.body[:40]}"

    @property
    def is_published(self) -> bool:
        return self.status == CommentStatus.APPROVED

    def purge_email(self) -> None:
        self.email = ""
        self.email_purged_at = timezone.now()
        self.save(update_fields=["email", "email_purged_at"])
