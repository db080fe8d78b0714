"""The notifications' bell in the site header (``register_nav_item`` of the members'
cabinet_tags): «Уведомления» with the unread count, kept live over /ws/notifications/."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks

from extranet.members.templatetags.cabinet_tags import NAV_ITEM_HOOK, NavItem

from .permissions import can_use_notices
from .selectors import unread_count

LIVE_URL = "/ws/notifications/"


@hooks.register(NAV_ITEM_HOOK, order=10)
def notifications_bell(user) -> list[NavItem]:
    if not can_use_notices(user):
        return []
    return [
        NavItem(
            key="notifications",
            label=_("Notifications"),
            url=reverse("notifications"),
            count=unread_count(user=user),
            icon="bell",
            live_url=LIVE_URL,
        )
    ]
