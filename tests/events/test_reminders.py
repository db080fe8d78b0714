"""send_event_reminders: events starting within 24 hours, each confirmed registration once
(a re-run sends nothing), guests by e-mail with the calendar link and their cancel link."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from notifications.models import Notification

from events import services
from events.models import Registration
from tests.events.factories import EventPageFactory, RegistrationFactory
from tests.events.test_registration import manage_url, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def tomorrow(event_index, event_kind, gorki):
    starts = timezone.now() + datetime.timedelta(hours=20)
    return EventPageFactory(
        index=event_index,
        kind=event_kind,
        initiative=gorki,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
    )


def test_command_reminds_each_registration_once(
    tomorrow, people, django_capture_on_commit_callbacks
):
    """The first run reminds a user (notice) and a guest (e-mail); the second run nothing."""
    RegistrationFactory(event=tomorrow, user=people["member"])
    guest = RegistrationFactory(event=tomorrow, user=None, email="guest@example.com")
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_event_reminders", stdout=out)
    assert "2 registrations reminded" in out.getvalue()
    assert Notification.objects.filter(verb="events.reminder").count() == 1
    # The guest's own e-mail, and the member's notice mailed at once (the events default).
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        ["guest@example.com", people["member"].email]
    )
    (guest_mail,) = [m for m in mail.outbox if m.to == ["guest@example.com"]]
    body = guest_mail.body
    assert url(tomorrow, "event_ics") in body
    assert manage_url(guest) in body
    assert Registration.objects.filter(reminded_at__isnull=True).count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send() == 0
    assert Notification.objects.filter(verb="events.reminder").count() == 1
    assert len(mail.outbox) == 2


def test_only_events_within_the_next_day_and_seats_only(
    tomorrow, event, people, django_capture_on_commit_callbacks
):
    """An event a week ahead, a waitlisted, pending or cancelled registration and a cancelled
    event are not reminded."""
    RegistrationFactory(event=event, user=people["member"])  # a week ahead
    RegistrationFactory(event=tomorrow, user=people["registered"], status="waitlisted")
    RegistrationFactory(event=tomorrow, user=None, email="p@example.com", status="pending")
    RegistrationFactory(event=tomorrow, user=people["other_member"], status="cancelled")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send() == 0
    assert not mail.outbox
    tomorrow.cancelled = True
    tomorrow.save(update_fields=["cancelled"])
    RegistrationFactory(event=tomorrow, user=people["editor"])
    assert services.reminders_send() == 0


def test_a_claimed_registration_is_not_reminded_by_a_concurrent_run(tomorrow, people):
    """A row another run claimed (reminded_at set) is skipped: the claim is the UPDATE."""
    reg = RegistrationFactory(event=tomorrow, user=people["member"])
    Registration.objects.filter(pk=reg.pk).update(reminded_at=timezone.now())
    assert services.reminders_send() == 0
