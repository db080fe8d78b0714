"""A guest registers for an open event, confirms through the e-mailed link and downloads the
event's .ics, which the icalendar library parses with the event's times in UTC."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from icalendar import Calendar

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def open_event(asgi_live_server, gorki):
    """An upcoming event of «gorki» open to everyone, 10:00–12:30 in Novosibirsk (UTC+7), so
    the UTC times differ from both the server's and the browser's zone."""
    from tests.events.factories import EventKindFactory, EventPageFactory, event_index

    start = datetime.datetime.now(ZoneInfo("Asia/Novosibirsk")).replace(
        hour=10, minute=0, second=0, microsecond=0
    ) + datetime.timedelta(days=14)
    return EventPageFactory(
        index=event_index(),
        title="Открытый семинар по биотехнологиям",
        slug="open-biotech-seminar",
        kind=EventKindFactory(name="Обучающий семинар", slug="seminar"),
        initiative=gorki,
        time_zone="Asia/Novosibirsk",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2, minutes=30),
        format="hybrid",
        online_url="https://meet.example.org/secret-room-42",
    )


def test_guest_registers_confirms_and_downloads_the_ics(
    page, asgi_live_server, open_event, screenshot
):
    """Event page → the guest form (name, e-mail, organisation) → «check your e-mail» → the
    link in the confirmation e-mail → «Confirm» → registered; then «Add to calendar (.ics)»
    downloads a file with one VEVENT whose DTSTART/DTEND are the event's instants in UTC and
    that carries no online link."""
    from events.models import Registration

    base = asgi_live_server.url
    mail.outbox.clear()
    page.goto(base + open_event.url)
    assert page.get_by_role("heading", level=1).inner_text().strip() == open_event.title

    form = page.locator("#guest-registration")
    form.locator("input[name=name]").fill("Иванова Анна")
    form.locator("input[name=email]").fill("anna.ivanova@example.org")
    form.locator("input[name=organisation]").fill("БГСХА")
    # The event page is cached for guests and its form carries no CSRF token: csrf.js fetches
    # one first, so the form's navigation starts a moment after the click.
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    screenshot(page, "registered")

    registration = Registration.objects.get(event=open_event)
    assert (registration.name, registration.organisation) == ("Иванова Анна", "БГСХА")
    assert registration.status == Registration.Status.PENDING
    (message,) = [m for m in mail.outbox if m.to == ["anna.ivanova@example.org"]]
    assert open_event.title in message.subject
    link = re.search(r"https?://\S+/registration/\S+/", message.body)
    assert link is not None, message.body
    page.goto(base + urlsplit(link.group(0)).path)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    screenshot(page, "confirmed")

    page.goto(base + open_event.url)
    with page.expect_download() as download_info:
        page.locator("a[href$='event.ics']").first.click()
    download = download_info.value
    assert download.suggested_filename == f"{open_event.slug}.ics"
    content = Path(download.path()).read_bytes()
    assert b"secret-room-42" not in content
    (vevent,) = Calendar.from_ical(content).walk("VEVENT")
    start, end = vevent.decoded("dtstart"), vevent.decoded("dtend")
    assert start.utcoffset() == datetime.timedelta(0)
    assert start == open_event.starts_at and end == open_event.ends_at
    assert start.astimezone(ZoneInfo("Asia/Novosibirsk")).hour == 10
    assert f"DTSTART:{start:%Y%m%dT%H%M%S}Z".encode() in content
    assert str(vevent["summary"]) == open_event.title
