"""The events an «анонс мероприятия» in a common group's feed may link.

Registered by the hook's name (``extranet/feed/extensions.py`` defines it as
``FEED_EVENT_CHOICES_HOOK``): events are a public app and import nothing from the extranet.
Offered: the initiative's and the platform's live, upcoming events that are not cancelled.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import formats, timezone
from wagtail import hooks

from core.locales import originals

from .models import EventPage

FEED_EVENT_CHOICES = "feed_event_choices"
LIMIT = 50


@hooks.register(FEED_EVENT_CHOICES)
def event_choices(initiative) -> list[tuple[int, str]]:
    events = (
        originals(EventPage.objects.live())
        .public()
        .filter(Q(initiative=initiative) | Q(initiative__isnull=True))
        .filter(ends_at__gte=timezone.now(), cancelled=False)
        .order_by("starts_at", "pk")
        .only("pk", "title", "starts_at", "time_zone")[:LIMIT]
    )
    return [
        (event.pk, f"{formats.date_format(event.local_start, 'd.m.Y')} — {event.title}")
        for event in events
    ]
