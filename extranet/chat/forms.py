"""Forms of the chat's pages: they validate what people typed and chose; the services send.

Files are checked one by one by core's :class:`core.forms.CheckedFilesField`, the feed's field
too (through :func:`core.uploads.upload_check`: types and size from settings, at most
``CHAT_MAX_ATTACHMENTS`` per message), so a message with one bad file is refused before
anything is stored and every bad file is named in the errors.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import CheckedFilesField

from .models import MESSAGE_MAX_LENGTH


class MessageForm(forms.Form):
    """The composer «Текст сообщения...»: text and files; a message needs one of them."""

    text = forms.CharField(
        label=_("Message text"),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(
            attrs={
                "rows": 2,
                "placeholder": _("Message text..."),
                "maxlength": MESSAGE_MAX_LENGTH,
            }
        ),
        error_messages={
            "max_length": _(
                "The message is too long: %(show_value)s characters, at most %(limit_value)s."
            )
        },
    )
    files = CheckedFilesField(
        label=_("Attach files"),
        too_many_message=_("Too many files: at most %(limit)s per message."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].limit_to(settings.CHAT_MAX_ATTACHMENTS)

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("text") and not cleaned.get("files"):
            self.add_error(
                "text",
                ValidationError(_("Write something first: the message is empty."), code="empty"),
            )
        return cleaned

    def add_chat_error(self, exc) -> None:
        """A :class:`~.services.ChatError` under the field it concerns (the rest on top)."""
        field = {"empty": "text", "too_long": "text", "too_many_files": "files"}.get(
            getattr(exc, "code", None) or ""
        )
        self.add_error(field, exc.messages)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name or e-mail"), required=False, max_length=200)
