"""Registration on the event page: one click for people with accounts, a guest's form
confirmed by an e-mailed link, capacity, duplicates, the deadline, members-only events, the
online link, the rate limit for guests, deleted accounts and the account export."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone, translation

from events import permissions, services
from events.models import Registration
from events.tokens import registration_token
from tests.events.factories import RegistrationFactory
from tests.smtp import smtp_server

pytestmark = pytest.mark.django_db

Status = Registration.Status
GUEST = {"name": "Иванова Анна", "email": "Anna@Example.com", "organisation": "БГСХА"}


def url(event, name=None, **kwargs) -> str:
    """An event's address or one of its routes, in the default language."""
    with translation.override("ru"):
        if name is None:
            return event.url
        return event.url.rstrip("/") + "/" + event.reverse_subpage(name, kwargs=kwargs or None)


def manage_url(registration) -> str:
    return url(registration.event, "registration", token=registration_token(registration))


def test_signed_in_user_registers_in_one_click_with_profile_details(event, people, client_for):
    """A POST to register/ makes a confirmed registration with the profile's name and
    organisation, and the page then shows the registration with a cancel button."""
    user = people["member"]
    client = client_for(user)
    response = client.post(url(event, "register"))
    assert response.status_code == 302
    registration = Registration.objects.get(event=event, user=user)
    assert registration.status == Status.CONFIRMED
    assert registration.name == user.get_full_name()
    assert registration.organisation == user.profile.organisation.name
    assert registration.email == user.email
    page = client.get(url(event)).content.decode()
    assert url(event, "cancel") in page
    assert 'name="email"' not in page


def test_registration_within_capacity_then_waiting_list(event, people, client_for):
    """With two seats, the first two people get seats and the third joins the waiting list."""
    event.capacity = 2
    event.save(update_fields=["capacity"])
    statuses = []
    for role in ("member", "registered", "other_member"):
        client_for(people[role]).post(url(event, "register"))
        statuses.append(Registration.objects.get(event=event, user=people[role]).status)
    assert statuses == [Status.CONFIRMED, Status.CONFIRMED, Status.WAITLISTED]


def test_guest_registers_pending_and_confirms_from_the_link(
    event, client, django_capture_on_commit_callbacks
):
    """A guest's form makes a pending registration and mails the link; the link's page asks
    to press «Confirm» (GET changes nothing) and the POST gives the seat and mails again."""
    page = client.get(url(event))
    assert 'name="email"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(event, "register"), GUEST)
    assert response.status_code == 302
    registration = Registration.objects.get(event=event)
    assert registration.status == Status.PENDING
    assert registration.email == "anna@example.com"
    assert len(mail.outbox) == 1
    link = manage_url(registration)
    assert link in mail.outbox[0].body

    shown = client.get(link)
    assert shown.status_code == 200
    assert 'value="confirm"' in shown.content.decode()
    registration.refresh_from_db()
    assert registration.status == Status.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(link, {"action": "confirm"})
    assert confirmed.status_code == 200
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED
    assert registration.confirmed_at is not None
    assert len(mail.outbox) == 2
    assert url(event, "event_ics") in mail.outbox[1].body


def test_guest_confirming_when_seats_are_gone_joins_the_waiting_list(event, client):
    """The seat is decided at confirmation: a pending guest whose hold expired (48 h) finds
    the last seat taken and lands on the waiting list."""
    event.capacity = 1
    event.save(update_fields=["capacity"])
    old = timezone.now() - datetime.timedelta(hours=49)
    guest = RegistrationFactory(
        event=event,
        user=None,
        name="Гость",
        email="late@example.com",
        status=Status.PENDING,
        created_at=old,
        confirmed_at=None,
    )
    RegistrationFactory(event=event)  # takes the only seat: the expired hold does not count
    response = client.post(manage_url(guest), {"action": "confirm"})
    assert response.status_code == 200
    guest.refresh_from_db()
    assert guest.status == Status.WAITLISTED


