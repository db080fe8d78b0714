"""The list and the calendar run in constant queries at 10 and 1,000 events."""

import datetime

import pytest
from django.utils import timezone

from events.models import EventPage
from tests.events.factories import EventPageFactory, bulk_event_pages

pytestmark = pytest.mark.django_db


def _events(n, index, kind, gorki):
    first = EventPageFactory(index=index, kind=kind, initiative=gorki, slug="seed-0")
    now = timezone.now().replace(day=15, hour=10)
    pages = []
    for i in range(1, n):
        start = now + datetime.timedelta(hours=i % 300)
        pages.append(
            EventPage(
                title=f"Событие {i}",
                slug=f"seed-{i}",
                kind=kind,
                initiative=gorki,
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=1),
            )
        )
    bulk_event_pages(index, pages)
    return first


@pytest.mark.parametrize("size", [10, 1000])
def test_list_and_calendar_constant(
    client, event_index, event_kind, gorki, size, django_assert_max_num_queries
):
    """/events/, its past tab and the month calendar stay under one ceiling at both sizes."""
    _events(size, event_index, event_kind, gorki)
    client.get("/events/")
    with django_assert_max_num_queries(16):
        assert client.get("/events/").status_code == 200
    with django_assert_max_num_queries(16):
        assert (
            client.get("/events/", {"view": "calendar", "initiative": "gorki"}).status_code == 200
        )
    with django_assert_max_num_queries(16):
        assert client.get("/events/plan/").status_code == 200
