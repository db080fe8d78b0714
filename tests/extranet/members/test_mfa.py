"""Two-factor authentication (allauth.mfa, extranet/members/mfa.py): activation, the code
after the password on every login form, wrong and replayed codes, the rate limit, and the
rule that the portal admin and initiative admins must have a second factor."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.messages import get_messages
from django.test import override_settings
from django.urls import reverse

from tests.conftest import EXTRANET_ROLES
from tests.extranet.members.mfa_support import (
    AUTHENTICATE_URL,
    LOGIN_URL,
    password_login,
    reauthenticate,
    recovery_codes,
    signed_in,
    totp_add,
    totp_code,
    wrong_code,
)
from tests.factories import PASSWORD, EditorFactory, SuperuserFactory, UserFactory

pytestmark = pytest.mark.django_db

CABINET = reverse("cabinet")
MFA_INDEX = reverse("mfa_index")
REQUIRED_ROLES = {"portal_admin", "initiative_admin"}


# --- Activation and the login stage -------------------------------------------------------------


def test_totp_activation_then_login_asks_for_the_code(client, home_page):
    """A code computed from the page's secret activates the authenticator app (and recovery
    codes); the next login stops after the password at the code, a wrong code is refused with
    an error and leaves nobody signed in, the right one signs in."""
    user = UserFactory()
    assert password_login(client, user).status_code == 302
    assert reauthenticate(client).status_code == 302
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    secret = client.session["mfa.totp.secret"]
    response = client.post(reverse("mfa_activate_totp"), {"code": wrong_code(secret)})
    assert response.status_code == 200 and response.context["form"].errors
    assert not Authenticator.objects.filter(user=user).exists()
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert set(Authenticator.objects.filter(user=user).values_list("type", flat=True)) == {
        Authenticator.Type.TOTP,
        Authenticator.Type.RECOVERY_CODES,
    }
    client.post(reverse("account_logout"))

    response = password_login(client, user)
    assert response.status_code == 302 and response["Location"] == AUTHENTICATE_URL
    assert not signed_in(client)
    assert client.get(CABINET).status_code == 302  # to the login: nobody is signed in yet

    response = client.post(AUTHENTICATE_URL, {"code": wrong_code(secret)})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not signed_in(client)

    response = client.post(AUTHENTICATE_URL, {"code": totp_code(secret, 1)})
    assert response.status_code == 302 and response["Location"] == CABINET
    assert signed_in(client)
    assert client.get(CABINET).status_code == 200


def test_a_totp_code_is_accepted_once(client, home_page):
    """The same code replayed within its period is refused the second time."""
    user = UserFactory()
    secret = totp_add(user)
    code = totp_code(secret)
    password_login(client, user)
    assert client.post(AUTHENTICATE_URL, {"code": code}).status_code == 302
    client.post(reverse("account_logout"))
    password_login(client, user)
    response = client.post(AUTHENTICATE_URL, {"code": code})
    assert response.status_code == 200 and response.context["form"].errors
    assert not signed_in(client)


def test_a_recovery_code_works_once(client, home_page):
    """A recovery code signs in in place of the app's code; replayed, it is refused."""
    user = UserFactory()
    totp_add(user)
    first, second = recovery_codes(user)[:2]
    password_login(client, user)
    assert client.post(AUTHENTICATE_URL, {"code": first}).status_code == 302
    assert signed_in(client)
    client.post(reverse("account_logout"))

    password_login(client, user)
    response = client.post(AUTHENTICATE_URL, {"code": first})
    assert response.status_code == 200 and response.context["form"].errors["code"]
    assert not signed_in(client)
    assert client.post(AUTHENTICATE_URL, {"code": second}).status_code == 302
    assert signed_in(client)
    assert first not in recovery_codes(user)


@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "10/m/ip,3/5m/key"})
def test_wrong_codes_are_rate_limited_per_account(client, home_page):
    """After the login_failed limit of wrong codes even the right code is refused for now."""
    user = UserFactory()
    secret = totp_add(user)
    password_login(client, user)
    for _ in range(3):
        assert client.post(AUTHENTICATE_URL, {"code": wrong_code(secret)}).status_code == 200
    response = client.post(AUTHENTICATE_URL, {"code": totp_code(secret)})
    assert response.status_code == 200 and response.context["form"].errors["code"]
    assert not signed_in(client)


@pytest.mark.parametrize(
    ("factory", "admin_url"),
    [(EditorFactory, "/admin/"), (SuperuserFactory, "/django-admin/")],
    ids=["wagtail-admin", "django-admin"],
)
def test_admin_logins_go_through_the_code(client, home_page, factory, admin_url):
    """The Wagtail and Django admins' logins lead to allauth's, whose code stage then returns
    to the admin."""
    user = factory()
    secret = totp_add(user)
    response = client.get(admin_url, follow=True)
    login_path = response.redirect_chain[-1][0]
    assert login_path.startswith(LOGIN_URL)
    response = client.post(login_path, {"login": user.email, "password": PASSWORD})
    assert response["Location"] == AUTHENTICATE_URL and not signed_in(client)
    response = client.post(AUTHENTICATE_URL, {"code": totp_code(secret)})
    assert response.status_code == 302 and response["Location"] == admin_url
    assert client.get(admin_url).status_code == 200


