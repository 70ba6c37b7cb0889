"""The comment form: every field is hostile until cleaned; the comment is kept as plain text."""

from __future__ import annotations

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import MAX_BODY_LENGTH, MAX_NAME_LENGTH, MAX_REPLY_LENGTH

# Control characters (but line breaks and tabs) and the invisible ones that reorder text.
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def plain_text(value: str, *, one_line: bool = False) -> str:
    """The text without control or direction characters, line breaks normalised.

    HTML is not removed: it is stored as typed and escaped wherever it is shown."""
    value = _INVISIBLE.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    value = "".join(
        char for char in value if char in "\n\t" or not unicodedata.category(char).startswith("C")
    )
    if one_line:
        return " ".join(value.split())
    return re.sub(r"\n{3,}", "\n\n", value).strip()


def _too_long(text: str, limit: int) -> None:
    if len(text) > limit:
        raise ValidationError(
            _("This text is %(length)d characters long: keep it under %(limit)d.")
            % {"length": len(text), "limit": limit},
            code="too_long",
        )


class CommentForm(forms.Form):
    # Lengths are checked in `clean_*`, not by the browser's `maxlength`, which cuts a pasted
    # text without a word.
    display_name = forms.CharField(
        label=_("Your name or pseudonym"),
        help_text=_("Shown with your comment, at most %(limit)d characters.")
        % {"limit": MAX_NAME_LENGTH},
    )
    body = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "At most %(limit)d characters, plain text. Links are shown as text, never as links."
        )
        % {"limit": MAX_BODY_LENGTH},
    )
    email = forms.EmailField(
        label=_("Your email address"),
        required=False,
        max_length=254,
        help_text=_(
            "Only if you would like a reply from the Métropole: never shown, erased after "
            "%(days)s days."
        ),
    )
    # Honeypot: hidden from people (CSS and aria-hidden), filled in by naive bots.
    homepage = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, retention_days: int = 365, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = self.fields["email"].help_text % {"days": retention_days}
        self.fields["homepage"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["display_name"].widget.attrs["autocomplete"] = "nickname"

    def full_clean(self) -> None:
        """Tie each error to its field for assistive technologies."""
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"id_{name}_error"}
                )

    @property
    def honeypot_filled(self) -> bool:
        return bool(str(self.data.get("homepage", "")).strip())

    def clean_display_name(self) -> str:
        name = plain_text(self.cleaned_data["display_name"], one_line=True)
        if not name:
            raise ValidationError(_("Give a name or a pseudonym."), code="required")
        _too_long(name, MAX_NAME_LENGTH)
        return name

    def clean_body(self) -> str:
        body = plain_text(self.cleaned_data["body"])
        if not body:
            raise ValidationError(_("Write your comment."), code="required")
        _too_long(body, MAX_BODY_LENGTH)
        return body


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Reply"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Shown under the comment once it is approved, and emailed to the commenter if they "
            "left an address."
        ),
    )

    def clean_reply(self) -> str:
        reply = plain_text(self.cleaned_data["reply"])
        if not reply:
            raise ValidationError(_("Write a reply."), code="required")
        _too_long(reply, MAX_REPLY_LENGTH)
        return reply
