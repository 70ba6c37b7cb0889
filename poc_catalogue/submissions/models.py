"""Submissions: what a maker proposed, their private contact details and where the review stands."""

from __future__ import annotations

import hashlib
import secrets

from django import forms
from django.db import models, transaction
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.models import AbstractGroupApprovalTask, TaskState

from poc_catalogue.models import POCPage

# Sent when a moderator refuses a proposal; `signals` moves it and tells the maker.
proposal_refused = Signal()

STATUS_NONCE_BYTES = 24
STATUS_TOKEN_SALT = "poc_catalogue.submissions.status-token"  # noqa: S105 - a salt, not a secret


def hash_status_token(token: str) -> str:
    """Only the hash of a status token is stored, so a database leak reveals no status link."""
    return hashlib.sha256(token.encode()).hexdigest()


class SubmissionStatus(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("submission status", "Received")
    IN_REVIEW = "in_review", pgettext_lazy("submission status", "In review")
    CHANGES_REQUESTED = "changes_requested", pgettext_lazy("submission status", "Changes requested")
    PUBLISHED = "published", pgettext_lazy("submission status", "Published")
    REJECTED = "rejected", pgettext_lazy("submission status", "Rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("submission status", "Withdrawn")


# What a maker may still withdraw: anything the catalogue has not published or refused.
WITHDRAWABLE = (
    SubmissionStatus.RECEIVED,
    SubmissionStatus.IN_REVIEW,
    SubmissionStatus.CHANGES_REQUESTED,
)


class SubmissionQuerySet(models.QuerySet):
    def with_status_token(self, token: str) -> SubmissionQuerySet:
        return self.filter(status_token_hash=hash_status_token(token))

    def for_page_id(self, page_id: int | str) -> SubmissionQuerySet:
        return self.filter(page_id=page_id)


class Submission(models.Model):
    """A POC proposed through the public form.

    The only place that holds the submitter's contact details: the draft page, the search
    index and every public view know nothing of them.
    """

    page = models.OneToOneField(
        POCPage,
        verbose_name=_("draft POC"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="submission",
    )
    title = models.CharField(_("title"), max_length=255)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.RECEIVED,
    )
    moderator_comment = models.TextField(
        _("comment to the submitter"),
        blank=True,
        help_text=_("Shown on the private status page when changes are requested or on refusal."),
    )
    status_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The status token is derived from this and the secret key, so the queued emails can
    # carry the link without the database ever holding it.
    status_nonce = models.CharField(max_length=64, blank=True, editable=False)
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    consented_to_publication_at = models.DateTimeField(_("consent to publication"))
    consented_to_processing_at = models.DateTimeField(_("consent to personal data processing"))
    contact_purged_at = models.DateTimeField(_("contact details purged"), null=True, blank=True)
    # The language the maker wrote in: every email about the proposal speaks it.
    language = models.CharField(_("language"), max_length=8, default="fr")
    # When the status link was last re-sent on request ("I lost my link"), to send it at most
    # once per `LOST_LINK_INTERVAL` whoever asks.
    status_link_resent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("submitted"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self) -> str:
        return self.title

    def issue_status_token(self) -> str:
        """Set a fresh unguessable token and return it; it is never stored in clear."""
        self.status_nonce = secrets.token_urlsafe(STATUS_NONCE_BYTES)
        token = self._derived_status_token()
        self.status_token_hash = hash_status_token(token)
        return token

    def current_status_token(self) -> str:
        """The token of the private link, for an email: derived again, never read back.

        A submission from before tokens were derived, or whose secret key changed since,
        gets a fresh token (its old link stops working; the email carries the new one).
        """
        token = self._derived_status_token() if self.status_nonce else ""
        if not token or hash_status_token(token) != self.status_token_hash:
            token = self.issue_status_token()
            self.save(update_fields=["status_nonce", "status_token_hash"])
        return token

    def _derived_status_token(self) -> str:
        return salted_hmac(STATUS_TOKEN_SALT, self.status_nonce, algorithm="sha256").hexdigest()

    @property
    def has_contact_details(self) -> bool:
        return bool(self.contact_name or self.contact_email or self.contact_phone)

    @property
    def is_editable_by_maker(self) -> bool:
        return self.status == SubmissionStatus.CHANGES_REQUESTED and self.page_id is not None

    @property
    def can_be_withdrawn(self) -> bool:
        return self.status in WITHDRAWABLE

    def purge_contact_details(self) -> None:
        self.contact_name = ""
        self.contact_email = ""
        self.contact_phone = ""
        self.contact_purged_at = timezone.now()
        self.save(
            update_fields=["contact_name", "contact_email", "contact_phone", "contact_purged_at"]
        )


class SubmissionAttempt(models.Model):
    """One POST of the submission form, keyed by a keyed hash of the client address.

    The rate limit counts these rows, so it holds across every worker process that shares
    the database; no raw address is stored.
    """

    client_hash = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    succeeded = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("submission attempt")
        verbose_name_plural = _("submission attempts")

    def __str__(self) -> str:
        return f"{self.client_hash[:8]}… {self.created_at:%Y-%m-%d %H:%M}"


class ReviewCommentForm(forms.Form):
    """The comment of a review action, saying who will read it."""

    comment = forms.CharField(
        label=_("Message to the maker"),
        help_text=_(
            "The maker reads this message on their proposal's private status page: "
            "say what to change, or why it is refused."
        ),
        widget=forms.Textarea({"rows": 4}),
    )


class ModeratorNoteForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        help_text=_("For the moderators' history: the maker does not see it."),
        required=False,
        widget=forms.Textarea({"rows": 2}),
    )


class SubmissionReviewTask(AbstractGroupApprovalTask):
    """A group approval task that can also refuse a submission outright.

    "Request changes" keeps the workflow open for a new version; "Reject" ends it and tells
    the submitter on their status page. Approving comes first: it is the page's main button.
    """

    APPROVE_ACTION = "approve"
    CHANGES_ACTION = "reject"
    REJECT_ACTION = "refuse"
    ACTIONS_TO_THE_MAKER = (CHANGES_ACTION, REJECT_ACTION)

    def get_actions(self, obj, user):
        if not super().get_actions(obj, user):
            return []
        return [
            (self.APPROVE_ACTION, _("Approve"), False),
            (self.CHANGES_ACTION, _("Request changes"), True),
            (self.REJECT_ACTION, _("Reject submission"), True),
            (self.APPROVE_ACTION, _("Approve with comment"), True),
        ]

    def get_form_for_action(self, action):
        if action in self.ACTIONS_TO_THE_MAKER:
            return ReviewCommentForm
        return ModeratorNoteForm

    def on_action(self, task_state: TaskState, user, action_name: str, **kwargs) -> str | None:
        """Act, then return where the dashboard's actions land: a page saying what happened.

        (The page editor ignores this URL; its own hook says what happened.)
        """
        if action_name == self.REJECT_ACTION:
            self.refuse(task_state, user=user, comment=kwargs.get("comment", ""))
        else:
            super().on_action(task_state, user, action_name, **kwargs)
        submission = Submission.objects.for_page_id(task_state.workflow_state.object_id).first()
        return reverse("submission_records:reviewed", args=[submission.pk]) if submission else None

    @transaction.atomic
    def refuse(self, task_state: TaskState, *, user, comment: str = "") -> None:
        """End the review without publishing: the draft stays, the submitter is told."""
        workflow_state = task_state.workflow_state
        workflow_state.cancel(user=user)
        TaskState.objects.filter(pk=task_state.pk).update(comment=comment)
        proposal_refused.send(
            sender=type(self), page_id=int(workflow_state.object_id), comment=comment
        )

    @classmethod
    def get_description(cls):
        return _(
            "Members of the chosen groups approve, request changes to or reject a submitted POC"
        )

    class Meta:
        verbose_name = _("submission review task")
        verbose_name_plural = _("submission review tasks")
