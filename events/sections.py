"""The home page's «Ближайшие мероприятия» section (``home.sections``, kind EVENTS).

``home`` knows no events; this registers the source its listing block asks for: the next
live events that are not cancelled, as cards, and the live /events/ page for «all».
"""

from __future__ import annotations

from wagtail import hooks

from home import sections

from . import selectors
from .models import EventIndexPage


def _event_cards(request, limit):
    from django.utils.translation import gettext as _

    from .templatetags.event_tags import event_meta

    return [
        sections.CardItem(
            title=event.title,
            url=event.get_url(request=request),
            summary=event.intro,
            meta=event_meta(event),
            badge=event.initiative.short_name if event.initiative else _("Platform event"),
            image=event.image,
        )
        for event in selectors.upcoming_events(limit=limit)
    ]


def _index_url(request):
    page = EventIndexPage.objects.live().public().first()
    return page.get_url(request=request) if page else None


@hooks.register(sections.HOOK_NAME)
def events_section():
    return sections.SectionSource(kind=sections.EVENTS, items=_event_cards, index_url=_index_url)
