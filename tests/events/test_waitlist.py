"""The waiting list: it moves up in the order people joined it when someone cancels, the
promoted person is told (a notice for an account, an e-mail for a guest), and the last seat
goes to one of two people registering at the same moment (PostgreSQL)."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection, connections
from django.utils import timezone
from notifications.models import Notification

from events import services, signals
from events.models import Registration
from tests.events.factories import RegistrationFactory
from tests.events.test_registration import manage_url, url
from tests.factories import UserFactory

Status = Registration.Status


def _full(event, capacity=1):
    event.capacity = capacity
    event.save(update_fields=["capacity"])


@pytest.mark.django_db
def test_cancel_moves_the_first_in_the_queue_up_and_tells_them(
    event, people, client_for, django_capture_on_commit_callbacks
):
    """Cancelling (POST cancel/) frees the seat for the earliest waiting person, who gets
    the «promoted» notice; the later one stays on the list."""
    _full(event)
    holder = RegistrationFactory(event=event, user=people["member"])
    now = timezone.now()
    first = RegistrationFactory(
        event=event,
        user=people["registered"],
        status=Status.WAITLISTED,
        queued_at=now - datetime.timedelta(minutes=5),
    )
    second = RegistrationFactory(
        event=event,
        user=people["other_member"],
        status=Status.WAITLISTED,
        queued_at=now,
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(people["member"]).post(url(event, "cancel"))
    assert response.status_code == 302
    holder.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert holder.status == Status.CANCELLED and holder.cancelled_at is not None
    assert first.status == Status.CONFIRMED and first.promoted_at is not None
    assert second.status == Status.WAITLISTED
    promoted = Notification.objects.filter(verb="events.promoted")
    assert list(promoted.values_list("recipient_id", flat=True)) == [people["registered"].pk]


@pytest.mark.django_db
def test_queue_order_is_queued_at_not_creation(event, people):
    """The list's order is when people joined it (queued_at), whatever the row ids say."""
    _full(event)
    holder = RegistrationFactory(event=event, user=people["member"])
    now = timezone.now()
    later = RegistrationFactory(
        event=event, user=people["registered"], status=Status.WAITLISTED, queued_at=now
    )
    earlier = RegistrationFactory(
        event=event,
        user=people["other_member"],
        status=Status.WAITLISTED,
        queued_at=now - datetime.timedelta(hours=1),
    )
    promoted = services.registration_cancel(registration=holder)
    assert [r.pk for r in promoted] == [earlier.pk]
    later.refresh_from_db()
    assert later.status == Status.WAITLISTED


@pytest.mark.django_db
def test_promoted_guest_is_emailed_with_their_link(
    event, people, client, django_capture_on_commit_callbacks
):
    """A guest who moves up gets an e-mail with their registration link; the guest who
    cancels with their own link frees the seat for them."""
    _full(event)
    leaving = RegistrationFactory(event=event, user=None, email="leaving@example.com")
    waiting = RegistrationFactory(
        event=event, user=None, email="waiting@example.com", status=Status.WAITLISTED
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(manage_url(leaving), {"action": "cancel"})
    assert response.status_code == 200
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED
    (message,) = mail.outbox
    assert message.to == ["waiting@example.com"]
    assert manage_url(waiting) in message.body


@pytest.mark.django_db
def test_no_promotion_once_the_event_started(event, people):
    """A seat freed after the start is not handed out: nobody is told to come to an event
    already under way."""
    _full(event)
    holder = RegistrationFactory(event=event, user=people["member"])
    RegistrationFactory(event=event, user=people["registered"], status=Status.WAITLISTED)
    later = event.starts_at + datetime.timedelta(minutes=1)
    assert services.registration_cancel(registration=holder, now=later) == []


@pytest.mark.django_db
def test_more_seats_published_move_the_list_up(event, people):
    """Publishing the page with a larger capacity promotes as many as now fit."""
    _full(event)
    RegistrationFactory(event=event, user=people["member"])
    waiting = [
        RegistrationFactory(event=event, user=people[r], status=Status.WAITLISTED)
        for r in ("registered", "other_member")
    ]
    event.capacity = 2
    event.save_revision().publish()
    statuses = [Registration.objects.get(pk=r.pk).status for r in waiting]
    assert statuses == [Status.CONFIRMED, Status.WAITLISTED]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has one writer and ignores SELECT … FOR UPDATE: the race needs PostgreSQL",
)
def test_last_seat_race_gives_one_seat_and_one_waiting_place(event_index, event_kind, gorki):
    """Two people registering for the one remaining seat at the same moment: the event row's
    lock makes one of them confirmed and the other waitlisted, never two seats."""
    from tests.events.factories import EventPageFactory

    event = EventPageFactory(index=event_index, kind=event_kind, initiative=gorki, capacity=2)
    RegistrationFactory(event=event)
    users = [UserFactory(), UserFactory()]
    barrier = threading.Barrier(2)
    errors = []

    def register(user):
        try:
            barrier.wait(timeout=10)
            services.registration_create(event=event, user=user)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    statuses = sorted(Registration.objects.filter(user__in=users).values_list("status", flat=True))
    assert statuses == [Status.CONFIRMED, Status.WAITLISTED]


@pytest.mark.django_db
def test_promotion_signal_carries_the_registration(
    event, people, django_capture_on_commit_callbacks
):
    """``registration_promoted`` is sent after the commit with the promoted registration."""
    _full(event)
    holder = RegistrationFactory(event=event, user=people["member"])
    waiting = RegistrationFactory(event=event, user=people["registered"], status=Status.WAITLISTED)
    seen = []

    def listener(sender, registration, **kwargs):
        seen.append(registration.pk)

    signals.registration_promoted.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.registration_cancel(registration=holder)
    finally:
        signals.registration_promoted.disconnect(listener)
    assert seen == [waiting.pk]
