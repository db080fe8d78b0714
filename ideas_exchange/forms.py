"""Forms of the ideas exchange: they check what people typed and chose; ``services`` change.

What a form offers is what it accepts: an initiative id or a visibility that was not on the
list (a forged request) is refused with a sentence, never stored. Files are checked one by
one by :class:`core.forms.CheckedFilesField` (type from the content, size from settings), so
an idea with one bad file is refused before anything is stored.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.forms import CheckedFilesField

from . import extensions, services
from .models import (
    COMMENT_MAX_LENGTH,
    MAX_TAGS,
    NOTE_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Idea,
    Partnership,
)

PLATFORM_WIDE = pgettext_lazy("idea initiative", "The whole platform")


def _textarea(rows: int, max_length: int, placeholder="") -> forms.Textarea:
    attrs = {"rows": rows, "maxlength": max_length}
    if placeholder:
        attrs["placeholder"] = placeholder
    return forms.Textarea(attrs=attrs)


class IdeaForm(forms.Form):
    """Posting and editing an idea. ``user`` decides the initiatives offered for members-only
    ideas; ``instance`` (editing) gives the initial values and the files to remove."""

    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        error_messages={"required": _("Give the idea a title.")},
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Idea.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the kind: request, offer or project."),
            "invalid_choice": _("Choose the kind of the idea from the list."),
        },
    )
    summary = forms.CharField(
        label=_("Short text"),
        max_length=SUMMARY_MAX_LENGTH,
        help_text=_("One or two sentences shown on the board's card."),
        widget=_textarea(2, SUMMARY_MAX_LENGTH),
        error_messages={"required": _("Write a short text for the board's card.")},
    )
    text = forms.CharField(
        label=_("Text"),
        max_length=TEXT_MAX_LENGTH,
        widget=_textarea(10, TEXT_MAX_LENGTH),
        error_messages={"required": _("Write the idea's text.")},
    )
    tags = forms.CharField(
        label=_("Industries and tags"),
        required=False,
        max_length=MAX_TAGS * (services.TAG_MAX_LENGTH + 2),
    )
    initiative = forms.TypedChoiceField(
        label=_("Initiative"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={
            "invalid_choice": _("This initiative is not on the list: choose one from the list.")
        },
    )
    visibility = forms.ChoiceField(
        label=_("Who can see it"),
        choices=Idea.Visibility.choices,
        initial=Idea.Visibility.PUBLIC,
        widget=forms.RadioSelect,
        help_text=_("Attached files are public only when everyone can see the idea."),
        error_messages={
            "required": _("Choose who can see the idea."),
            "invalid_choice": _("Choose who can see the idea from the list."),
        },
    )
    remove_attachments = forms.TypedMultipleChoiceField(
        label=_("Remove attached files"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("This file is not attached to the idea.")},
    )
    attachments = CheckedFilesField(
        label=_("Files"), too_many_message=_("Too many files: at most %(limit)s per idea.")
    )

    def __init__(self, data=None, files=None, *, user, instance: Idea | None = None, **kwargs):
        if instance is not None and data is None:
            kwargs.setdefault(
                "initial",
                {
                    "title": instance.title,
                    "kind": instance.kind,
                    "summary": instance.summary,
                    "text": instance.text,
                    "tags": ", ".join(sorted(tag.name for tag in instance.tags.all())),
                    "initiative": instance.initiative_id,
                    "visibility": instance.visibility,
                },
            )
        super().__init__(data, files, **kwargs)
        self.user = user
        self.instance = instance
        initiatives = {page.pk: page for page in services.allowed_initiatives()}
        if (
            instance is not None
            and instance.initiative_id
            and instance.initiative_id not in (initiatives)
        ):
            initiatives[instance.initiative_id] = instance.initiative
        self._initiatives = initiatives
        self.member_of = extensions.member_initiative_ids(user)
        self.fields["initiative"].choices = [
            ("", PLATFORM_WIDE),
            *((pk, page.short_name or page.title) for pk, page in initiatives.items()),
        ]
        attachments = list(instance.attachments.all()) if instance is not None else []
        if attachments:
            self.fields["remove_attachments"].choices = [(a.pk, a.name) for a in attachments]
            self.fields["attachments"].label = _("Add files")
        else:
            del self.fields["remove_attachments"]
        self.fields["attachments"].limit_to(services.max_attachments())
        self.fields["tags"].help_text = gettext("Separated by commas, up to %(count)s.") % {
            "count": MAX_TAGS
        }

    def clean_tags(self):
        raw = self.cleaned_data.get("tags") or ""
        try:
            return services.clean_tags(raw.split(","))
        except services.IdeaError as exc:
            raise ValidationError(exc.message, code="tags") from exc

    def clean_initiative(self):
        pk = self.cleaned_data.get("initiative")
        return None if pk is None else self._initiatives[pk]

    def clean(self):
        cleaned = super().clean()
        visibility = cleaned.get("visibility")
        initiative = cleaned.get("initiative")
        if visibility == Idea.Visibility.MEMBERS and "initiative" not in self.errors:
            if initiative is None:
                self.add_error(
                    "initiative",
                    _("An idea for one initiative's members needs that initiative."),
                )
            elif initiative.pk not in self.member_of:
                self.add_error(
                    "visibility",
                    _(
                        "Only the members of an initiative may post for its members only: "
                        "you are not an approved member of «%(initiative)s»."
                    )
                    % {"initiative": initiative.short_name or initiative.title},
                )
        if self.instance is not None and not self.errors:
            kept = len(self.instance.attachments.all()) - len(
                cleaned.get("remove_attachments") or []
            )
            if kept + len(cleaned.get("attachments") or []) > services.max_attachments():
                self.add_error(
                    "attachments",
                    _("Too many files: at most %(limit)s per idea.")
                    % {"limit": services.max_attachments()},
                )
        return cleaned

    def service_data(self) -> dict:
        fields = ("title", "kind", "summary", "text", "tags", "initiative", "visibility")
        return {name: self.cleaned_data.get(name) for name in fields}


class CommentForm(forms.Form):
    """A comment, or a reply to the comment ``parent`` (a hidden id the service checks)."""

    text = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_MAX_LENGTH,
        widget=_textarea(3, COMMENT_MAX_LENGTH, _("Write a comment...")),
        error_messages={"required": _("Write something first: the comment is empty.")},
    )
    parent = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": _("The comment you answer is not in this discussion (any more)."),
            "min_value": _("The comment you answer is not in this discussion (any more)."),
            "max_value": _("The comment you answer is not in this discussion (any more)."),
        },
    )


class PartnershipForm(forms.Form):
    """«Стать партнёром»: the role asked for and a short note to the author."""

    role = forms.ChoiceField(
        label=_("Your role"),
        choices=[(role.value, role.label) for role in services.PARTNER_ROLES],
        initial=Partnership.Role.PARTNER,
        error_messages={
            "required": _("Choose your role."),
            "invalid_choice": _("Choose your role from the list."),
        },
    )
    note = forms.CharField(
        label=_("Note to the author"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=_textarea(3, NOTE_MAX_LENGTH, _("What your organisation brings to the project")),
    )


class RespondForm(forms.Form):
    """«Откликнуться»: a private message to the author."""

    text = forms.CharField(
        label=_("Message to the author"),
        max_length=COMMENT_MAX_LENGTH,
        widget=_textarea(3, COMMENT_MAX_LENGTH),
        error_messages={"required": _("Write a few words to the author first.")},
    )


class StageForm(forms.Form):
    """A project's next stage: every stage but the current one."""

    stage = forms.ChoiceField(
        label=_("Stage"),
        error_messages={
            "required": _("Choose the stage."),
            "invalid_choice": _("Choose the stage from the list."),
        },
    )

    def __init__(self, data=None, *, idea: Idea, **kwargs):
        super().__init__(data, **kwargs)
        self.idea = idea
        self.fields["stage"].choices = [
            (value, label) for value, label in Idea.Stage.choices if value != idea.stage
        ]
