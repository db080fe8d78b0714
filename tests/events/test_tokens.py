"""The registration links: signed, carrying the registration and its secret; damaged ones
answer 400, spent ones (cancelled, new secret, a month after the event) 410."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from events import services, tokens
from events.models import Registration
from tests.events.factories import EventPageFactory, RegistrationFactory
from tests.events.test_registration import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def guest(event):
    return RegistrationFactory(event=event, user=None, email="guest@example.com")


def _link(registration, token=None):
    return url(
        registration.event, "registration", token=token or tokens.registration_token(registration)
    )


def test_token_round_trip(guest):
    """A token reads back as the registration's id and secret."""
    assert tokens.token_read(tokens.registration_token(guest)) == (guest.pk, guest.secret)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # signature changed
        lambda t: "X" + t[1:],  # payload changed
        lambda t: t.split(":")[0] + ":" + "a" * 27,  # forged signature
        lambda t: "garbage-garbage-garbage",  # not a token at all
    ],
)
def test_tampered_or_garbled_token_is_400_with_a_sentence(guest, client, mangle):
    """Anything not signed by us is a 400 page saying the link is damaged."""
    response = client.get(_link(guest, mangle(tokens.registration_token(guest))))
    assert response.status_code == 400
    assert "alert--error" in response.content.decode()


def test_token_signed_with_another_salt_is_refused(guest):
    """Another module's signed value is not a registration token."""
    from django.core import signing

    other = signing.Signer(salt="something.else").sign_object([guest.pk, guest.secret])
    with pytest.raises(tokens.TokenInvalid):
        tokens.token_read(other)


def test_cancelled_registration_link_is_410(guest, client):
    """After a cancellation the old link is gone (410), also a second press of «Cancel»."""
    link = _link(guest)
    assert client.post(link, {"action": "cancel"}).status_code == 200
    assert client.get(link).status_code == 410
    assert client.post(link, {"action": "cancel"}).status_code == 410


def test_new_secret_revokes_the_old_link(guest, client):
    """A changed secret makes the link 410 even though its signature is valid."""
    link = _link(guest)
    Registration.objects.filter(pk=guest.pk).update(secret="another-secret")
    assert client.get(link).status_code == 410


def test_link_expires_thirty_days_after_the_event(event_index, event_kind, client):
    """Valid until 30 days after the event's end, then 410."""
    starts = timezone.now() - datetime.timedelta(days=40)
    old = EventPageFactory(
        index=event_index,
        kind=event_kind,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
    )
    registration = RegistrationFactory(event=old, user=None, email="old@example.com")
    assert client.get(_link(registration)).status_code == 410
    recent_start = timezone.now() - datetime.timedelta(days=20)
    recent = EventPageFactory(
        index=event_index,
        kind=event_kind,
        starts_at=recent_start,
        ends_at=recent_start + datetime.timedelta(hours=2),
    )
    fresh = RegistrationFactory(event=recent, user=None, email="recent@example.com")
    assert client.get(_link(fresh)).status_code == 200


def test_token_of_another_events_registration_is_410(guest, event_index, event_kind, client):
    """A valid token opened under another event's address finds nothing there."""
    other = EventPageFactory(index=event_index, kind=event_kind)
    token = tokens.registration_token(guest)
    assert client.get(url(other, "registration", token=token)).status_code == 410


def test_registration_link_in_emails_resolves(guest):
    """The link the e-mails carry is the event's registration route with the token."""
    link = services.registration_link(guest)
    assert link.endswith(_link(guest))
