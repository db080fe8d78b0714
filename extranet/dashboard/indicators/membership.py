"""PLACEHOLDER (the lead is writing it): the membership section of the indicators report."""

from __future__ import annotations

from ..periods import Period
from .base import Scope, Section


def section(*, scope: Scope, period: Period) -> Section | None:
    return None
