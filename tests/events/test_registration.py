"""Registration on the event page: one click for people with accounts, a guest's form
confirmed by an e-mailed link, capacity, duplicates, the deadline and members-only events."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import translation

from events.models import Registration
from events.tokens import registration_token

pytestmark = pytest.mark.django_db

Status = Registration.Status


def _url(event, name=None, **kwargs):
    with translation.override("ru"):
        if name is None:
            return event.url
        return event.url.rstrip("/") + "/" + event.reverse_subpage(name, kwargs=kwargs or None)


def test_signed_in_user_registers_in_one_click_with_profile_details(event, people, client_for):
    """A POST to register/ makes a confirmed registration with the profile's name and
    organisation, and the page then says so."""
    user = people["member"]
    client = client_for(user)
    response = client.post(_url(event, "register"))
    assert response.status_code == 302
    registration = Registration.objects.get(event=event, user=user)
    assert registration.status == Status.CONFIRMED
    assert registration.name == user.get_full_name()
    assert registration.organisation == user.profile.organisation.name
    page = client.get(_url(event))
    assert (
        "You are registered" in page.content.decode()
        or "Вы зарегистрированы" in page.content.decode()
    )


def test_guest_sees_the_form_and_registers_pending_with_a_confirmation_email(
    event, client, django_capture_on_commit_callbacks
):
    """A guest gets the name/e-mail/organisation form; posting it makes a pending
    registration (no seat confirmed yet) and e-mails the confirmation link."""
    page = client.get(_url(event))
    assert page.status_code == 200
    assert 'name="email"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url(event, "register"),
            {"name": "Иванова Анна", "email": "Anna@Example.com", "organisation": "БГСХА"},
        )
    assert response.status_code == 302
    registration = Registration.objects.get(event=event)
    assert registration.status == Status.PENDING
    assert registration.email == "anna@example.com"
    assert len(mail.outbox) == 1
    assert registration_token(registration) in mail.outbox[0].body
