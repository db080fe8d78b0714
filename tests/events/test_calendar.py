"""The month calendar: Monday-first weeks, events on their days, month links, bad months."""

import datetime

import pytest

from events import selectors
from tests.events.factories import EventPageFactory

pytestmark = pytest.mark.django_db


def test_month_grid_and_events(client, event_index):
    """March 2026 starts on Monday 23 Feb; an event at 10:00 Minsk on 12 March is on the
    12th with its time and link; the previous/next links keep the filters."""
    start = datetime.datetime(2026, 3, 12, 7, 0, tzinfo=datetime.UTC)
    ev = EventPageFactory(slug="march", title="Мартовский семинар", starts_at=start, ends_at=start)
    cal = selectors.month_calendar(month=datetime.date(2026, 3, 1))
    assert cal.weeks[0][0].date == datetime.date(2026, 2, 23)
    days = {day.date: day.events for week in cal.weeks for day in week}
    assert days[datetime.date(2026, 3, 12)] == [ev]
    assert days[datetime.date(2026, 3, 11)] == []
    html = client.get(
        "/events/", {"view": "calendar", "month": "2026-03", "format": "offline"}
    ).content.decode()
    assert "10:00" in html and ev.url in html
    assert "month=2026-04" in html and "month=2026-02" in html and "format=offline" in html


@pytest.mark.parametrize("month", ["2026-13", "abc", "0000-01"])
def test_bad_month_is_current_month(client, event_index, month):
    """A month that is no month shows the current month with a note, not a 500."""
    response = client.get("/events/", {"view": "calendar", "month": month})
    assert response.status_code == 200
    assert response.context["calendar"].month == selectors.today().replace(day=1)
    assert response.context["month_understood"] is False
