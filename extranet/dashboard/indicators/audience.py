"""The site's audience (seed 003: audience daily, weekly, monthly; pages per visit), counted by
the site itself (``extranet/dashboard/audience.py``): no tracker, no cookie, no IP address.

The platform's only: an initiative's indicators have no audience section. A visitor is one
address and browser in one calendar month (the key's salt is monthly), a visit is one
visitor's day (Minsk days). Definitions are in ``audience_stats``; six grouped queries (three
for the period, three for the previous one) whatever the number of rows.
"""

from __future__ import annotations

import logging

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from ..audience import audience_flush, audience_stats, months_of, visitors_by_bucket
from ..periods import Period
from .base import Figure, Scope, Section, Series, Table, line_chart

logger = logging.getLogger(__name__)

# key, label, unit, targetable
LABELS = [
    ("visitors_daily", _("Daily unique visitors"), "", True),
    ("visitors_weekly", _("Weekly unique visitors"), "", True),
    ("visitors_monthly", _("Monthly unique visitors"), "", True),
    ("visitors", _("Unique visitors"), "", True),
    ("page_views", _("Page views"), "", True),
    ("pages_per_visit", _("Pages per visit"), "ratio", False),
    ("visitors_signed_in", _("Visits signed in"), "percent", False),
]

HELP = {
    "visitors_daily": _(
        "Average per day over the period's days so far; a visitor is counted once a day."
    ),
    "visitors_weekly": _(
        "Average per week (Monday to Sunday) over the weeks wholly in the period so far. "
        "Visitors are recognised within a calendar month only, so someone coming back in a "
        "week that spans the start of a month is counted twice."
    ),
    "visitors_monthly": _("Average per calendar month over the months wholly in the period."),
    "visitors": _(
        "Exact within one calendar month; over longer periods, the sum of each month's "
        "visitors (a visitor is recognised within a calendar month only)."
    ),
    "page_views": _("Pages people opened; robots, previews and files are not counted."),
    "pages_per_visit": _("Page views per visit: one visitor's pages on one day."),
    "visitors_signed_in": _("Share of visits with at least one page opened signed in."),
}

NOTE = _(
    "Counted by the site itself: no third-party tracker, no cookie, no IP address kept "
    "(a visitor is a hash whose key changes every month). Robots are not counted."
)


def _by_month_table(period: Period, stats: dict) -> Table:
    rows = []
    for month in months_of(period):
        visitors, views, visits = stats["by_month"].get(month, (0, 0, 0))
        rows.append(
            [
                formats.date_format(month, "F Y"),
                visitors,
                views,
                round(views / visits, 2) if visits else None,
            ]
        )
    totals = None
    if len(rows) > 1:
        totals = [
            _("Total"),
            stats["visitors"],
            stats["page_views"],
            stats["pages_per_visit"],
        ]
    return Table(
        key="audience_by_month",
        title=_("Audience by month"),
        columns=[_("Month"), _("Unique visitors"), _("Page views"), _("Pages per visit")],
        rows=rows,
        totals=totals,
    )


def section(*, scope: Scope, period: Period) -> Section | None:
    if not scope.is_platform:
        return None
    try:
        # The hits of the last minutes are counted too, with or without the timer.
        audience_flush()
    except Exception:  # the report still shows what was flushed before: logged
        logger.warning("audience: the buffered page views could not be flushed", exc_info=True)
    now = audience_stats(period)
    previous_period = period.previous()
    before = audience_stats(previous_period)
    figures = [
        Figure(
            key=key,
            label=label,
            value=now[key],
            previous=before[key],
            unit=unit,
            help=HELP.get(key, ""),
            targetable=targetable,
        )
        for key, label, unit, targetable in LABELS
    ]
    visitors, views = visitors_by_bucket(period, now)
    previous_visitors, _previous_views = visitors_by_bucket(previous_period, before)
    chart = line_chart(
        key="audience_daily",
        title=_("Unique visitors and page views"),
        period=period,
        series=[
            Series(name=str(_("Unique visitors")), values=visitors),
            Series(name=str(_("Page views")), values=views),
        ],
        previous=Series(name=str(_("Unique visitors, previous period")), values=previous_visitors),
    )
    return Section(
        key="audience",
        title=_("Site audience"),
        figures=figures,
        charts=[chart],
        tables=[_by_month_table(period, now)],
        note=NOTE,
    )
