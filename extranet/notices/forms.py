"""Forms of the e-mail preferences page (``views_email.email_settings_view``)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .kinds import Category, Mode

# What each category's row covers, under its radio group.
CATEGORY_HELP = {
    Category.MEMBERSHIP: _("New applications to the initiatives you administer, new roles."),
    Category.GROUP: _("New posts, comments and pins in your common groups."),
    Category.MESSAGES: _("Personal messages you missed."),
    Category.EVENTS: _("New events of your initiatives and reminders."),
    Category.IDEAS: _("Comments and partnership requests on your ideas."),
    Category.PUBLISHING: _(
        "News and events you sent for approval, approved or returned; for editors, what "
        "waits for their approval."
    ),
}


class EmailSettingsForm(forms.Form):
    """One radio group per category («сразу» / «ежедневная сводка» / «не присылать») and the
    language of the e-mails. Every field is required: a missing or unknown value is an error
    and nothing is saved."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for category in Category:
            self.fields[category.value] = forms.ChoiceField(
                label=category.label,
                choices=Mode.choices,
                widget=forms.RadioSelect,
                help_text=CATEGORY_HELP.get(category, ""),
                error_messages={
                    "required": _("Choose how to receive these e-mails."),
                    "invalid_choice": _("Choose one of the options offered."),
                },
            )
        self.fields["language"] = forms.ChoiceField(
            label=_("Language of e-mails"),
            choices=settings.LANGUAGES,
            error_messages={
                "required": _("Choose the language of your e-mails."),
                "invalid_choice": _("Choose one of the languages offered."),
            },
        )

    def modes(self) -> dict[str, str]:
        return {category: self.cleaned_data[category] for category in Category.values}


class NewsletterForm(forms.Form):
    """The master switch: «Отписаться» (``subscribed=0``) or «Подписаться» (``subscribed=1``)."""

    subscribed = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")],
        coerce=lambda value: value == "1",
        error_messages={
            "required": _("Choose whether to receive e-mails."),
            "invalid_choice": _("Choose whether to receive e-mails."),
        },
    )