def test_a_fresh_pending_guest_holds_a_seat(event, people, client_for):
    """Within 48 hours a guest's unconfirmed registration keeps its seat: the next person
    with an account goes to the waiting list."""
    event.capacity = 1
    event.save(update_fields=["capacity"])
    RegistrationFactory(event=event, user=None, email="g@example.com", status=Status.PENDING)
    client_for(people["member"]).post(url(event, "register"))
    assert Registration.objects.get(user=people["member"]).status == Status.WAITLISTED


def test_duplicate_registration_is_refused_with_a_clear_message(event, people, client_for):
    """A second click says «already registered» (400) and makes no second row."""
    client = client_for(people["member"])
    client.post(url(event, "register"))
    response = client.post(url(event, "register"))
    assert response.status_code == 400
    assert services.already_registered_message() in response.content.decode()
    assert Registration.objects.filter(event=event).count() == 1


def test_guest_duplicate_email_in_another_case_is_refused_and_keeps_the_form(event, client):
    """The same address in capitals is the same person; the form comes back with what was
    typed and the sentence."""
    client.post(url(event, "register"), GUEST)
    again = dict(GUEST, email="ANNA@EXAMPLE.COM", organisation="Другая организация")
    response = client.post(url(event, "register"), again)
    body = response.content.decode()
    assert response.status_code == 400
    assert services.already_registered_message() in body
    assert 'value="Другая организация"' in body
    assert Registration.objects.filter(event=event).count() == 1


def test_database_constraint_catches_a_simultaneous_duplicate(event, people):
    """When the look-up misses a row made at the same moment, the partial unique constraint
    refuses the second one with the same message (no IntegrityError escapes)."""
    user = people["member"]
    RegistrationFactory(event=event, user=user)
    with (
        mock.patch("events.selectors_registration.active_registration_for", return_value=None),
        pytest.raises(services.RegistrationRefused) as refused,
    ):
        services.registration_create(event=event, user=user)
    assert refused.value.message == services.already_registered_message()


def test_registration_after_the_deadline_is_refused_with_its_sentence(event, client):
    """Past the deadline the form's POST is refused with the permissions' sentence, 400, and
    the typed name is kept."""
    event.registration_deadline = timezone.now() - datetime.timedelta(hours=1)
    event.save(update_fields=["registration_deadline"])
    expected = permissions.registration_refusal(user=None, event=event)
    assert expected
    response = client.post(url(event, "register"), GUEST)
    assert response.status_code == 400
    body = response.content.decode()
    assert expected in body
    assert not Registration.objects.exists()


def test_members_only_event_refuses_a_non_member_and_takes_a_member(event, people, client_for):
    """A members-only event: a member of another initiative is told to apply (400, with the
    initiative's name); a member of the event's initiative registers."""
    event.audience = "members"
    event.save(update_fields=["audience"])
    refused = client_for(people["other_member"]).post(url(event, "register"))
    assert refused.status_code == 400
    sentence = permissions.registration_refusal(user=people["other_member"], event=event)
    assert event.initiative.title in sentence
    assert sentence in refused.content.decode()
    assert not Registration.objects.filter(user=people["other_member"]).exists()
    ok = client_for(people["member"]).post(url(event, "register"))
    assert ok.status_code == 302
    assert Registration.objects.filter(user=people["member"], status=Status.CONFIRMED).exists()


def test_guest_cannot_register_for_an_event_of_registered_users(event, client):
    """Audience «registered users»: the guest form is not offered and a forged POST is
    refused with the sentence asking to sign in."""
    event.audience = "registered"
    event.save(update_fields=["audience"])
    assert 'name="email"' not in client.get(url(event)).content.decode()
    response = client.post(url(event, "register"), GUEST)
    assert response.status_code == 400
    assert not Registration.objects.exists()


