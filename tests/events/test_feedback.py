"""Ratings after the event: attendees rate 1–5 once, guests from their link's page, and
only organisers see the average and the count."""

from __future__ import annotations

import pytest

from events import permissions, services
from events.models import Feedback, Registration
from tests.events.factories import FeedbackFactory, RegistrationFactory
from tests.events.test_registration import manage_url, url

pytestmark = pytest.mark.django_db


def test_attendee_rates_once_and_the_second_is_refused(past_event, people, client_for):
    """The first rating is stored; the second says «already rated» (400) and stores nothing."""
    user = people["member"]
    registration = RegistrationFactory(event=past_event, user=user, attended=True)
    client = client_for(user)
    assert client.get(url(past_event)).content.decode().count('name="rating"') == 5
    response = client.post(url(past_event, "feedback"), {"rating": "4", "comment": "Полезно"})
    assert response.status_code == 302
    assert Feedback.objects.get().rating == 4
    again = client.post(url(past_event, "feedback"), {"rating": "1"})
    assert again.status_code == 400
    registration.refresh_from_db()
    assert permissions.feedback_refusal(registration=registration) in again.content.decode()
    assert Feedback.objects.count() == 1


def test_second_rating_at_the_database_is_refused(past_event, people):
    """The one-to-one constraint refuses a simultaneous second rating with the same sentence."""
    registration = RegistrationFactory(event=past_event, user=people["member"], attended=True)
    FeedbackFactory(registration=registration)
    fresh = Registration.objects.get(pk=registration.pk)  # no cached «feedback»
    from unittest import mock

    with (
        mock.patch("events.permissions.feedback_refusal", return_value=None),
        pytest.raises(services.RegistrationRefused),
    ):
        services.feedback_create(registration=fresh, rating=3)
    assert Feedback.objects.count() == 1


@pytest.mark.parametrize(
    "registration_kwargs",
    [None, {"attended": False}, {"status": "waitlisted"}],
    ids=["not registered", "marked absent", "waitlisted"],
)
def test_non_attendees_cannot_rate(past_event, people, client_for, registration_kwargs):
    """No registration, marked absent, or never had a seat: refused with the sentence."""
    user = people["member"]
    if registration_kwargs is not None:
        RegistrationFactory(event=past_event, user=user, **registration_kwargs)
    response = client_for(user).post(url(past_event, "feedback"), {"rating": "5"})
    assert response.status_code == 400
    assert not Feedback.objects.exists()


def test_rating_before_the_event_ends_is_refused(event, people, client_for):
    """An upcoming event cannot be rated yet."""
    RegistrationFactory(event=event, user=people["member"])
    response = client_for(people["member"]).post(url(event, "feedback"), {"rating": "5"})
    assert response.status_code == 400
    assert not Feedback.objects.exists()


def test_guest_rates_from_their_link(past_event, client):
    """A guest's link page offers the rating after the event, and takes it once."""
    guest = RegistrationFactory(event=past_event, user=None, email="g@example.com")
    link = manage_url(guest)
    assert 'name="rating"' in client.get(link).content.decode()
    assert client.post(link, {"action": "feedback", "rating": "5"}).status_code == 200
    assert Feedback.objects.get().registration_id == guest.pk
    assert client.post(link, {"action": "feedback", "rating": "2"}).status_code == 400
    assert Feedback.objects.get().rating == 5


def test_organisers_see_average_and_count_others_do_not(past_event, people, client_for):
    """event_stats (average and count) reach an organiser's page, not a participant's."""
    for rating in (3, 4, 5, 5):
        FeedbackFactory(registration__event=past_event, rating=rating)
    from django.test import RequestFactory

    from events.views_registration import registration_context

    request = RequestFactory().get(url(past_event))
    request.user = people["editor"]
    stats = registration_context(request, event=past_event)["event_stats"]
    assert stats["rating_count"] == 4 and stats["rating_average"] == pytest.approx(4.25)
    request.user = people["member"]
    assert registration_context(request, event=past_event)["event_stats"] is None
    page = client_for(people["member"]).get(url(past_event)).content.decode()
    assert "registration-box__stats" not in page
    assert (
        "registration-box__stats"
        in client_for(people["editor"]).get(url(past_event)).content.decode()
    )
