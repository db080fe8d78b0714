"""One-click unsubscribe (/unsubscribe/<token>/): the confirmation page, the RFC 8058 POST
without login or CSRF token, and a clear answer (never a 500) for every bad or old token."""

from __future__ import annotations

import time
from unittest import mock

import pytest
from django.test import Client

from extranet.notices import services
from extranet.notices.kinds import Category, Mode
from extranet.notices.models import EmailSettings
from extranet.notices.tokens import DIGEST, unsubscribe_token
from extranet.notices.views_email import email_masked
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ONE_CLICK = "List-Unsubscribe=One-Click"


@pytest.fixture
def user(db):
    return UserFactory(email="ivan.petrov@example.com")


def _url(user, scope: str) -> str:
    return f"/unsubscribe/{unsubscribe_token(user_id=user.pk, scope=scope)}/"


def _modes(user) -> dict:
    own = EmailSettings.objects.filter(user=user).first()
    return {c: (own.mode(c) if own else None) for c in Category.values}


def _private(response):
    assert "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex' in response.content.decode()


def test_the_link_of_a_mail_resolves_to_this_page(user):
    """``services.unsubscribe_link`` (what every optional mail carries) points here."""
    link = services.unsubscribe_link(user_id=user.pk, scope=Category.GROUP, language="ru")
    assert link.startswith("http://testserver/unsubscribe/")
    response = Client().get(link.removeprefix("http://testserver"))
    assert response.status_code == 200


def test_get_shows_what_is_turned_off_for_whom_and_changes_nothing(user):
    """GET (a mail scanner's prefetch too) only asks: the category's name, the masked address,
    a POST button; nothing is saved."""
    response = Client().get(_url(user, Category.GROUP))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Активность в группе" in html
    assert "i***@example.com" in html and "ivan.petrov" not in html
    assert 'method="post"' in html
    _private(response)
    assert not EmailSettings.objects.exists()


def test_get_of_a_digest_link_names_the_daily_digests(user):
    """A digest link names «ежедневные сводки» and the categories now mailed that way."""
    html = Client().get(_url(user, DIGEST)).content.decode()
    assert "ежедневные сводки" in html
    assert "Активность в группе" in html


def test_one_click_post_without_login_or_csrf_token_unsubscribes(user):
    """The provider's POST (body ``List-Unsubscribe=One-Click``, no cookie, no CSRF token,
    CSRF checks on) turns the category off and says «Вы отписались» with a link to the
    preferences."""
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        _url(user, Category.GROUP),
        data=ONE_CLICK,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Вы отписались" in html
    assert 'href="/cabinet/notifications/settings/"' in html
    _private(response)
    assert _modes(user)[Category.GROUP] == Mode.OFF
    assert _modes(user)[Category.MEMBERSHIP] == Mode.IMMEDIATE


def test_the_confirmation_button_unsubscribes_too(user):
    """The page's own form (an empty POST) works the same way."""
    response = Client(enforce_csrf_checks=True).post(_url(user, Category.MEMBERSHIP))
    assert response.status_code == 200
    assert _modes(user)[Category.MEMBERSHIP] == Mode.OFF


def test_a_digest_link_turns_off_every_digest_category_only(user):
    """Scope "digest": the categories mailed as a digest go off, the immediate ones stay."""
    Client().post(
        _url(user, DIGEST), data=ONE_CLICK, content_type="application/x-www-form-urlencoded"
    )
    modes = _modes(user)
    assert modes[Category.GROUP] == Mode.OFF and modes[Category.IDEAS] == Mode.OFF
    assert (
        modes[Category.MEMBERSHIP] == Mode.IMMEDIATE and modes[Category.MESSAGES] == Mode.IMMEDIATE
    )


def test_posting_twice_is_fine(user):
    """A replayed token (the provider retries, the person clicks again) answers the same."""
    url = _url(user, Category.GROUP)
    first = Client().post(url, data=ONE_CLICK, content_type="application/x-www-form-urlencoded")
    second = Client().post(url, data=ONE_CLICK, content_type="application/x-www-form-urlencoded")
    assert first.status_code == second.status_code == 200
    assert "Вы отписались" in second.content.decode()
    assert _modes(user)[Category.GROUP] == Mode.OFF


