"""One's sessions in the cabinet (allauth.usersessions, extranet/members/sessions.py): the
list shows every device, «Выйти на других устройствах» really ends the others and keeps this
one, and the last activity is written at most once per interval."""

from __future__ import annotations

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.auth.signals import user_logged_out
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from extranet.members.sessions import TRACKED_SESSION_KEY
from tests.extranet.members.mfa_support import password_login, signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SESSIONS = reverse("usersessions_list")
CABINET = reverse("cabinet")


def _device(ip: str, browser: str) -> Client:
    return Client(REMOTE_ADDR=ip, HTTP_USER_AGENT=browser)


@pytest.fixture
def two_devices(home_page):
    """One person signed in (through allauth's login) on a laptop and on a phone."""
    user = UserFactory()
    laptop = _device("192.0.2.10", "Laptop Firefox/140.0")
    phone = _device("198.51.100.7", "Phone Chrome/141.0")
    for device in (laptop, phone):
        assert password_login(device, user).status_code == 302
    return user, laptop, phone


def test_the_list_shows_both_sessions_and_marks_this_one(two_devices):
    """Each device's session is listed with its IP address and browser; this device's row is
    marked and the button ends the others."""
    _user, laptop, _phone = two_devices
    response = laptop.get(SESSIONS)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<tr data-session") == 2
    assert html.count("data-current-session") == 1
    assert "192.0.2.10" in html and "198.51.100.7" in html
    assert "Phone Chrome/141.0" in html
    assert "data-sign-out-others" in html


def test_signing_out_the_other_devices_ends_their_sessions(two_devices):
    """After «Выйти на других устройствах» the phone is signed out (its next page asks for the
    login), the laptop stays signed in, and the phone's session tells the logout listeners
    (the chat closes its sockets)."""
    user, laptop, phone = two_devices
    phone_key = phone.session.session_key
    ended = []

    def listener(sender, request=None, user=None, **kwargs):
        ended.append((request.session.session_key, user.pk))

    user_logged_out.connect(listener)
    try:
        response = laptop.post(SESSIONS)
    finally:
        user_logged_out.disconnect(listener)
    assert response.status_code == 302
    assert ended == [(phone_key, user.pk)]
    assert laptop.get(CABINET).status_code == 200
    response = phone.get(CABINET)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert list(UserSession.objects.filter(user=user).values_list("ip", flat=True)) == [
        "192.0.2.10"
    ]
    html = laptop.get(SESSIONS).content.decode()
    assert "198.51.100.7" not in html and "data-sign-out" in html


def test_a_single_session_offers_to_sign_out(home_page):
    """With one session the list's button is the logout."""
    user = UserFactory()
    device = _device("192.0.2.20", "Only Browser/1.0")
    password_login(device, user)
    html = device.get(SESSIONS).content.decode()
    assert "data-sign-out-others" not in html and "data-sign-out" in html
    device.post(reverse("account_logout"))
    assert not signed_in(device)


def test_last_activity_is_written_once_per_interval(home_page):
    """Pages within the interval write nothing; the first page after it records the time and
    the new address."""
    user = UserFactory()
    device = _device("192.0.2.30", "Browser/1.0")
    password_login(device, user)
    assert device.session[TRACKED_SESSION_KEY] is True
    row = UserSession.objects.get(user=user)
    seen = row.last_seen_at
    device.defaults["REMOTE_ADDR"] = "192.0.2.31"
    device.get(CABINET)
    row.refresh_from_db()
    assert (row.last_seen_at, row.ip) == (seen, "192.0.2.30")
    cache.clear()  # the interval is over
    device.get(CABINET)
    row.refresh_from_db()
    assert row.last_seen_at > seen and row.ip == "192.0.2.31"


def test_an_untracked_session_costs_no_query(client, home_page, django_assert_num_queries):
    """A session allauth did not sign in (force_login) is not tracked: the middleware adds no
    query to its pages."""
    client.force_login(UserFactory())
    client.get("/ping")
    with django_assert_num_queries(2):  # the session and the user, nothing more
        assert client.get("/ping").status_code == 200
    assert not UserSession.objects.exists()
