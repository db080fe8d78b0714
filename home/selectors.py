"""Reads shared by the site shell's views and template tags."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Site

from core.pagecache import TAG_ALL, tagged_values

SEARCH_PAGE_SIZE = 10
SEARCH_MAX_QUERY_LENGTH = 200


def page_search(*, query: str, page_number: int | str | None) -> PaginatorPage:
    """Live, public pages matching ``query``, best first, paginated."""
    results = Page.objects.live().public().specific().search(query)
    return Paginator(results, SEARCH_PAGE_SIZE).get_page(page_number)


@dataclass(frozen=True)
class NavItem:
    slug: str
    label: str
    url: str
    active: bool


# The main menu of the mock-ups. Each item appears once its section page exists and is live,
# so the menu never links to a page that is not there.
MAIN_MENU = [
    ("initiatives", _("Cluster initiatives")),
    ("events", _("Events")),
    ("ideas", _("Ideas exchange")),
    ("news", _("News")),
]


def main_menu(*, request) -> list[NavItem]:
    site = Site.find_for_request(request)
    if site is None:
        return []

    def links(site_ids) -> dict:
        # The section pages' addresses change only with the tree (a purge of "all").
        root = site.root_page
        pages = {
            page.slug: page
            for page in Page.objects.child_of(root)
            .live()
            .filter(slug__in=[s for s, _l in MAIN_MENU])
        }
        menu = [(slug, page.get_url(request=request)) for slug, page in pages.items()]
        order = [slug for slug, _l in MAIN_MENU]
        return {site.pk: sorted(menu, key=lambda item: order.index(item[0]))}

    found = tagged_values(TAG_ALL, f"main-menu:{get_language()}", [site.pk], links)
    labels = dict(MAIN_MENU)
    return [
        NavItem(slug, str(labels[slug]), url, request.path.startswith(url))
        for slug, url in found.get(site.pk) or []
    ]
