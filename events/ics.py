"""iCalendar (RFC 5545) for one event and for the calendar feed, built with ``icalendar``.

Times go out in UTC (``DTSTART:20260312T070000Z``), which every calendar app imports the same
way; the event's own zone is named in the description. The online link never goes into a
file anyone may download: the description carries the page's address, where a participant
with a seat finds it.
"""

from __future__ import annotations

import re
from datetime import UTC, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from core.locales import originals

from .models import EventIndexPage, EventPage

# The feed carries what is coming and what just happened, so a subscribed calendar keeps
# recent events without growing forever.
FEED_PAST_DAYS = 90


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.PLATFORM_NAME}//{_host()}//RU")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    return calendar


def _location(event: EventPage) -> str:
    place = ", ".join(part for part in (event.venue, event.address) if part)
    if event.format == EventPage.Format.ONLINE:
        return _("Online")
    if event.format == EventPage.Format.HYBRID:
        return f"{place} ({_('and online')})" if place else _("Online")
    return place


def _vevent(event: EventPage, request) -> Event:
    url = event.get_full_url(request=request) or ""
    item = Event()
    item.add("uid", f"event-{event.pk}@{_host()}")
    item.add("dtstamp", timezone.now().astimezone(UTC))
    item.add("dtstart", event.starts_at.astimezone(UTC))
    item.add("dtend", event.ends_at.astimezone(UTC))
    item.add("summary", event.title)
    description = [event.intro] if event.intro else []
    if event.initiative_id:
        description.append(event.initiative.title)
    description.append(url)
    item.add("description", "\n\n".join(description))
    location = _location(event)
    if location:
        item.add("location", location)
    if url:
        item.add("url", url)
    item.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    modified = event.last_published_at or event.latest_revision_created_at
    if modified:
        item.add("last-modified", modified.astimezone(UTC))
        # A calendar app replaces its copy when the sequence grows: seconds since creation.
        first = event.first_published_at or modified
        item.add("sequence", max(0, int((modified - first).total_seconds())))
    return item


def _response(calendar: Calendar, filename: str) -> HttpResponse:
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def event_ics(request, *, event: EventPage) -> HttpResponse:
    calendar = _calendar(event.title)
    calendar.add_component(_vevent(event, request))
    return _response(calendar, f"{event.slug}.ics")


def calendar_ics(request, *, index_page: EventIndexPage) -> HttpResponse:
    """Every live event from ``FEED_PAST_DAYS`` ago on; ``?initiative=<slug>`` narrows it to
    one initiative (an unknown slug gives an empty calendar, not an error)."""
    since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
    events = (
        originals(EventPage.objects.live())
        .public()
        .child_of(index_page)
        .filter(ends_at__gte=since)
        .select_related("initiative")
        .order_by("starts_at", "pk")
    )
    name = index_page.title
    slug = (request.GET.get("initiative") or "").strip()
    filename = "calendar.ics"
    if slug:
        events = events.filter(initiative__slug=slug[:100])
        first = events.first()
        if first is not None:
            name = f"{index_page.title} — {first.initiative.title}"
        if re.fullmatch(r"[-a-z0-9_]{1,60}", slug):
            filename = f"calendar-{slug}.ics"
    calendar = _calendar(name)
    for event in events:
        calendar.add_component(_vevent(event, request))
    return _response(calendar, filename)
