"""Django views behind ``events/urls.py``: find the live page, then call its route's method."""

from __future__ import annotations

from django.http import Http404

from core.locales import originals

from .models import EventIndexPage, EventPage


def _index_page() -> EventIndexPage:
    page = EventIndexPage.objects.live().public().first()
    if page is None:
        raise Http404
    return page


def calendar_ics(request):
    return _index_page().calendar_ics_view(request)


def plan_xlsx(request):
    return _index_page().plan_xlsx_view(request)


def _event(slug: str) -> EventPage:
    event = (
        originals(EventPage.objects.live())
        .public()
        .child_of(_index_page())
        .filter(slug=slug)
        .select_related("initiative", "kind")
        .first()
    )
    if event is None:
        raise Http404
    return event


def event_ics(request, slug: str):
    return _event(slug).event_ics_view(request)


def registration(request, slug: str, token: str):
    return _event(slug).registration_view(request, token=token)
