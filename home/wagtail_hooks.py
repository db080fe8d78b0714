"""The home app's additions to Wagtail admin: the dashboard's «Недавно опубликованные»."""

from __future__ import annotations

from wagtail import hooks

from .admin_panels import RecentlyPublishedPanel


@hooks.register("construct_homepage_panels")
def add_recently_published(request, panels):
    panels.append(RecentlyPublishedPanel(request))
