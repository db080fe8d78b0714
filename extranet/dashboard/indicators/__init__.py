"""The indicators report (issue 14, seed 003): computed from the platform's own data.

``indicators_report(initiative=…, period=…)`` runs each section's fixed set of aggregate
queries for the period and the previous one, adds the portal admin's targets for the year,
and caches the result for ``INDICATORS_CACHE_SECONDS`` (the numbers may lag that long).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from ..models import IndicatorTarget
from ..periods import Period
from . import activity, audience, events, ideas, membership
from .base import Chart, Figure, Scope, Section, Series, Table

__all__ = [
    "Chart",
    "Figure",
    "Report",
    "Scope",
    "Section",
    "Series",
    "Table",
    "indicators_report",
    "targetable_figures",
]

# In report order. Each returns a Section, or None when it does not apply to the scope (the
# site's audience is the platform's only).
SECTIONS = [
    membership.section,
    events.section,
    activity.section,
    ideas.section,
    audience.section,
]

# Moved on (in the cache, so every process sees it) when targets change.
VERSION_KEY = "indicators:version"


@dataclass
class Report:
    scope: Scope
    period: Period
    sections: list[Section]
    computed_at: datetime.datetime = field(default_factory=timezone.now)

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)

    def tables(self) -> list[Table]:
        return [table for section in self.sections for table in section.tables]

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables() if t.key == key), None)

    def figures(self) -> list[Figure]:
        return [figure for section in self.sections for figure in section.figures]


def _cache_key(scope: Scope, period: Period) -> str:
    version = cache.get_or_set(VERSION_KEY, 1, None)
    return (
        f"indicators:v{version}:{scope.initiative_id or 0}:{period.cache_key}:"
        f"{get_language() or settings.LANGUAGE_CODE}"
    )


def compute_report(*, scope: Scope, period: Period) -> Report:
    """The report, freshly computed (no cache)."""
    sections = [s for s in (section(scope=scope, period=period) for section in SECTIONS) if s]
    report = Report(scope=scope, period=period, sections=sections)
    _attach_targets(report)
    return report


def indicators_report(*, initiative=None, period: Period, fresh: bool = False) -> Report:
    """The report for ``initiative`` (None: the whole platform) and ``period``, from the
    cache when it was computed less than ``INDICATORS_CACHE_SECONDS`` ago."""
    scope = Scope(initiative=initiative)
    key = _cache_key(scope, period)
    if not fresh:
        cached = cache.get(key)
        if cached is not None:
            cached.scope = scope
            return cached
    report = compute_report(scope=scope, period=period)
    cache.set(key, report, settings.INDICATORS_CACHE_SECONDS)
    return report


def indicators_forget() -> None:
    """Forget every cached report (after targets change, so the page shows them at once)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)


def _attach_targets(report: Report) -> None:
    year = report.period.year
    if year is None:
        return
    targets: dict[str, Decimal] = dict(
        IndicatorTarget.objects.filter(
            initiative_id=report.scope.initiative_id, year=year
        ).values_list("key", "value")
    )
    for figure in report.figures():
        if figure.targetable and figure.key in targets:
            figure.target = targets[figure.key]


def targetable_figures(report: Report) -> list[tuple[Section, list[Figure]]]:
    """(section, its figures that may get a target) of a year's report: the targets form
    lists them with this year's actual values beside the inputs."""
    return [
        (section, [f for f in section.figures if f.targetable])
        for section in report.sections
        if any(f.targetable for f in section.figures)
    ]
