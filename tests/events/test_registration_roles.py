"""Every registration URL × every role (guest, registered, pending, member, other_member,
initiative_admin, editor, portal_admin): what each may do and what each is told; GET on a
POST-only route is 405 for everyone."""

from __future__ import annotations

import pytest

from events.models import Registration
from tests.conftest import EXTRANET_ROLES
from tests.events.factories import RegistrationFactory
from tests.events.test_registration import GUEST, manage_url, url

pytestmark = pytest.mark.django_db

Status = Registration.Status


@pytest.fixture
def members_event(event):
    event.audience = "members"
    event.save(update_fields=["audience"])
    return event


# Who registers for a members-only event of «gorki»: its members and admins, and the
# organisers (editors, portal admins); not a guest, a bare account, a pending applicant or
# another initiative's member.
MEMBERS_EVENT_REGISTERS = {
    "guest": False,
    "registered": False,
    "editor": True,
    "pending": False,
    "other_member": False,
    "member": True,
    "initiative_admin": True,
    "portal_admin": True,
}


@pytest.mark.parametrize("role", EXTRANET_ROLES)
def test_register_on_a_members_only_event(members_event, people, client_for, role):
    """Allowed roles get a seat (302); the others a 400 with a sentence and no row."""
    response = client_for(people[role]).post(
        url(members_event, "register"), GUEST if role == "guest" else {}
    )
    made = Registration.objects.filter(event=members_event).exists()
    assert made is MEMBERS_EVENT_REGISTERS[role]
    assert response.status_code == (302 if made else 400)


@pytest.mark.parametrize("role", EXTRANET_ROLES)
def test_register_on_an_open_event(event, people, client_for, role):
    """Everyone registers for an open event: accounts confirmed, the guest pending."""
    response = client_for(people[role]).post(url(event, "register"), GUEST)
    assert response.status_code == 302
    registration = Registration.objects.get(event=event)
    expected = Status.PENDING if role == "guest" else Status.CONFIRMED
    assert registration.status == expected


@pytest.mark.parametrize("role", EXTRANET_ROLES)
def test_cancel_only_ones_own(event, people, client_for, role):
    """cancel/ cancels the viewer's own registration; with none (a guest, or someone else's
    registration only) it is a 400 and nothing changes."""
    other = RegistrationFactory(
        event=event, user=people["member"] if role != "member" else people["registered"]
    )
    own = RegistrationFactory(event=event, user=people[role]) if people[role] else None
    response = client_for(people[role]).post(url(event, "cancel"))
    other.refresh_from_db()
    assert other.status == Status.CONFIRMED
    if own is None:
        assert response.status_code == 400
    else:
        own.refresh_from_db()
        assert response.status_code == 302 and own.status == Status.CANCELLED


@pytest.mark.parametrize("role", EXTRANET_ROLES)
def test_feedback_only_by_attendees(past_event, people, client_for, role):
    """feedback/ takes a rating from a person with a seat; others (and guests) get 400."""
    attended = role in ("member", "registered")
    if attended:
        RegistrationFactory(event=past_event, user=people[role], attended=True)
    response = client_for(people[role]).post(url(past_event, "feedback"), {"rating": "5"})
    assert response.status_code == (302 if attended else 400)
    assert past_event.feedback.exists() is attended


@pytest.mark.parametrize("role", EXTRANET_ROLES)
@pytest.mark.parametrize("route", ["register", "cancel", "feedback"])
def test_get_on_post_only_routes_is_405(event, people, client_for, role, route):
    """The POST-only routes answer GET with 405, whoever asks."""
    assert client_for(people[role]).get(url(event, route)).status_code == 405


@pytest.mark.parametrize("role", EXTRANET_ROLES)
def test_registration_link_works_for_whoever_holds_it(event, people, client_for, role):
    """The link is the key: any viewer (signed in or not) opens the guest's page with it, and
    nobody sees the online link of a pending registration."""
    guest = RegistrationFactory(
        event=event, user=None, email="g@example.com", status=Status.PENDING
    )
    response = client_for(people[role]).get(manage_url(guest))
    assert response.status_code == 200
    assert event.online_url not in response.content.decode()


@pytest.mark.parametrize("role", EXTRANET_ROLES)
def test_event_page_box_per_role(event, people, client_for, role):
    """The page renders for everyone; organisers alone get the numbers."""
    response = client_for(people[role]).get(url(event))
    assert response.status_code == 200
    organiser = role in ("editor", "portal_admin", "initiative_admin")
    stats = "registration-box__stats" in response.content.decode()
    if role == "initiative_admin":
        # Their Wagtail rights on the initiative's events come from page_permissions (the
        # feedlink helper's); without them they are not organisers.
        from events.permissions import can_manage_event

        organiser = can_manage_event(people[role], event)
    assert stats is organiser
