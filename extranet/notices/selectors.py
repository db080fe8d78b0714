"""Reads of the notices: the unread count (cached), a person's notices, their preferences."""

from __future__ import annotations

from django.core.cache import cache
from notifications.models import Notification

from extranet.members.nav import nav_items_forget

from .kinds import DEFAULT_MODES, Category

UNREAD_CACHE_SECONDS = 300


def _unread_key(user_id: int) -> str:
    return f"notices:unread:{user_id}"


def unread_count(*, user) -> int:
    """The bell's number: one cached lookup, forgotten whenever it changes (services)."""
    key = _unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient=user, unread=True, deleted=False).count()
        cache.set(key, count, UNREAD_CACHE_SECONDS)
    return count


def unread_count_forget(*user_ids: int) -> None:
    cache.delete_many([_unread_key(user_id) for user_id in user_ids])
    # The header keeps the bell with the other counted items in one entry per user.
    nav_items_forget(*user_ids)


def notifications_of(*, user):
    """A person's notices, newest first (the list pages them with core.paging)."""
    return Notification.objects.filter(recipient=user, deleted=False).order_by("-timestamp", "-id")


def email_modes(own) -> dict[str, str]:
    """Mode per category from an ``EmailSettings`` row, or the defaults when there is none."""
    if own is None:
        return {category: str(mode) for category, mode in DEFAULT_MODES.items()}
    return {category: own.mode(category) for category in Category.values}
