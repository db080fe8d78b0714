"""The .ics of one event and the calendar feed: valid iCalendar that the library parses, with
the right times in UTC, nothing private, and bad input answered with an empty calendar."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation
from icalendar import Calendar

from events.models import EventPage
from tests.events.factories import EventPageFactory, bulk_event_pages

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


def _quick_events(index, kind, count: int, prefix: str, **fields) -> None:
    """``count`` live events added at once (``bulk_event_pages``)."""
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
    bulk_event_pages(
        index,
        [
            EventPage(
                title=f"Событие {prefix} {n}",
                slug=f"{prefix}-{n}",
                kind=kind,
                starts_at=starts + datetime.timedelta(hours=n),
                ends_at=starts + datetime.timedelta(hours=n + 2),
                **fields,
            )
            for n in range(count)
        ],
    )


@pytest.mark.parametrize("size", [10, 1000])
def test_feed_is_constant_in_queries(
    client, event_index, event_kind, gorki, size, django_assert_max_num_queries
):
    """The feed's queries do not grow with the number of events (10 and 1,000), also when
    filtered by initiative."""
    _quick_events(event_index, event_kind, size // 2, "gorki", initiative=gorki)
    _quick_events(event_index, event_kind, size - size // 2, "platform")
    client.get("/events/calendar.ics")
    with django_assert_max_num_queries(8):
        response = client.get("/events/calendar.ics")
    assert len(_events(_parse(response))) == size
    with django_assert_max_num_queries(8):
        response = client.get("/events/calendar.ics", {"initiative": gorki.slug})
    assert len(_events(_parse(response))) == size // 2


def test_feed_keeps_90_days_of_past_events(client, event_index):
    """An event that ended a month ago stays in the feed; one that ended 100 days ago is gone
    (its own .ics still works)."""
    now = timezone.now().replace(microsecond=0)
    recent = EventPageFactory(
        index=event_index,
        starts_at=now - datetime.timedelta(days=30),
        ends_at=now - datetime.timedelta(days=30) + datetime.timedelta(hours=2),
    )
    old = EventPageFactory(
        index=event_index,
        starts_at=now - datetime.timedelta(days=100),
        ends_at=now - datetime.timedelta(days=100) + datetime.timedelta(hours=2),
    )
    feed = _parse(client.get("/events/calendar.ics"))
    assert {str(e["summary"]) for e in _events(feed)} == {recent.title}
    assert _events(_parse(client.get(f"/events/{old.slug}/event.ics")))


def test_online_event_location_and_description(client, event_index):
    """An online event's LOCATION is the format's label («Онлайн»); the description has the
    intro and the page address, never the link to join; URL is the page; the calendar has
    the RFC 5545 header properties."""
    event = EventPageFactory(
        index=event_index,
        format="online",
        venue="",
        address="",
        online_url="https://meet.example.org/private-call-77",
        intro="Вебинар для участников.",
    )
    response = client.get(f"/events/{event.slug}/event.ics")
    calendar = _parse(response)
    assert f'filename="{event.slug}.ics"' in response["Content-Disposition"]
    for prop in ("prodid", "calscale", "method", "x-wr-calname"):
        assert str(calendar[prop])
    assert str(calendar["method"]) == "PUBLISH"
    (vevent,) = _events(calendar)
    with translation.override("ru"):
        assert str(vevent["location"]) == str(EventPage.Format.ONLINE.label)
    description = str(vevent["description"])
    assert "Вебинар для участников." in description
    assert event.full_url in description and str(vevent["url"]) == event.full_url
    assert b"private-call-77" not in response.content
    assert str(vevent["status"]) == "CONFIRMED"
    assert vevent.decoded("dtstamp").utcoffset() == datetime.timedelta(0)
    assert "last-modified" in vevent and "sequence" in vevent


@pytest.mark.parametrize(
    ("zone", "utc_start"),
    [("Europe/Minsk", "20270312T070000Z"), ("Asia/Novosibirsk", "20270312T030000Z")],
)
def test_times_typed_in_the_admin_come_out_in_utc(
    client_for, event_index, event_kind, editor, zone, utc_start
):
    """An editor types 10:00–12:30 in Wagtail admin for an event in ``zone``; the .ics has
    the same instants in UTC (Minsk is UTC+3, Novosibirsk UTC+7)."""
    from wagtail.test.utils.form_data import (
        inline_formset,
        nested_form_data,
        rich_text,
        streamfield,
    )

    client = client_for(editor)
    data = nested_form_data(
        {
            "title": "Семинар в своём часовом поясе",
            "slug": "zoned-seminar",
            "intro": "",
            "initiative": "",
            "kind": event_kind.pk,
            "format": "offline",
            "starts_at": "2027-03-12 10:00",
            "ends_at": "2027-03-12 12:30",
            "time_zone": zone,
            "venue": "Зал",
            "address": "",
            "online_url": "",
            "organisers": "",
            "body": streamfield([]),
            "programme": streamfield([]),
            "speakers": inline_formset([]),
            "photos": inline_formset([]),
            "documents": inline_formset([]),
            "registration_enabled": "on",
            "audience": "everyone",
            "capacity": "",
            "registration_deadline": "",
            "in_plan": "on",
            "plan_participants": "",
            "plan_timing": "",
            "plan_budget": "",
            "plan_funding_source": "",
            "plan_results": "",
            "report": rich_text(""),
            "report_participants": "",
            "action-publish": "publish",
        }
    )
    add = f"/admin/pages/add/events/eventpage/{event_index.pk}/"
    response = client.post(add, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = EventPage.objects.get(slug="zoned-seminar")
    assert event.live and event.time_zone == zone
    body = client_for(None).get("/events/zoned-seminar/event.ics").content
    assert f"DTSTART:{utc_start}".encode() in body
    (vevent,) = _events(Calendar.from_ical(body))
    assert vevent.decoded("dtend") - vevent.decoded("dtstart") == datetime.timedelta(
        hours=2, minutes=30
    )
