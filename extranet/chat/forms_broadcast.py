"""The form of «Сообщение всем» (/cabinet/admin/broadcast/). It only collects the fields; the
rules (who may send, an initiative for members and admins, the text's length) are
``broadcasts.broadcast_create``'s, whose errors the view puts back on these fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.forms import IdChoiceField
from core.locales import originals
from initiatives.models import InitiativePage

from .models import MESSAGE_MAX_LENGTH, Broadcast

# ChatError codes of broadcast_create → the field the error belongs to.
ERROR_FIELDS = {
    "bad_audience": "audience",
    "no_initiative": "initiative",
    "empty": "body",
    "too_long": "body",
}


def _people(count: int) -> str:
    return ngettext("%(count)s person", "%(count)s people", count) % {"count": count}


class InitiativeChoice(IdChoiceField):
    def __init__(self, *args, counts=None, **kwargs):
        self.counts = counts or {}
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        numbers = self.counts.get(obj.pk)
        if not numbers:
            return obj.title
        return _("%(title)s — members: %(members)s, administrators: %(admins)s") % {
            "title": obj.title,
            "members": numbers["members"],
            "admins": numbers["admins"],
        }


class BroadcastForm(forms.Form):
    audience = forms.ChoiceField(
        label=_("Recipients"),
        choices=Broadcast.Audience.choices,
        initial=Broadcast.Audience.ALL,
        widget=forms.RadioSelect,
    )
    initiative = InitiativeChoice(
        label=_("Cluster initiative"),
        queryset=InitiativePage.objects.none(),
        required=False,
        empty_label=_("Choose an initiative"),
        help_text=_("For the members or the administrators of one initiative."),
    )
    # Not required here: the service says «the message is empty» in its own words.
    body = forms.CharField(
        label=_("Message text"),
        required=False,
        strip=False,
        widget=forms.Textarea(
            attrs={"rows": 6, "maxlength": MESSAGE_MAX_LENGTH, "placeholder": _("Message text...")}
        ),
        help_text=_(
            "Each recipient gets it in their conversation with you and can answer you there."
        ),
    )

    def __init__(self, *args, counts: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.counts = counts
        field = self.fields["initiative"]
        field.queryset = originals(InitiativePage.objects.live()).order_by("title")
        field.counts = counts["initiatives"]
        self.fields["audience"].choices = [
            (
                value,
                f"{label} ({_people(counts['all'])})" if value == Broadcast.Audience.ALL else label,
            )
            for value, label in Broadcast.Audience.choices
        ]

    def reach(self) -> int | None:
        """How many people the chosen recipients are (None: an initiative is still to be
        chosen), from the counts the form was given: no query."""
        data = self.data if self.is_bound else {}
        audience = data.get("audience") or self.fields["audience"].initial
        if audience == Broadcast.Audience.ALL:
            return self.counts["all"]
        try:
            initiative_id = int(data.get("initiative") or 0)
        except (TypeError, ValueError):
            return None
        numbers = self.counts["initiatives"].get(initiative_id)
        if numbers is None or audience not in ("members", "admins"):
            return None
        return numbers[audience]
