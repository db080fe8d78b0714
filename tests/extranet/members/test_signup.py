"""Sign-up asks for names and an explicit, recorded consent; social buttons only when
configured; the Wagtail admin signs in through allauth."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from django.core import mail
from django.test import override_settings

from extranet.members.models import Consent, User
from tests.factories import StandardPageFactory, signup_form_data

pytestmark = pytest.mark.django_db

SIGNUP = "/en/accounts/signup/"


def test_signup_form_asks_names_and_consent_with_policy_link(client, home_page):
    """The sign-up page has first and last name and a consent checkbox linking the policy."""
    html = client.get(SIGNUP).content.decode()
    for name in ("first_name", "last_name", "consent"):
        assert f'name="{name}"' in html
    assert 'href="/privacy/"' in html


def test_policy_link_follows_site_settings(client, home_page):
    """When the site settings name a privacy policy page, the consent links to it."""
    from wagtail.models import Site

    from home.models import SiteSettings

    policy = StandardPageFactory(title="Политика", slug="policy")
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.privacy_policy_page = policy
    site_settings.save()
    assert re.search(r'href="(/en)?/policy/" target', client.get(SIGNUP).content.decode())


def test_signup_without_consent_is_refused(client, home_page):
    """Without the consent box ticked there is a form error and no account."""
    response = client.post(SIGNUP, signup_form_data(consent=None))
    assert response.status_code == 200
    assert "consent" in response.context["form"].errors
    assert not User.objects.filter(email="new@example.com").exists()


def test_signup_records_names_and_consent_and_sends_verification(client, home_page, settings):
    """A valid sign-up creates the user with names, a Consent with the policy version and
    purpose, and sends the e-mail verification (mandatory)."""
    response = client.post(SIGNUP, signup_form_data())
    assert response.status_code == 302
    user = User.objects.get(email="new@example.com")
    assert (user.first_name, user.last_name) == ("Анна", "Смирнова")
    consent = Consent.objects.get(user=user)
    assert consent.policy_version == settings.PRIVACY_POLICY_VERSION
    assert consent.purpose == "Регистрация и участие в кластерных инициативах"
    assert consent.withdrawn_at is None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new@example.com"]


def test_signup_then_verify_then_cabinet(client, home_page):
    """The e-mail link verifies the address; the person can then sign in to the cabinet."""
    client.post(SIGNUP, signup_form_data())
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    path = re.sub(r"^https?://[^/]+", "", link)
    client.post(path)
    client.logout()
    assert client.login(email="new@example.com", password="a-long-and-unusual-pass-42")
    assert client.get("/en/cabinet/").status_code == 200


def test_social_buttons_hidden_without_credentials(client, home_page):
    """With no client ids and no SocialApp, no provider button is offered."""
    html = client.get("/en/accounts/login/").content.decode()
    for provider in ("google", "vk", "yandex", "mailru"):
        assert f"/accounts/{provider}/login/" not in html


@override_settings(
    SOCIALACCOUNT_PROVIDERS={"google": {"APPS": [{"client_id": "id", "secret": "s", "key": ""}]}}
)
def test_social_button_shown_when_configured(client, home_page):
    """A provider configured in settings (from its env vars) gets its button; others not."""
    html = client.get("/en/accounts/login/").content.decode()
    assert "/en/accounts/google/login/" in html
    assert "/accounts/vk/login/" not in html


def test_settings_build_providers_only_from_complete_env(monkeypatch):
    """SOCIALACCOUNT_PROVIDERS gets an APPS entry for a provider only when both of its
    variables are set."""
    import importlib
    import os

    import cms.settings.base as base

    monkeypatch.setitem(os.environ, "CMS_READ_DOTENV", "0")
    monkeypatch.setitem(os.environ, "SECRET_KEY", "x")
    monkeypatch.setitem(os.environ, "VK_CLIENT_ID", "vk-id")
    monkeypatch.setitem(os.environ, "VK_CLIENT_SECRET", "vk-secret")
    monkeypatch.setitem(os.environ, "YANDEX_CLIENT_ID", "only-id")
    monkeypatch.delenv("YANDEX_CLIENT_SECRET", raising=False)
    try:
        reloaded = importlib.reload(base)
        assert reloaded.SOCIALACCOUNT_PROVIDERS == {
            "vk": {"APPS": [{"client_id": "vk-id", "secret": "vk-secret", "key": ""}]}
        }
    finally:
        monkeypatch.undo()
        importlib.reload(base)


def test_wagtail_admin_login_goes_through_allauth(client, home_page):
    """A guest opening /admin/ is sent to allauth's login page, not Wagtail's own."""
    response = client.get("/admin/", follow=True)
    assert response.status_code == 200
    assert unquote(response.redirect_chain[-1][0]).startswith("/accounts/login/?next=/admin/")


def test_wagtail_admin_login_url_redirects_to_allauth(client):
    """/admin/login/ redirects to allauth's login, keeping next, so its rate limits apply."""
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/admin/pages/")


def test_failed_logins_are_rate_limited(client, settings, home_page):
    """With allauth's limits on (as in production), the fourth failed login in a minute is
    refused before the password is even checked."""
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}

    def attempt():
        response = client.post(
            "/en/accounts/login/", {"login": "nobody@example.com", "password": "wrong-password"}
        )
        return [e.code for e in response.context["form"].non_field_errors().as_data()]

    first = [attempt() for _ in range(3)]
    assert all("too_many_login_attempts" not in codes for codes in first)
    assert "too_many_login_attempts" in attempt()
