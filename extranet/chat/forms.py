"""Forms of the chat's pages: they validate what people typed and chose; the services send.

Files are checked one by one by :func:`core.uploads.upload_check` through the feed's kind of
multi-file field (the same rules and limits as the feed: types and size from settings, at
most ``CHAT_MAX_ATTACHMENTS`` per message), so a message with one bad file is refused before
anything is stored and every bad file is named in the errors.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.uploads import allowed_extensions, upload_check

from .models import MESSAGE_MAX_LENGTH


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Zero or more uploaded files, each through ``upload_check``; ``cleaned_data`` holds a
    list of :class:`~core.uploads.CheckedUpload`."""

    widget = MultipleFileInput

    def __init__(self, *args, max_files: int | None = None, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.max_files = max_files

    def describe(self) -> str:
        return gettext(
            "Up to %(count)s files, each up to %(limit)s. Accepted types: %(types)s."
        ) % {
            "count": self.max_files,
            "limit": filesizeformat(settings.UPLOAD_MAX_SIZE),
            "types": ", ".join(allowed_extensions()),
        }

    def accept_attribute(self) -> str:
        return ",".join(f".{ext}" for ext in allowed_extensions())

    def clean(self, data, initial=None):
        if data in (None, False, ""):
            files = []
        elif isinstance(data, list | tuple):
            files = [f for f in data if f]
        else:
            files = [data]
        if not files:
            return []
        if self.max_files and len(files) > self.max_files:
            raise ValidationError(
                _("Too many files: at most %(limit)s per message."),
                code="too_many_files",
                params={"limit": self.max_files},
            )
        checked, errors = [], []
        for file in files:
            if not hasattr(file, "name") or not hasattr(file, "size"):
                errors.append(ValidationError(self.error_messages["invalid"], code="invalid"))
                continue
            try:
                checked.append(upload_check(file))
            except ValidationError as exc:
                errors.extend(exc.error_list)
        if errors:
            raise ValidationError(errors)
        return checked


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
    files = MultipleFileField(label=_("Attach files"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        files = self.fields["files"]
        files.max_files = settings.CHAT_MAX_ATTACHMENTS
        files.help_text = files.describe()
        files.widget.attrs["accept"] = files.accept_attribute()

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
