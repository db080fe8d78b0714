"""Template tags for the signed-in part of the header.

Items with a counter (the notifications' bell, later the chat's «Сообщения (N)») come from
the feature apps, which register a function with the Wagtail hook ``register_nav_item``:
``fn(user) -> list[NavItem]``.
Links («Все пользователи», «Кластерные инициативы» of the portal admin) come the same way,
through ``register_nav_links``. Members imports no feature app; they plug in here (DESIGN.md,
"Layout").
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django import template
from django.utils.translation import ngettext
from wagtail import hooks

from ..group_tabs import group_home_url as registered_group_home_url
from ..group_tabs import group_tabs as registered_group_tabs
from ..nav import nav_items_cached
from ..permissions import can_open_groups_index, is_portal_admin

register = template.Library()

# Items with a counter a feature app adds to the account menu: ``fn(user) -> list[NavItem]``,
# asked once per request for a signed-in, active user.
NAV_ITEM_HOOK = "register_nav_item"
# Links a feature app adds to the account menu (the portal admin's tools):
# ``fn(user) -> list[tuple[str, str]]`` of (label, url), asked once per request.
NAV_LINKS_HOOK = "register_nav_links"


@dataclass(frozen=True)
class NavItem:
    """One account-menu item with a counter: the bell, the chat's messages.

    ``icon`` names an svg of templates/includes/user_menu.html ("bell", "chat"); ``live_url``
    is the websocket path that pushes ``{"type": "unread", "count": n}`` to static/js/notices.js
    ("" for none).
    """

    key: str
    label: str
    url: str
    count: int = 0
    icon: str = "bell"
    live_url: str = ""


@register.simple_tag(takes_context=True)
def nav_items(context) -> list[NavItem]:
    """The registered items for the signed-in user, computed once per request however many
    times the header asks (the menu and the menu button's dot), and kept across requests in
    one cache entry per user (extranet.members.nav: one lookup a page, forgotten whenever a
    count changes)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    items = getattr(request, "_nav_items", None)
    if items is None:
        items = nav_items_cached(
            user=user,
            compute=lambda: [
                item for provider in hooks.get_hooks(NAV_ITEM_HOOK) for item in provider(user)
            ],
        )
        request._nav_items = items
    return items


@register.simple_tag(takes_context=True)
def nav_items_count(context) -> int:
    """The sum of the items' counts: the menu button shows a dot when it is above 0."""
    return sum(max(int(item.count), 0) for item in nav_items(context))


# A whole number of each plural category (Intl.PluralRules) in the languages of the site;
# counts are never fractions, so «other» takes the form of 5.
_PLURAL_SAMPLES = {"one": 1, "few": 2, "many": 5, "other": 5}


@register.simple_tag
def unread_count_forms() -> str:
    """JSON of «{n} unread» per plural category in the active language, so that
    js/notices.js keeps the counter's screen-reader text right when the number changes."""
    forms = {}
    for category, sample in _PLURAL_SAMPLES.items():
        text = ngettext("%(counter)s unread", "%(counter)s unread", sample)
        forms[category] = text % {"counter": "{n}"}
    return json.dumps(forms, ensure_ascii=False)


@register.simple_tag(takes_context=True)
def nav_links(context):
    """The hooks' links as dicts of label, url and current (the page being shown)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    links = getattr(request, "_nav_links", None)
    if links is None:
        links = [
            {"label": label, "url": url, "current": request.path == url}
            for provider in hooks.get_hooks(NAV_LINKS_HOOK)
            for label, url in provider(user)
        ]
        request._nav_links = links
    return links


@register.simple_tag
def group_tabs(initiative, current=""):
    """``{% group_tabs initiative "feed" as tabs %}``: the group's registered tabs as dicts of
    label, url and current (``current`` is the key of the page being shown)."""
    return [
        {"label": tab.label, "url": tab.url, "current": tab.key == current}
        for tab in registered_group_tabs(initiative)
    ]


@register.simple_tag
def group_home_url(initiative):
    """``{% group_home_url initiative as url %}``: the group's first registered tab, or ""."""
    return registered_group_home_url(initiative)


@register.filter
def portal_admin(user):
    return is_portal_admin(user)


@register.filter
def opens_groups(user):
    """«Общая группа» in the header: the portal admin and approved members of an initiative."""
    return can_open_groups_index(user)
