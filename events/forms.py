"""The public forms of events: a guest's registration and an attendee's rating.

Signed-in people register in one click (no form: their name and organisation come from the
profile), so only guests type anything to register. Limits are the model's, checked here so
a 10 KB name comes back as a sentence next to the field, never as a database error.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.text import clean_line, clean_text

from .models import Feedback, Registration

NAME_MAX = Registration._meta.get_field("name").max_length
ORGANISATION_MAX = Registration._meta.get_field("organisation").max_length
COMMENT_MAX = Feedback._meta.get_field("comment").max_length


class GuestRegistrationForm(forms.Form):
    """A guest's name, e-mail and organisation (for events open to everyone)."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=NAME_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("We will send a link to confirm the registration to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=ORGANISATION_MAX,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )

    def clean_name(self):
        name = clean_line(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError(_("Write your name."))
        return name

    def clean_organisation(self):
        return clean_line(self.cleaned_data.get("organisation") or "")

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class FeedbackForm(forms.Form):
    """A rating of how the event was organised, 1 to 5, and an optional comment."""

    RATINGS = [(str(n), str(n)) for n in range(1, 6)]

    rating = forms.TypedChoiceField(
        label=_("How well was the event organised?"),
        choices=RATINGS,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1 — poorly, 5 — excellently."),
        error_messages={"required": _("Choose a rating from 1 to 5.")},
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_comment(self):
        return clean_text(self.cleaned_data.get("comment") or "")
