"""The indicators' targets forms (issue 14, seed 003's «целевые индикаторы»): which year and
scope the portal admin sets targets for, and the targets themselves.

A target is an ``IndicatorTarget`` row per (initiative or the whole platform, indicator key,
year); a blank input means no target. The whole form is saved in one transaction, and only
when every input is valid: a mistake in one field leaves every target as it was.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.locales import originals
from initiatives.models import InitiativePage

from .models import IndicatorTarget
from .periods import FIRST_YEAR, platform_today

# IndicatorTarget.value's shape (max_digits 14, decimal_places 2).
TARGET_MAX_DIGITS = 14
TARGET_DECIMAL_PLACES = 2
FIELD_PREFIX = "target-"


class TargetScopeForm(forms.Form):
    """The year and scope chooser (GET): ``year`` from the platform's first year to next
    year (targets are often set ahead), ``initiative`` a live initiative's slug or empty for
    the whole platform; a missing year is this year."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    initiative = forms.ChoiceField(label=_("Initiative"), required=False)

    def __init__(self, *args, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or platform_today()
        years = range(self.today.year + 1, FIRST_YEAR - 1, -1)
        self.fields["year"].choices = [(y, str(y)) for y in years]
        self.fields["year"].initial = self.today.year
        # One query for the choices and the chosen page alike.
        self.initiatives = {
            page.slug: page
            for page in originals(InitiativePage.objects.live())
            .order_by("title")
            .only("pk", "slug", "title")
        }
        self.fields["initiative"].choices = [("", _("Whole platform"))] + [
            (slug, page.title) for slug, page in self.initiatives.items()
        ]

    def initiative_choices(self) -> list[tuple[str, str]]:
        """(slug, title) of the live initiatives, by title."""
        return [(slug, page.title) for slug, page in self.initiatives.items()]

    def chosen(self) -> tuple[int, str]:
        """(year, initiative slug or ""): this year and the whole platform when unbound.
        Call only when unbound or valid."""
        if not self.is_bound:
            return self.today.year, ""
        data = self.cleaned_data
        return data["year"] or self.today.year, data["initiative"] or ""

    def chosen_initiative(self) -> InitiativePage | None:
        _year, slug = self.chosen()
        return self.initiatives[slug] if slug else None


class TargetsForm(forms.Form):
    """One optional input per targetable figure of the year's report (``sections``: the
    output of ``indicators.targetable_figures``), filled with the saved targets.

    Keys that are not among the figures are not fields, so a posted unknown key is ignored.
    """

    def __init__(self, *args, sections, initiative, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.initiative = initiative
        self.year = year
        self.saved: dict[str, Decimal] = dict(
            IndicatorTarget.objects.filter(
                initiative_id=initiative.pk if initiative is not None else None, year=year
            ).values_list("key", "value")
        )
        self.rows = []  # (section, [(figure, bound field)]) for the template
        for _section, figures in sections:
            for figure in figures:
                self.fields[FIELD_PREFIX + figure.key] = self._field(figure)
        for section, figures in sections:
            self.rows.append(
                (section, [(figure, self[FIELD_PREFIX + figure.key]) for figure in figures])
            )

    def _field(self, figure) -> forms.DecimalField:
        return forms.DecimalField(
            label=figure.label,
            required=False,
            min_value=Decimal(0),
            max_digits=TARGET_MAX_DIGITS,
            decimal_places=TARGET_DECIMAL_PLACES,
            # Localized so «1,5» (the Russian way) is read as well as «1.5».
            localize=True,
            initial=self.saved.get(figure.key),
            widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            error_messages={
                "invalid": _("Enter a number, such as 120 or 4.5."),
                "min_value": _("A target cannot be negative."),
                "max_decimal_places": _("Use at most two decimal places."),
                "max_whole_digits": _("The number is too large."),
                "max_digits": _("The number is too large."),
            },
        )

    def targets(self) -> dict[str, Decimal | None]:
        """{indicator key: the new target or None (none)}, once the form is valid."""
        return {
            name.removeprefix(FIELD_PREFIX): value
            for name, value in self.cleaned_data.items()
            if name.startswith(FIELD_PREFIX)
        }

    @transaction.atomic
    def save(self, *, by) -> int:
        """Writes the targets (a blank input removes one) and returns how many changed."""
        initiative_id = self.initiative.pk if self.initiative is not None else None
        rows = IndicatorTarget.objects.filter(initiative_id=initiative_id, year=self.year)
        existing = {target.key: target for target in rows.select_for_update()}
        changed = 0
        removed = []
        for key, value in self.targets().items():
            target = existing.get(key)
            if value is None:
                if target is not None:
                    removed.append(target.pk)
                continue
            if target is None:
                IndicatorTarget.objects.create(
                    initiative_id=initiative_id, key=key, year=self.year, value=value, updated_by=by
                )
            elif target.value != value:
                target.value = value
                target.updated_by = by
                target.save(update_fields=["value", "updated_by", "updated_at"])
            else:
                continue
            changed += 1
        if removed:
            IndicatorTarget.objects.filter(pk__in=removed).delete()
        return changed + len(removed)