def test_online_link_only_for_confirmed_registrations_and_organisers(event, people, client_for):
    """The online link is on the page for a confirmed participant and an organiser, never for
    a guest, a signed-in person without a registration or one on the waiting list."""
    secret = event.online_url
    RegistrationFactory(event=event, user=people["member"])
    RegistrationFactory(event=event, user=people["registered"], status=Status.WAITLISTED)
    seen = {
        role: secret in client_for(people[role]).get(url(event)).content.decode()
        for role in ("guest", "other_member", "registered", "member", "editor")
    }
    assert seen == {
        "guest": False,
        "other_member": False,
        "registered": False,
        "member": True,
        "editor": True,
    }


def test_online_link_on_the_guests_page_only_after_confirmation(event, client):
    """A pending guest's link page hides the online link; once confirmed, it shows it."""
    guest = RegistrationFactory(
        event=event, user=None, email="g@example.com", status=Status.PENDING
    )
    assert event.online_url not in client.get(manage_url(guest)).content.decode()
    client.post(manage_url(guest), {"action": "confirm"})
    assert event.online_url in client.get(manage_url(guest)).content.decode()


def test_guest_registrations_are_rate_limited_per_address(event, client):
    """After a few guest registrations a minute from one address the next is refused with
    429 and a sentence, and no row is made for it."""
    from events.views_registration import GUEST_RATE_LIMIT

    for n in range(GUEST_RATE_LIMIT):
        response = client.post(url(event, "register"), dict(GUEST, email=f"g{n}@example.com"))
        assert response.status_code == 302
    response = client.post(url(event, "register"), dict(GUEST, email="more@example.com"))
    assert response.status_code == 429
    assert 'value="more@example.com"' in response.content.decode()
    assert Registration.objects.count() == GUEST_RATE_LIMIT


def test_guest_confirmation_through_a_real_smtp_server(
    event, client, settings, django_capture_on_commit_callbacks
):
    """The confirmation e-mail reaches an SMTP server with the guest as recipient, a
    one-line subject naming the event, and both a text and an HTML part with the link."""
    with smtp_server(settings) as server:
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url(event, "register"), GUEST)
        server.wait_for(1)
    (message,) = server.parsed()
    registration = Registration.objects.get()
    assert message["To"] == "anna@example.com"
    assert event.title in message["Subject"] and "\n" not in message["Subject"]
    assert message["From"] == settings.DEFAULT_FROM_EMAIL
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    link = settings.SITE_URL + manage_url(registration)
    assert link in text
    assert link in html
    assert "Иванова Анна" in text


def test_deleted_account_leaves_anonymised_registrations(event, past_event, people):
    """Deleting an account keeps its registrations for counts and ratings: name «Удалённый
    пользователь», an undeliverable unique address, no organisation, no user; a seat at an
    event still ahead is given up (and goes to the waiting list)."""
    from extranet.members.profiles import account_delete

    user = people["member"]
    event.capacity = 1
    event.save(update_fields=["capacity"])
    ahead = RegistrationFactory(event=event, user=user)
    waiting = RegistrationFactory(event=event, user=people["registered"], status=Status.WAITLISTED)
    held = RegistrationFactory(event=past_event, user=user, attended=True)
    services.feedback_create(registration=held, rating=4)
    account_delete(user=user)
    for row in (ahead, held):
        row.refresh_from_db()
        assert row.user_id is None
        assert row.name == "Удалённый пользователь"
        assert row.email.endswith("@deleted.invalid")
        assert row.organisation == ""
    assert ahead.email != held.email
    assert ahead.status == Status.CANCELLED
    assert held.status == Status.CONFIRMED and held.feedback.rating == 4
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED


def test_account_export_has_the_persons_registrations_and_ratings(past_event, people):
    """The data export's «events» section lists the person's registrations with the rating."""
    from extranet.members.exports import account_export_sections

    user = people["member"]
    registration = RegistrationFactory(event=past_event, user=user, attended=True)
    services.feedback_create(registration=registration, rating=5, comment="Отлично")
    RegistrationFactory(event=past_event, user=people["registered"])
    (row,) = account_export_sections(user=user)["events"]
    assert row["event"] == past_event.title
    assert row["feedback"]["rating"] == 5 and row["feedback"]["comment"] == "Отлично"
