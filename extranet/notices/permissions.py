"""Who may have notices and open one: the one place that decides for the notices' views,
the header's bell and the websocket consumer."""

from __future__ import annotations


def can_use_notices(user) -> bool:
    """A bell and /cabinet/notifications/ for signed-in, active accounts only (a blocked
    account counts as a guest)."""
    return bool(user is not None and user.is_authenticated and user.is_active)


def can_open_notification(user, notification) -> bool:
    """Only its recipient may see, open or mark a notification."""
    return can_use_notices(user) and notification.recipient_id == user.pk
