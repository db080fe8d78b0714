"""Fixtures of the events tests: the /events/ index, a kind, an upcoming and a past event."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.events.factories import EventKindFactory, EventPageFactory
from tests.events.factories import event_index as _index


@pytest.fixture
def event_index(home_page):
    return _index()


@pytest.fixture
def event_kind(db):
    return EventKindFactory(name="Обучающий семинар", slug="seminar", sort_order=1)


@pytest.fixture
def event(event_index, event_kind, gorki):
    """An upcoming event of «gorki», open to everyone, registration on, hybrid with a link."""
    return EventPageFactory(
        index=event_index,
        title="Семинар по биотехнологиям",
        slug="biotech-seminar",
        kind=event_kind,
        initiative=gorki,
        format="hybrid",
        online_url="https://meet.example.org/secret-room-42",
    )


@pytest.fixture
def past_event(event_index, event_kind, gorki):
    """An event of «gorki» that ended a month ago (with a report)."""
    starts = timezone.now().replace(microsecond=0) - datetime.timedelta(days=30)
    return EventPageFactory(
        index=event_index,
        title="Круглый стол по итогам года",
        slug="round-table",
        kind=event_kind,
        initiative=gorki,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        report="<p>Обсудили итоги года.</p>",
    )
