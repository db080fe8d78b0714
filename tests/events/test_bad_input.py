"""Bad input on every registration form and link: missing fields, 10 KB names, a broken
e-mail, ratings out of range, unknown actions, garbage tokens. Never a 500; the form comes
back (400) with what was typed."""

from __future__ import annotations

import pytest

from events.models import Feedback, Registration
from tests.events.factories import RegistrationFactory
from tests.events.test_registration import GUEST, manage_url, url

pytestmark = pytest.mark.django_db

LONG = "Я" * 10_240


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"name": "Анна"},
        {"email": "a@example.com"},
        dict(GUEST, email="not-an-email"),
        dict(GUEST, email="a@"),
        dict(GUEST, name=LONG),
        dict(GUEST, organisation=LONG),
        dict(GUEST, email="a" * 300 + "@example.com"),
        dict(GUEST, name="   "),
        dict(GUEST, name="\x00"),
    ],
    ids=[
        "empty",
        "no e-mail",
        "no name",
        "bad e-mail",
        "cut e-mail",
        "10 KB name",
        "10 KB organisation",
        "long e-mail",
        "blank name",
        "NUL name",
    ],
)
def test_guest_form_bad_input_is_400_and_keeps_the_data(event, client, data):
    """Each bad guest form is a 400 page with the form again and no registration."""
    response = client.post(url(event, "register"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "field--invalid" in body
    if data.get("email") and len(data["email"]) < 100:
        assert data["email"] in body
    assert not Registration.objects.exists()


@pytest.mark.parametrize("rating", ["", "0", "6", "x", "3.5", LONG])
def test_feedback_bad_rating_is_400(past_event, people, client_for, rating):
    """A missing or out-of-range rating is a 400 with the form, and nothing stored."""
    RegistrationFactory(event=past_event, user=people["member"], attended=True)
    response = client_for(people["member"]).post(
        url(past_event, "feedback"), {"rating": rating, "comment": "Мой комментарий"}
    )
    assert response.status_code == 400
    assert "Мой комментарий" in response.content.decode()
    assert not Feedback.objects.exists()


def test_feedback_comment_too_long_is_400(past_event, people, client_for):
    """A comment over the limit comes back with the error."""
    RegistrationFactory(event=past_event, user=people["member"], attended=True)
    response = client_for(people["member"]).post(
        url(past_event, "feedback"), {"rating": "5", "comment": "x" * 2001}
    )
    assert response.status_code == 400
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("data", [{}, {"action": "explode"}, {"action": LONG}])
def test_manage_unknown_action_is_400(event, client, data):
    """The link's page refuses an unknown or missing action with a sentence, changing nothing."""
    guest = RegistrationFactory(event=event, user=None, email="g@example.com", status="pending")
    response = client.post(manage_url(guest), data)
    assert response.status_code == 400
    guest.refresh_from_db()
    assert guest.status == "pending"


@pytest.mark.parametrize("rating", ["", "9"])
def test_manage_feedback_bad_rating_is_400(past_event, client, rating):
    """A guest's bad rating on their link's page is a 400 with the form."""
    guest = RegistrationFactory(event=past_event, user=None, email="g@example.com")
    response = client.post(manage_url(guest), {"action": "feedback", "rating": rating})
    assert response.status_code == 400
    assert 'name="rating"' in response.content.decode()
    assert not Feedback.objects.exists()


@pytest.mark.parametrize(
    "token",
    ["a" * 10, "a:b:c:d:e:f:g", "-" * 50, "x" * 200, "eyJhbGciOi:abc", "W1sxXV0:bad"],
)
def test_garbage_tokens_are_400(event, client, token):
    """Any token-shaped garbage is a 400 page, never a 500."""
    response = client.get(url(event, "registration", token=token))
    assert response.status_code == 400


def test_confirm_after_the_event_started_is_refused(event, client):
    """A guest pressing «Confirm» too late is told why (400) and stays unconfirmed."""
    import datetime

    from django.utils import timezone

    guest = RegistrationFactory(event=event, user=None, email="g@example.com", status="pending")
    event.registration_deadline = timezone.now() - datetime.timedelta(minutes=1)
    event.save(update_fields=["registration_deadline"])
    response = client.post(manage_url(guest), {"action": "confirm"})
    assert response.status_code == 400
    guest.refresh_from_db()
    assert guest.status == "pending"
