"""The tabs of a common group («Лента», «Документы», «Участники», later more): each app that
has pages in a group registers them with the Wagtail hook ``register_group_tab``, so the
group header, «Назад в группу» and the list of groups never guess another app's URL names.
"""

from __future__ import annotations

from dataclasses import dataclass

from wagtail import hooks

# ``fn(initiative) -> iterable of (key, label, url)``: the app's tabs for that group, empty
# while its service is switched off there. Tabs are shown in hook order (``order=``), the
# first one is the group's home.
GROUP_TAB_HOOK = "register_group_tab"


@dataclass(frozen=True)
class GroupTab:
    key: str
    label: str
    url: str


def group_tabs(initiative) -> list[GroupTab]:
    """Every registered tab of ``initiative``'s group, in order; no query (the providers read
    the initiative's own switches)."""
    return [
        GroupTab(key=key, label=str(label), url=url)
        for provider in hooks.get_hooks(GROUP_TAB_HOOK)
        for key, label, url in provider(initiative)
    ]


def group_home_url(initiative) -> str:
    """The group's first tab (its feed, or its directory while the feed is off), "" when no
    service of the group is on."""
    tabs = group_tabs(initiative)
    return tabs[0].url if tabs else ""


def group_tab_url(initiative, key: str) -> str:
    """The URL of the tab ``key`` of ``initiative``'s group, "" when nothing provides it."""
    return next((tab.url for tab in group_tabs(initiative) if tab.key == key), "")
