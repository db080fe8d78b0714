"""The events seeder: the kinds of seed 003, /events/, a year of events with registrations,
attendance and ratings; idempotent; every event page it made opens."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from events.demo import EVENTS, KINDS
from events.models import EventIndexPage, EventKind, EventPage, Feedback, Registration

pytestmark = pytest.mark.django_db


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", "--force", *args, stdout=out)
    return out.getvalue()


def _snapshot() -> dict:
    return {
        "kinds": sorted(EventKind.objects.values_list("slug", "name")),
        "events": sorted(EventPage.objects.values_list("slug", "starts_at", "live")),
        "registrations": sorted(
            Registration.objects.values_list("event__slug", "email", "status", "attended")
        ),
        "feedback": sorted(Feedback.objects.values_list("event__slug", "rating", "comment")),
    }


def test_seed_makes_kinds_index_and_a_year_of_events(home_page):
    """Seed 003's seven kinds, /events/ under the home page, 2–3 events a month of the
    current year across the initiatives and the platform, past ones with reports,
    registrations, attendance and ratings, a full one with a waiting list."""
    seed()
    assert {name for _slug, name in KINDS} == set(EventKind.objects.values_list("name", flat=True))
    index = EventIndexPage.objects.get()
    assert index.url == "/events/" and index.live
    events = list(EventPage.objects.child_of(index).live())
    assert len(events) == len(EVENTS) >= 20
    year = timezone.now().year
    this_year = [e for e in events if e.starts_at.year == year]
    assert len({e.starts_at.month for e in this_year}) == 12
    assert {e.initiative_id is None for e in events} == {True, False}
    assert len({e.initiative_id for e in events if e.initiative_id}) == 4
    assert {e.format for e in events} == {"offline", "online", "hybrid"}
    assert len({e.kind_id for e in events}) == 7
    past = [e for e in events if e.has_ended() and not e.cancelled]
    ahead = [e for e in events if not e.has_started()]
    assert past and len(ahead) >= 4
    assert all(e.report for e in past if e.slug != "platform-year-end-conference")
    assert Registration.objects.filter(event__in=past, attended=True).exists()
    assert Registration.objects.filter(event__in=past, attended=False).exists()
    assert Feedback.objects.filter(event__in=past).count() >= len(past)
    assert not Registration.objects.filter(event__in=ahead).exclude(attended=None).exists()
    full = EventPage.objects.get(slug="gorki-grant-application-seminar")
    assert full.registrations.filter(status="confirmed").count() == full.capacity
    assert full.registrations.filter(status="waitlisted").count() == 3
    assert any(e.speakers.exists() for e in events)
    assert any(e.programme.raw_data for e in events)
    assert all(e.plan_participants and e.plan_results for e in events)
    # Times are the local ones of each event's zone (Minsk UTC+3, Novosibirsk UTC+7).
    minsk = EventPage.objects.get(slug="clusters-annual-meeting")
    assert (minsk.local_start.hour, minsk.starts_at.astimezone(datetime.UTC).hour) == (10, 7)
    mission = EventPage.objects.get(slug="polesie-business-mission")
    assert mission.time_zone == "Asia/Novosibirsk"
    assert (mission.local_start.hour, mission.starts_at.astimezone(datetime.UTC).hour) == (9, 2)


def test_seed_twice_creates_no_duplicates(home_page):
    """A second run finds every kind, event, registration and rating by its natural key."""
    seed()
    first = _snapshot()
    seed()
    assert _snapshot() == first


def test_every_seeded_event_page_opens(client, home_page):
    """The index, each event page, its .ics, the feed and the plan answer 200 to a guest."""
    seed()
    assert client.get("/events/").status_code == 200
    assert client.get("/events/calendar.ics").status_code == 200
    assert client.get("/events/plan/").status_code == 200
    for event in EventPage.objects.live():
        response = client.get(event.url)
        assert response.status_code == 200, event.url
        for item in event.programme.raw_data:
            assert item["value"]["title"] in response.content.decode(), event.url
        assert client.get(f"{event.url}event.ics").status_code == 200, event.url


def test_scale_multiplies_events(home_page):
    """--scale 2 makes 60 events in all (the generated ones without registrations)."""
    seed("--scale", "2")
    assert EventPage.objects.count() == 60
