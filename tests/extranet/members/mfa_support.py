"""Helpers of the two-factor and sessions tests: a real allauth login and TOTP codes."""

from __future__ import annotations

import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.urls import reverse

from tests.factories import PASSWORD

LOGIN_URL = reverse("account_login")
AUTHENTICATE_URL = reverse("mfa_authenticate")


def totp_code(secret: str, step: int = 0) -> str:
    """The authenticator app's code for ``secret``, ``step`` periods from now (allauth accepts
    one step either way, MFA_TOTP_TOLERANCE)."""
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD + step
    return format_hotp_value(hotp_value(secret, counter))


def wrong_code(secret: str) -> str:
    """A six-digit code no step within the tolerance accepts."""
    valid = {totp_code(secret, step) for step in (-2, -1, 0, 1, 2)}
    return next(f"{n:06}" for n in range(1_000_000) if f"{n:06}" not in valid)


def totp_add(user) -> str:
    """Give ``user`` an authenticator app and recovery codes; returns the TOTP secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


def recovery_codes(user) -> list[str]:
    instance = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    return RecoveryCodes(instance).get_unused_codes()


def password_login(client, user, **extra):
    """Sign ``user`` in through allauth's login form (not force_login: its stages and the
    session record apply)."""
    return client.post(LOGIN_URL, {"login": user.email, "password": PASSWORD}, **extra)


def reauthenticate(client):
    """Confirm the password again: allauth asks before a factor is added or removed."""
    return client.post(reverse("account_reauthenticate"), {"password": PASSWORD})


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session
