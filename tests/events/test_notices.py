"""Events' notices through the notifications mechanism: a new event to its initiative's
approved members (first publication only; nobody for a platform-wide event), the reminder
to the registered people with accounts, the promotion to its person."""

from __future__ import annotations

import pytest
from notifications.models import Notification

from events import services
from events.models import EventPage, Registration
from tests.events.factories import EventPageFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def _recipients(kind: str) -> set[int]:
    return set(Notification.objects.filter(verb=kind).values_list("recipient_id", flat=True))


def test_first_publication_tells_the_initiatives_members_only(
    event_index, event_kind, gorki, people, django_capture_on_commit_callbacks
):
    """Approved members and admins of «gorki» get «new event»; the pending applicant, the
    other initiative's member, editors and portal admins do not; the url is unprefixed."""
    with django_capture_on_commit_callbacks(execute=True):
        event = EventPageFactory(index=event_index, kind=event_kind, initiative=gorki)
    assert _recipients("events.announced") == {people["member"].pk, people["initiative_admin"].pk}
    notice = Notification.objects.filter(verb="events.announced").first()
    assert notice.data["url"] == event.url and not notice.data["url"].startswith("/en/")
    assert event.title in notice.data["params"]["title"]
    event.refresh_from_db()
    assert event.announced_at is not None


def test_republishing_does_not_announce_again(
    event_index, event_kind, gorki, people, django_capture_on_commit_callbacks
):
    """A second publication (an edit) sends nothing more."""
    with django_capture_on_commit_callbacks(execute=True):
        event = EventPageFactory(index=event_index, kind=event_kind, initiative=gorki)
    before = Notification.objects.filter(verb="events.announced").count()
    with django_capture_on_commit_callbacks(execute=True):
        # As Wagtail's edit view does: the page as stored, then a new revision of it.
        event = EventPage.objects.get(pk=event.pk).get_latest_revision_as_object()
        event.title = "Семинар (перенесён)"
        event.save_revision().publish()
    assert Notification.objects.filter(verb="events.announced").count() == before == 2


def test_draft_announces_when_first_published(
    event_index, event_kind, gorki, people, django_capture_on_commit_callbacks
):
    """A draft says nothing; its first publication announces it."""
    with django_capture_on_commit_callbacks(execute=True):
        event = EventPageFactory(
            index=event_index, kind=event_kind, initiative=gorki, publish=False
        )
    assert not _recipients("events.announced")
    with django_capture_on_commit_callbacks(execute=True):
        event.save_revision().publish()
    assert _recipients("events.announced") == {people["member"].pk, people["initiative_admin"].pk}


def test_platform_wide_event_announces_to_nobody(
    event_index, event_kind, people, django_capture_on_commit_callbacks
):
    """An event of no initiative has no members to tell."""
    with django_capture_on_commit_callbacks(execute=True):
        EventPageFactory(index=event_index, kind=event_kind, initiative=None)
    assert not Notification.objects.filter(verb="events.announced").exists()


def test_reminder_goes_to_registered_people_with_a_seat(
    event, people, django_capture_on_commit_callbacks
):
    """The reminder notice reaches confirmed registrants with accounts only."""
    RegistrationFactory(event=event, user=people["member"])
    RegistrationFactory(event=event, user=people["registered"], status="waitlisted")
    RegistrationFactory(event=event, user=people["other_member"], status="cancelled")
    now = event.starts_at - services.REMINDER_AHEAD / 2
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_send(now=now)
    assert _recipients("events.reminder") == {people["member"].pk}


def test_promotion_notice_goes_to_the_promoted_person(
    event, people, django_capture_on_commit_callbacks
):
    """A seat from the waiting list is told to its person only."""
    event.capacity = 1
    event.save(update_fields=["capacity"])
    holder = RegistrationFactory(event=event, user=people["member"])
    RegistrationFactory(
        event=event, user=people["registered"], status=Registration.Status.WAITLISTED
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=holder)
    assert _recipients("events.promoted") == {people["registered"].pk}
