"""The period an indicators page shows: a year, a quarter, a month or custom dates.

Days are the platform's days (``settings.TIME_ZONE``, Europe/Minsk): an application sent at
00:30 in Minsk on 1 April belongs to April however the database stores it. A period is
inclusive of both its dates; ``start``/``end`` give the aware half-open range
``[start, end)`` that every query uses.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The longest custom period (about three years); longer ones are refused with a message.
MAX_CUSTOM_DAYS = 1100


def platform_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def platform_today() -> datetime.date:
    return datetime.datetime.now(platform_zone()).date()


@dataclass(frozen=True)
class Period:
    kind: str  # "year", "quarter", "month" or "custom"
    first: datetime.date
    last: datetime.date  # inclusive

    @property
    def start(self) -> datetime.datetime:
        return datetime.datetime.combine(self.first, datetime.time.min, tzinfo=platform_zone())

    @property
    def end(self) -> datetime.datetime:
        return datetime.datetime.combine(
            self.last + datetime.timedelta(days=1), datetime.time.min, tzinfo=platform_zone()
        )

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def year(self) -> int | None:
        """The year when the period is one whole calendar year (targets are set per year)."""
        return self.first.year if self.kind == "year" else None

    @property
    def label(self) -> str:
        if self.kind == "year":
            return str(self.first.year)
        if self.kind == "quarter":
            return _("Q%(quarter)s %(year)s") % {
                "quarter": (self.first.month - 1) // 3 + 1,
                "year": self.first.year,
            }
        if self.kind == "month":
            return formats.date_format(self.first, "F Y")
        first = formats.date_format(self.first, "SHORT_DATE_FORMAT")
        last = formats.date_format(self.last, "SHORT_DATE_FORMAT")
        return f"{first} – {last}"

    @property
    def granularity(self) -> str:
        """The step of its time series: days up to two months, weeks up to half a year, then
        months."""
        if self.days <= 62:
            return "day"
        if self.days <= 190:
            return "week"
        return "month"

    def buckets(self) -> list[datetime.date]:
        """The first day of each step of the period (weeks start on Monday), in order."""
        step = self.granularity
        if step == "day":
            return [self.first + datetime.timedelta(days=n) for n in range(self.days)]
        if step == "week":
            monday = self.first - datetime.timedelta(days=self.first.weekday())
            out = []
            while monday <= self.last:
                out.append(monday)
                monday += datetime.timedelta(days=7)
            return out
        out, month = [], self.first.replace(day=1)
        while month <= self.last:
            out.append(month)
            month = _add_months(month, 1)
        return out

    def bucket_label(self, day: datetime.date) -> str:
        if self.granularity == "month":
            return formats.date_format(day, "M Y")
        return formats.date_format(day, "j M")

    def previous(self) -> Period:
        """The period just before, of the same kind and length (last year, last quarter…)."""
        if self.kind == "year":
            return year_period(self.first.year - 1)
        if self.kind == "quarter":
            first = _add_months(self.first, -3)
            return Period("quarter", first, _add_months(first, 3) - datetime.timedelta(days=1))
        if self.kind == "month":
            first = _add_months(self.first, -1)
            return Period("month", first, self.first - datetime.timedelta(days=1))
        return Period(
            "custom",
            self.first - datetime.timedelta(days=self.days),
            self.first - datetime.timedelta(days=1),
        )

    def as_query(self) -> dict[str, str]:
        """The GET parameters that choose this period again (links, exports)."""
        if self.kind == "year":
            return {"period": "year", "year": str(self.first.year)}
        if self.kind == "quarter":
            return {
                "period": "quarter",
                "year": str(self.first.year),
                "quarter": str((self.first.month - 1) // 3 + 1),
            }
        if self.kind == "month":
            return {
                "period": "month",
                "year": str(self.first.year),
                "month": str(self.first.month),
            }
        return {"period": "custom", "start": self.first.isoformat(), "end": self.last.isoformat()}

    @property
    def cache_key(self) -> str:
        return f"{self.kind}:{self.first.isoformat()}:{self.last.isoformat()}"


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def year_period(year: int) -> Period:
    return Period("year", datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def quarter_period(year: int, quarter: int) -> Period:
    first = datetime.date(year, 3 * (quarter - 1) + 1, 1)
    return Period("quarter", first, _add_months(first, 3) - datetime.timedelta(days=1))


def month_period(year: int, month: int) -> Period:
    first = datetime.date(year, month, 1)
    return Period("month", first, _add_months(first, 1) - datetime.timedelta(days=1))


PERIOD_KINDS = [
    ("year", _("Year")),
    ("quarter", _("Quarter")),
    ("month", pgettext_lazy("period", "Month")),
    ("custom", _("Custom dates")),
]
# The earliest year offered: the platform did not exist before.
FIRST_YEAR = 2019


class PeriodForm(forms.Form):
    """The period picker (GET). An incomplete or wrong choice gets its message and the page
    shows the default period (this year) meanwhile."""

    period = forms.ChoiceField(label=_("Period"), choices=PERIOD_KINDS, initial="year")
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        coerce=int,
        required=False,
        choices=[(n, str(n)) for n in range(1, 5)],
    )
    month = forms.TypedChoiceField(
        label=pgettext_lazy("period", "Month"), coerce=int, required=False, choices=[]
    )
    start = forms.DateField(
        label=pgettext_lazy("period", "From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=pgettext_lazy("period", "To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or platform_today()
        years = range(self.today.year, FIRST_YEAR - 1, -1)
        self.fields["year"].choices = [(y, str(y)) for y in years]
        self.fields["year"].initial = self.today.year
        self.fields["month"].choices = [
            (n, formats.date_format(datetime.date(2000, n, 1), "F")) for n in range(1, 13)
        ]

    def clean(self):
        data = super().clean()
        kind = data.get("period")
        if kind in ("year", "quarter", "month") and not data.get("year"):
            self.add_error("year", _("Choose a year."))
        if kind == "quarter" and not data.get("quarter"):
            self.add_error("quarter", _("Choose a quarter."))
        if kind == "month" and not data.get("month"):
            self.add_error("month", _("Choose a month."))
        if kind == "custom":
            start, end = data.get("start"), data.get("end")
            if not start:
                self.add_error("start", _("Enter the first day."))
            if not end:
                self.add_error("end", _("Enter the last day."))
            if start and end:
                if end < start:
                    self.add_error("end", _("The last day is before the first."))
                elif (end - start).days + 1 > MAX_CUSTOM_DAYS:
                    self.add_error(
                        "end",
                        _("A custom period is at most %(days)s days.") % {"days": MAX_CUSTOM_DAYS},
                    )
        return data

    def chosen(self) -> Period:
        """The chosen period, or this year when nothing (valid) was chosen."""
        if not self.is_bound or not self.is_valid():
            return year_period(self.today.year)
        data = self.cleaned_data
        kind = data["period"]
        if kind == "year":
            return year_period(data["year"])
        if kind == "quarter":
            return quarter_period(data["year"], data["quarter"])
        if kind == "month":
            return month_period(data["year"], data["month"])
        return Period("custom", data["start"], data["end"])