def test_the_english_link_answers_in_english(user):
    """An English recipient's link (/en/…) shows the English page."""
    html = Client().get("/en" + _url(user, Category.GROUP)).content.decode()
    assert "Group activity" in html and "Unsubscribe" in html


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        "eyJ1IjoxLCJzIjoiZ3JvdXAifQ:1vQZxY:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "x" * 5000,
        "Привет:мир:🙂",
        "..%2F..%2Fetc%2Fpasswd",
        "%00%0d%0aSet-Cookie:x=1",
        ":::",
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_damaged_or_forged_token_gets_a_clear_400(user, token, method):
    """Garbage, a forged signature, a huge token, Unicode, path and header tricks: a page that
    says the link does not work, status 400, nothing changed; never a 500."""
    response = getattr(Client(raise_request_exception=True), method)(f"/unsubscribe/{token}/")
    assert response.status_code in (400, 404)
    if response.status_code == 400:
        assert "Ссылка для отписки не работает" in response.content.decode()
        _private(response)
    assert not EmailSettings.objects.exists()


def test_a_token_signed_for_another_purpose_is_refused(user):
    """A value signed with the site's key but another salt (or a changed scope) is a forgery."""
    from django.core import signing

    other = signing.dumps({"u": user.pk, "s": "group"}, salt="something.else")
    assert Client().post(f"/unsubscribe/{other}/").status_code == 400
    bad_scope = signing.dumps(
        {"u": user.pk, "s": "everything"}, salt="extranet.notices.unsubscribe"
    )
    assert Client().post(f"/unsubscribe/{bad_scope}/").status_code == 400
    assert not EmailSettings.objects.exists()


def test_a_token_of_an_unknown_or_blocked_account_gets_400(user):
    """A genuine token of a deleted user, or of a blocked (inactive) one, changes nothing."""
    gone = unsubscribe_token(user_id=user.pk + 1000, scope=Category.GROUP)
    assert Client().post(f"/unsubscribe/{gone}/").status_code == 400
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = Client().post(_url(user, Category.GROUP))
    assert response.status_code == 400
    assert not EmailSettings.objects.exists()


def test_an_expired_token_gets_410_pointing_to_the_preferences(user, settings):
    """A token older than UNSUBSCRIBE_TOKEN_MAX_AGE_DAYS: 410, a page explaining to use the
    preferences page (with its link); nothing is changed by GET or POST."""
    settings.UNSUBSCRIBE_TOKEN_MAX_AGE_DAYS = 30
    long_ago = time.time() - 31 * 24 * 60 * 60
    with mock.patch("django.core.signing.time.time", return_value=long_ago):
        token = unsubscribe_token(user_id=user.pk, scope=Category.GROUP)
    for method in ("get", "post"):
        response = getattr(Client(), method)(f"/unsubscribe/{token}/")
        assert response.status_code == 410
        html = response.content.decode()
        assert "Срок действия ссылки для отписки истёк" in html
        assert 'href="/cabinet/notifications/settings/"' in html
        _private(response)
    assert not EmailSettings.objects.exists()


def test_a_token_just_within_its_age_still_works(user, settings):
    """The limit is the age, not a calendar: 29 days of 30 still unsubscribe."""
    settings.UNSUBSCRIBE_TOKEN_MAX_AGE_DAYS = 30
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 29 * 86400):
        token = unsubscribe_token(user_id=user.pk, scope=Category.GROUP)
    assert Client().post(f"/unsubscribe/{token}/").status_code == 200
    assert _modes(user)[Category.GROUP] == Mode.OFF


def test_other_methods_are_refused_plainly(user):
    """PUT or DELETE get 405, not a 500."""
    assert Client().put(_url(user, Category.GROUP)).status_code == 405
    assert Client().delete(_url(user, Category.GROUP)).status_code == 405


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("ivan@example.com", "i***@example.com"),
        ("a@b.by", "a***@b.by"),
        ("", "***"),
        ("no-at-sign", "***"),
    ],
)
def test_email_masking(address, masked):
    """Enough of the address to recognise it, never the whole local part."""
    assert email_masked(address) == masked
