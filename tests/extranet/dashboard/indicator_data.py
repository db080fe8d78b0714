"""Shared helpers of the indicators' tests: dates in the platform's time zone and periods."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from extranet.dashboard.periods import quarter_period

MINSK = ZoneInfo("Europe/Minsk")
Q1 = quarter_period(2026, 1)  # 1 January – 31 March 2026, Minsk days


def minsk(text: str) -> datetime.datetime:
    """``"2026-03-31 23:30"`` as an aware time in Minsk."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=MINSK)


def utc(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.UTC)
