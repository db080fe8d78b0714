"""The shapes every section of the indicators report is made of, and the counting helpers.

A section (``membership.py``, ``events.py``, ``activity.py``, ``ideas.py``, ``audience.py``)
is a function ``section(*, scope: Scope, period: Period) -> Section`` that runs a fixed
number of aggregate queries whatever the data size (no query per row) and returns plain
values: the report is cached and exported as it is.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDay, TruncMonth, TruncWeek

from ..periods import Period, platform_zone


@dataclass(frozen=True)
class Scope:
    """The whole platform (``initiative`` None) or one initiative."""

    initiative: Any = None  # initiatives.InitiativePage

    @property
    def initiative_id(self) -> int | None:
        return self.initiative.pk if self.initiative is not None else None

    @property
    def is_platform(self) -> bool:
        return self.initiative is None


@dataclass
class Figure:
    """One headline number: its value in the period and in the previous one.

    ``key`` is stable (targets and exports use it); ``unit`` is "" (a count), "hours",
    "rating" (out of 5), "ratio" or "percent"; ``targetable`` figures may get a target.
    """

    key: str
    label: str
    value: int | float | Decimal | None
    previous: int | float | Decimal | None = None
    unit: str = ""
    help: str = ""
    targetable: bool = True
    target: Decimal | None = None  # filled by the report from IndicatorTarget

    @property
    def delta(self):
        if self.value is None or self.previous is None:
            return None
        if type(self.value) is not type(self.previous):
            return float(self.value) - float(self.previous)
        return self.value - self.previous

    @property
    def delta_percent(self) -> float | None:
        if self.value is None or not self.previous:
            return None
        return round((float(self.value) - float(self.previous)) * 100 / float(self.previous), 1)

    @property
    def progress_percent(self) -> float | None:
        """Actual against target, capped at 100 for the bar (the number says more)."""
        if self.target is None or self.value is None or not self.target:
            return None
        return round(float(self.value) * 100 / float(self.target), 1)


@dataclass
class Table:
    """A table of the report; ``key`` is unique in the report (its export's name)."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    # Optional last row of totals.
    totals: list[Any] | None = None


@dataclass
class Series:
    name: str
    values: list[int | float | None]


@dataclass
class Chart:
    """A chart's data: ``kind`` "line" (a time series over ``labels``) or "bar" (one bar per
    label); ``series[0]`` is the period, and an optional series with ``previous=True`` the
    previous period for comparison."""

    key: str
    title: str
    kind: str
    labels: list[str]
    series: list[Series]
    previous: Series | None = None
    unit: str = ""


@dataclass
class Section:
    key: str  # "membership", "events", "activity", "ideas", "audience"
    title: str
    figures: list[Figure] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    note: str = ""

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


# --- counting helpers --------------------------------------------------------------------


def in_period(qs: QuerySet, field_name: str, period: Period) -> QuerySet:
    return qs.filter(**{f"{field_name}__gte": period.start, f"{field_name}__lt": period.end})


_TRUNC = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth}


def counts_by_bucket(
    qs: QuerySet, field_name: str, period: Period, *, distinct: str = ""
) -> list[int]:
    """How many rows of ``qs`` fall in each of ``period.buckets()`` by ``field_name``, in the
    platform's time zone: one grouped query. ``distinct`` counts distinct values of a field."""
    trunc = _TRUNC[period.granularity](field_name, tzinfo=platform_zone())
    count = Count(distinct, distinct=True) if distinct else Count("pk")
    rows = (
        in_period(qs, field_name, period)
        .annotate(_bucket=trunc)
        .values("_bucket")
        .annotate(_n=count)
        .values_list("_bucket", "_n")
        .order_by()
    )
    by_day = {}
    for bucket, n in rows:
        if isinstance(bucket, datetime.datetime):
            bucket = bucket.astimezone(platform_zone()).date()
        by_day[bucket] = by_day.get(bucket, 0) + n
    return [by_day.get(day, 0) for day in period.buckets()]


def line_chart(
    *, key: str, title: str, period: Period, series: list[Series], previous: Series | None = None
) -> Chart:
    return Chart(
        key=key,
        title=title,
        kind="line",
        labels=[period.bucket_label(day) for day in period.buckets()],
        series=series,
        previous=previous,
    )
