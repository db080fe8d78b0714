"""Wagtail's search promotions (``wagtail.contrib.search_promotions``) on the site's search:
the pages editors chose for a query («Биржа идей», «Мероприятия», «Вступить»), shown above
the results. Editors manage them in Wagtail admin («Настройки» → «Продвижение в поиске»).

Read-only: Wagtail's ``Query.get`` would create a query row on every search, so the query is
looked up by its normalised text instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Page
from wagtail.search.utils import normalise_query_string

from core.locales import in_link_language, localize


@dataclass(frozen=True)
class Promotion:
    title: str
    url: str
    description: str


def search_promotions(*, query: str, request=None) -> list[Promotion]:
    """The promotions of ``query``, in the editors' order: live public pages (their live
    translation in the active language, where there is one) and external links."""
    text = normalise_query_string(query or "")
    if not text:
        return []
    picks = list(
        SearchPromotion.objects.filter(query__query_string=text).order_by("sort_order", "pk")
    )
    if not picks:
        return []
    chosen = Page.objects.live().public().filter(pk__in=[p.page_id for p in picks if p.page_id])
    originals = list(chosen)
    # Their English versions in English, fetched together (core.locales.localize).
    pages = dict(
        zip(
            (page.pk for page in originals),
            localize(originals, queryset=Page.objects.public()),
            strict=True,
        )
    )
    found = []
    for pick in picks:
        if pick.page_id:
            page = pages.get(pick.page_id)
            if page is None:
                continue  # unpublished or private: not promoted
            # A Russian page linked from /en/search/ keeps the /en/ prefix.
            url = in_link_language(page, page.get_url(request=request))
            if url:
                found.append(Promotion(page.title, url, pick.description))
        elif pick.external_link_url:
            found.append(
                Promotion(
                    pick.external_link_text or pick.external_link_url,
                    pick.external_link_url,
                    pick.description,
                )
            )
    return found
