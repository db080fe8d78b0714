"""Forms of the feed pages: they validate what people typed and chose; the services change.

Files are checked one by one by core's :class:`core.forms.CheckedFilesField` (through
:func:`core.uploads.upload_check`: type from the content, size from settings), so a post with
one bad file is refused before anything is stored and every bad file is named in the errors.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import CheckedFilesField

from .models import COMMENT_MAX_LENGTH, POST_MAX_LENGTH, Post


def _text_widget(placeholder, rows: int, max_length: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "placeholder": placeholder, "maxlength": max_length})


class PostForm(forms.Form):
    """The composer: text, kind, files. A post needs text or at least one file."""

    text = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=POST_MAX_LENGTH,
        strip=True,
        widget=_text_widget(_("Write a message..."), 4, POST_MAX_LENGTH),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Post.Kind.choices, initial=Post.Kind.NEWS)
    files = CheckedFilesField(
        label=_("Files"), too_many_message=_("Too many files: at most %(limit)s per post.")
    )

    # Whether an empty text is fine when no file is chosen (the edit form decides later,
    # once it knows which attachments stay).
    text_or_file_required = True

    def __init__(self, *args, event_choices=(), idea_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].limit_to(settings.FEED_MAX_ATTACHMENTS)
        # «Анонс мероприятия» may link an event: the choices come from the events app
        # (extensions.event_choices); what is offered is what is accepted.
        if event_choices:
            self.fields["event"] = forms.TypedChoiceField(
                label=_("Event"),
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", "—"), *event_choices],
                help_text=_("For an event announcement: the event it announces."),
            )
            self.order_fields([name for name in self.fields if name != "files"] + ["files"])
        # «Предложение» may link an idea of the ideas exchange, offered the same way
        # (extensions.idea_choices: the ideas the author may see).
        if idea_choices:
            self.fields["idea"] = forms.TypedChoiceField(
                label=_("Idea"),
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", "—"), *idea_choices],
                help_text=_("For a proposal: the idea of the ideas exchange it is about."),
            )
            self.order_fields([name for name in self.fields if name != "files"] + ["files"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") != Post.Kind.ANNOUNCEMENT:
            cleaned["event"] = None
        if cleaned.get("kind") != Post.Kind.PROPOSAL:
            cleaned["idea"] = None
        if (
            self.text_or_file_required
            and not self.errors
            and not cleaned.get("text")
            and not cleaned.get("files")
        ):
            self.add_error(
                "text",
                ValidationError(_("Write something first: the message is empty."), code="empty"),
            )
        return cleaned


class PostEditForm(PostForm):
    """The author's edit: text, kind, attachments to remove, files to add."""

    remove_attachments = forms.TypedMultipleChoiceField(
        label=_("Remove attached files"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    text_or_file_required = False

    field_order = ["text", "kind", "event", "idea", "remove_attachments", "files"]

    def __init__(self, *args, attachments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["text", "kind", "event", "idea", "remove_attachments", "files"])
        self.fields["remove_attachments"].choices = [(a.pk, a.name) for a in attachments]
        if not attachments:
            del self.fields["remove_attachments"]
        self.fields["files"].label = _("Add files")


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_MAX_LENGTH,
        strip=True,
        widget=_text_widget(_("Write a comment..."), 2, COMMENT_MAX_LENGTH),
        error_messages={"required": _("Write something first: the comment is empty.")},
    )


class PinForm(forms.Form):
    pinned = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")


def feed_error_field(code: str | None) -> str | None:
    """Which form field a :class:`~extranet.feed.services.FeedError` belongs to."""
    return {
        "empty": "text",
        "too_long": "text",
        "kind": "kind",
        "too_many_files": "files",
        "storage_full": "files",
        "event": "event",
        "idea": "idea",
    }.get(code or "")
