"""Template tags for the signed-in part of the header.

Counters («Сообщения (N)», notifications) come from the feature apps, which register a
function with the Wagtail hook ``register_nav_counter``: ``fn(user) -> dict[str, int]``.
Links («Все пользователи», «Кластерные инициативы» of the portal admin) come the same way,
through ``register_nav_links``. Members imports no feature app; they plug in here (DESIGN.md,
"Layout").
"""

from django import template
from wagtail import hooks

from ..group_tabs import group_home_url as registered_group_home_url
from ..group_tabs import group_tabs as registered_group_tabs
from ..permissions import can_open_groups_index, is_portal_admin

register = template.Library()

NAV_COUNTER_HOOK = "register_nav_counter"
# Links a feature app adds to the account menu (the portal admin's tools):
# ``fn(user) -> list[tuple[str, str]]`` of (label, url), asked once per request.
NAV_LINKS_HOOK = "register_nav_links"


@register.simple_tag(takes_context=True)
def nav_counter(context, name):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    # Computed once per request, however many times the header asks.
    cache = getattr(request, "_nav_counters", None)
    if cache is None:
        cache = {}
        for counter in hooks.get_hooks(NAV_COUNTER_HOOK):
            for key, value in counter(user).items():
                cache[key] = cache.get(key, 0) + int(value)
        request._nav_counters = cache
    return cache.get(name, 0)


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
