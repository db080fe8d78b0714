"""The .ics of one event and the calendar feed: valid iCalendar that the library parses, with
the right times in UTC, nothing private, and bad input answered with an empty calendar."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from tests.events.factories import EventPageFactory

pytestmark = pytest.mark.django_db


def _parse(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    return Calendar.from_ical(response.content)


def _events(calendar):
    return list(calendar.walk("VEVENT"))


@pytest.mark.parametrize("zone", ["Europe/Minsk", "Asia/Novosibirsk"])
def test_event_ics_has_its_times_in_utc(client, event_index, zone):
    """10:00–12:30 in the event's zone come out as the same instants in UTC (Z times)."""
    starts = datetime.datetime(2027, 3, 12, 10, 0, tzinfo=ZoneInfo(zone))
    event = EventPageFactory(
        index=event_index,
        slug=f"zone-{zone.split('/')[1].lower()}",
        time_zone=zone,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2, minutes=30),
    )
    response = client.get(f"/events/{event.slug}/event.ics")
    calendar = _parse(response)
    assert str(calendar["version"]) == "2.0"
    (vevent,) = _events(calendar)
    start, end = vevent.decoded("dtstart"), vevent.decoded("dtend")
    assert start.utcoffset() == datetime.timedelta(0)
    assert start == starts and end == starts + datetime.timedelta(hours=2, minutes=30)
    assert b"DTSTART:20270312T" in response.content and b"Z\r\n" in response.content
    assert str(vevent["summary"]) == event.title
    assert str(vevent["uid"]).startswith(f"event-{event.pk}@")
    assert "Конференц-зал" in str(vevent["location"])


def test_the_online_link_is_never_in_a_calendar_file(client, event):
    """The hybrid event's link is for people with a seat: neither file carries it."""
    for path in (f"/events/{event.slug}/event.ics", "/events/calendar.ics"):
        response = client.get(path)
        assert response.status_code == 200
        assert b"secret-room-42" not in response.content


def test_feed_lists_live_events_and_filters_by_initiative(client, event_index, gorki, polotsk):
    """The feed has every live event (drafts left out); ?initiative= keeps that initiative's,
    an unknown slug gives an empty but valid calendar."""
    ours = EventPageFactory(index=event_index, initiative=gorki, title="Горки: семинар")
    theirs = EventPageFactory(index=event_index, initiative=polotsk, title="Полоцк: форум")
    EventPageFactory(index=event_index, initiative=gorki, title="Черновик", publish=False)
    titles = {str(e["summary"]) for e in _events(_parse(client.get("/events/calendar.ics")))}
    assert titles == {ours.title, theirs.title}
    only = _parse(client.get("/events/calendar.ics", {"initiative": gorki.slug}))
    assert {str(e["summary"]) for e in _events(only)} == {ours.title}
    for bad in ("nope", "'\"><x>", "x" * 500):
        assert _events(_parse(client.get("/events/calendar.ics", {"initiative": bad}))) == []


def test_cancelled_event_says_so(client, event_index):
    """A cancelled event stays in calendars with STATUS:CANCELLED, so imported copies update."""
    event = EventPageFactory(index=event_index, cancelled=True)
    (vevent,) = _events(_parse(client.get(f"/events/{event.slug}/event.ics")))
    assert str(vevent["status"]) == "CANCELLED"


def test_unknown_or_draft_event_is_404(client, event_index):
    """Only live events have a file."""
    draft = EventPageFactory(index=event_index, publish=False)
    assert client.get(f"/events/{draft.slug}/event.ics").status_code == 404
    assert client.get("/events/no-such-event/event.ics").status_code == 404


@pytest.mark.parametrize("size", [10, 60])
def test_feed_is_constant_in_queries(
    client, event_index, gorki, size, django_assert_max_num_queries
):
    """The feed's queries do not grow with the number of events."""
    for n in range(size):
        EventPageFactory(index=event_index, initiative=gorki if n % 2 else None)
    client.get("/events/calendar.ics")
    with django_assert_max_num_queries(8):
        response = client.get("/events/calendar.ics")
    assert len(_events(_parse(response))) == size