def test_wagtail_private_page_login_goes_to_allauth(client, home_page):
    """Wagtail's /_util/login/ (a plain Django login form) redirects to allauth's keeping
    ``next``, and a password posted to it signs nobody in."""
    user = UserFactory()
    response = client.get("/_util/login/?next=/private/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN_URL}?next=/private/"
    client.post("/_util/login/", {"username": user.email, "password": PASSWORD})
    assert not signed_in(client)


def test_the_totp_issuer_is_the_platform_name(client, home_page, settings):
    """Authenticator apps show the platform's name beside the code, not the host."""
    settings.PLATFORM_NAME = settings.MFA_TOTP_ISSUER = "Платформа Тест"
    password_login(client, UserFactory())
    reauthenticate(client)
    response = client.get(reverse("mfa_activate_totp"))
    assert (
        "issuer=%D0%9F%D0%BB%D0%B0%D1%82%D1%84%D0%BE%D1%80%D0%BC%D0%B0"
        in response.context["totp_url"]
    )


# --- Required for the portal admin and initiative admins ---------------------------------------


@pytest.mark.parametrize("required", [True, False], ids=["required", "not-required"])
@pytest.mark.parametrize("extranet_client", EXTRANET_ROLES[1:], indirect=True)
def test_admins_without_a_second_factor_are_sent_to_its_setup(
    extranet_client, request, settings, required
):
    """With MFA_REQUIRED_FOR_ADMINS the portal admin and initiative admins without an
    authenticator get the setup page instead of the cabinet, with a message; everyone else,
    and everyone when the setting is off, gets the cabinet."""
    settings.MFA_REQUIRED_FOR_ADMINS = required
    role = request.node.callspec.params["extranet_client"]
    response = extranet_client.get(CABINET)
    if required and role in REQUIRED_ROLES:
        assert response.status_code == 302 and response["Location"] == MFA_INDEX
        tags = [m.extra_tags for m in get_messages(response.wsgi_request)]
        assert "mfa-required" in tags
        page = extranet_client.get(MFA_INDEX)
        assert page.status_code == 200
        assert b'id="mfa-required-note"' in page.content
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("role", sorted(REQUIRED_ROLES))
def test_a_required_admin_still_reaches_the_setup_and_the_plumbing(people, client, settings, role):
    """The setup pages, the e-mail page, health checks and logout stay open; English pages
    are sent to the English setup; once an authenticator exists the site opens."""
    settings.MFA_REQUIRED_FOR_ADMINS = True
    user = people[role]
    client.force_login(user)
    for path in (MFA_INDEX, reverse("mfa_list_webauthn"), reverse("account_email"), "/healthz"):
        assert client.get(path).status_code == 200, path
    assert client.get("/ping").status_code == 200
    response = client.get("/en/cabinet/")
    assert response["Location"] == "/en/accounts/2fa/"
    assert client.get("/initiatives/").status_code == 302
    totp_add(user)
    assert client.get(CABINET).status_code == 200
    assert client.post(reverse("account_logout")).status_code == 302
    assert not signed_in(client)


@pytest.mark.parametrize("required", [True, False], ids=["required", "not-required"])
def test_a_required_admin_cannot_remove_the_last_second_factor(people, client, settings, required):
    """Deactivating the authenticator app is refused to an admin who must keep one (and
    allowed when the rule is off)."""
    settings.MFA_REQUIRED_FOR_ADMINS = required
    user = people["initiative_admin"]
    secret = totp_add(user)
    password_login(client, user)
    client.post(AUTHENTICATE_URL, {"code": totp_code(secret)})
    assert signed_in(client)
    reauthenticate(client)
    client.post(reverse("mfa_deactivate_totp"))
    kept = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert kept is required


# --- Every new page against every role ---------------------------------------------------------

# Pages that ask for a fresh sign-in first (allauth's reauthentication): a force_login session
# has none, so they send to the reauthentication page.
REAUTHENTICATE = {"mfa_activate_totp", "mfa_add_webauthn", "mfa_generate_recovery_codes"}
PAGES = ["mfa_index", "mfa_list_webauthn", "usersessions_list", *sorted(REAUTHENTICATE)]


@pytest.mark.parametrize("extranet_client", EXTRANET_ROLES, indirect=True)
@pytest.mark.parametrize("name", PAGES)
def test_every_new_page_answers_each_role(extranet_client, request, name):
    """Guests are sent to the login; everyone signed in gets the page (or, for the pages that
    change the account's factors, the reauthentication step first)."""
    role = request.node.callspec.params["extranet_client"]
    response = extranet_client.get(reverse(name))
    if role == "guest":
        assert response.status_code == 302 and response["Location"].startswith(LOGIN_URL)
    elif name in REAUTHENTICATE:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_reauthenticate"))
    else:
        assert response.status_code == 200
