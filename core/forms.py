"""Form fields every app that takes uploads uses (the feed's posts, the chat's messages).

Files are checked one by one by :func:`core.uploads.upload_check` (type from the content, size
from settings), so a post or message with one bad file is refused before anything is stored
and every bad file is named in the errors.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext

from .uploads import allowed_extensions, upload_check


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that lets people choose several files at once (``multiple``)."""

    allow_multiple_selected = True


class CheckedFilesField(forms.FileField):
    """Zero or more uploaded files, each passed through ``upload_check``.

    ``cleaned_data`` holds a list of :class:`~core.uploads.CheckedUpload`. More than
    ``max_files`` files are refused (code ``too_many_files``) with ``too_many_message``, which
    each app passes in as its own lazy translation (``%(limit)s`` is ``max_files``): the feed
    speaks of posts, the chat of messages. The help text tells the accepted types and the
    size limit, read from settings when :meth:`describe` is called (so tests overriding them
    see their values).
    """

    widget = MultipleFileInput

    def __init__(self, *args, too_many_message, max_files: int | None = None, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.max_files = max_files
        self.too_many_message = too_many_message

    def limit_to(self, max_files: int | None) -> None:
        """Set ``max_files`` (a form calls it when it is made, from its app's setting) and the
        help text and ``accept`` attribute that follow from it and from the upload settings."""
        self.max_files = max_files
        self.help_text = self.describe()
        self.widget.attrs["accept"] = self.accept_attribute()

    def describe(self) -> str:
        types = ", ".join(allowed_extensions())
        limit = filesizeformat(settings.UPLOAD_MAX_SIZE)
        if self.max_files:
            return gettext(
                "Up to %(count)s files, each up to %(limit)s. Accepted types: %(types)s."
            ) % {"count": self.max_files, "limit": limit, "types": types}
        return gettext("Each file up to %(limit)s. Accepted types: %(types)s.") % {
            "limit": limit,
            "types": types,
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
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if self.max_files and len(files) > self.max_files:
            raise ValidationError(
                self.too_many_message,
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


# The largest primary key the database holds (a signed 64-bit integer).
MAX_ID = 2**63 - 1


def _is_id(value) -> bool:
    text = str(value).strip()
    return text.isascii() and text.isdigit() and int(text) <= MAX_ID


class IdChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField over an integer key that refuses a value that is no id (a number
    past the database's range) as an invalid choice before any query: SQLite raises
    OverflowError for it, which Django's field does not catch (a 500)."""

    def to_python(self, value):
        if value not in self.empty_values and not _is_id(value):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)
