"""Reads shared by the site shell's views and template tags."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Site

from core.locales import active_language, default_language, originals
from core.pagecache import TAG_ALL, tagged_values

from .translation import page_url_in_language

SEARCH_PAGE_SIZE = 10
SEARCH_MAX_QUERY_LENGTH = 200


def page_search(*, query: str, page_number: int | str | None) -> PaginatorPage:
    """Live, public pages matching ``query`` in the active language, best first, paginated:
    in Russian the Russian pages; in English the English versions and the Russian pages that
    have none (core/locales.py)."""
    results = Page.objects.filter(id__in=_pages_in_language().values("id")).specific()
    results = results.search(query)
    return Paginator(results, SEARCH_PAGE_SIZE).get_page(page_number)


def _pages_in_language():
    pages = Page.objects.live().public()
    language = active_language()
    if language == default_language():
        return originals(pages)
    translated = pages.filter(locale__language_code=language, alias_of__isnull=True)
    return pages.filter(
        Q(pk__in=translated.values("pk"))
        | Q(locale__language_code=default_language())
        & ~Q(translation_key__in=translated.values("translation_key"))
    )


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
        # In English, the English section page's address (or the Russian one under /en/).
        language = active_language()
        menu = [
            (
                slug,
                page.get_url(request=request)
                if language == default_language()
                else page_url_in_language(page, language, request),
            )
            for slug, page in pages.items()
        ]
        order = [slug for slug, _l in MAIN_MENU]
        return {site.pk: sorted(menu, key=lambda item: order.index(item[0]))}

    found = tagged_values(TAG_ALL, f"main-menu:{get_language()}", [site.pk], links)
    labels = dict(MAIN_MENU)
    return [
        NavItem(slug, str(labels[slug]), url, request.path.startswith(url))
        for slug, url in found.get(site.pk) or []
    ]
