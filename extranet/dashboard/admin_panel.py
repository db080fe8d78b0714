"""The indicators' summary on Wagtail's dashboard (issue 14, item 5): a few of the
platform's counts for this year so far beside last year's, for portal admins and editors,
with «Все показатели» to the full page for those who may open it.

Counts only: the numbers come from the platform's indicators report for this year (the
cached one the indicators page shows by default), never a name, an e-mail or a message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.ui.components import Component

from .indicators import indicators_report
from .periods import platform_today, year_period
from .permissions import can_see_indicators_summary, can_view_platform_indicators

# The summary's rows, in order: figure keys of the report's sections (membership, events,
# ideas, activity). Each row is a tuple of keys, the first the report has being shown, and a
# row none of whose keys is in the report is left out: a section may be switched off or
# rename a figure without breaking Wagtail's dashboard.
SUMMARY_KEYS: list[tuple[str, ...]] = [
    ("users_registered",),
    ("members",),
    ("new_members",),
    ("events_held",),
    ("ideas",),
    ("posts",),
    ("chat_messages",),
]


@dataclass(frozen=True)
class SummaryRow:
    key: str
    label: str
    value: Any
    previous: Any


def summary_rows(report) -> list[SummaryRow]:
    """The summary's counts from ``report``: plain counts only (no hours, ratings or
    ratios), the first present key of each row of ``SUMMARY_KEYS``."""
    figures = {figure.key: figure for figure in report.figures() if not figure.unit}
    rows = []
    for keys in SUMMARY_KEYS:
        figure = next((figures[key] for key in keys if key in figures), None)
        if figure is not None:
            rows.append(SummaryRow(figure.key, str(figure.label), figure.value, figure.previous))
    return rows


class IndicatorsSummaryPanel(Component):
    """«Показатели» on Wagtail's dashboard, above Wagtail's own panels."""

    name = "indicators_summary"
    template_name = "dashboard/admin_panel.html"
    order = 50

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> dict:
        year = platform_today().year
        report = indicators_report(initiative=None, period=year_period(year))
        user = self.request.user
        return {
            "rows": summary_rows(report),
            "year": year,
            "last_year": year - 1,
            "indicators_url": (
                reverse("dashboard:indicators") if can_view_platform_indicators(user) else ""
            ),
        }


@hooks.register("construct_homepage_panels")
def add_indicators_summary(request, panels):
    if can_see_indicators_summary(request.user):
        panels.append(IndicatorsSummaryPanel(request))
