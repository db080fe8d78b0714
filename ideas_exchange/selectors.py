"""Reads of the ideas exchange (lists go through ``permissions.visible_ideas``)."""

from __future__ import annotations

from .models import IdeasExchangePage


def board_page() -> IdeasExchangePage | None:
    """The live /ideas/ page (there is at most one)."""
    return IdeasExchangePage.objects.live().public().first()
