"""Two-factor authentication (allauth.mfa): who must use it, and what happens until they do.

allauth asks for the code after the password (its ``AuthenticateStage``) for everyone who has
an authenticator; this module adds the platform's rule on top (issue 16, item 4): with
``settings.MFA_REQUIRED_FOR_ADMINS`` (on in production) the portal admin and every initiative
admin must have one. Until they add it, ``MFARequiredMiddleware`` sends each of their pages
to the two-factor setup with a message saying why; the setup itself, the e-mail pages it may
need, reauthentication and logout stay open. Who counts as an admin is asked of
``permissions`` (the members app's one place for roles).
"""

from __future__ import annotations

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import permissions

# Authenticators that are a second factor of their own. Recovery codes are a fallback made
# with the first of these; on their own they do not count as set up.
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)

# Pages an admin without a second factor may still open: the setup (every allauth.mfa page),
# the e-mail pages (allauth refuses a second factor while an address is unverified),
# reauthentication (the setup asks for it after a while), logout, and the site's plumbing.
EXEMPT_URL_NAMES = frozenset(
    {
        "account_logout",
        "account_reauthenticate",
        "account_email",
        "account_email_verification_sent",
        "account_confirm_email",
        "healthz",
        "ping",
        "csrf_token",
        "robots_txt",
        "set_language",
        "javascript-catalog",
    }
)
EXEMPT_URL_PREFIX = "mfa_"

# Wagtail's login for private pages: a plain Django LoginView that would sign a password in
# without allauth's code stage and rate limits. Sent to allauth's login like the admins' logins
# (cms.views.AdminLoginRedirectView).
WAGTAIL_FRONTEND_LOGIN = "wagtailcore_login"


def mfa_required(user) -> bool:
    """Whether ``user`` must have a second factor: the setting is on and they are the portal
    admin or an initiative admin (an approved membership with the admin role)."""
    if not getattr(settings, "MFA_REQUIRED_FOR_ADMINS", False):
        return False
    if not user.is_authenticated or not user.is_active:
        return False
    return permissions.is_portal_admin(user) or bool(permissions.administered_initiative_ids(user))


def has_second_factor(user) -> bool:
    """Whether ``user`` has an authenticator app or a security key."""
    return Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTORS).exists()


def mfa_missing(user) -> bool:
    """Whether ``user`` must have a second factor and has none yet."""
    return mfa_required(user) and not has_second_factor(user)


def _url_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    return (match.url_name if match else None) or ""


def _exempt(name: str) -> bool:
    return name in EXEMPT_URL_NAMES or name.startswith(EXEMPT_URL_PREFIX)


def _to_allauth_login(request):
    """Wagtail's private-page login: guests go to allauth's, keeping ``next``. A signed-in
    person lands here only without the page's rights, and allauth would send them straight
    back, so they are refused."""
    if request.user.is_authenticated:
        raise PermissionDenied
    query = request.META.get("QUERY_STRING", "")
    return HttpResponseRedirect(reverse("account_login") + (f"?{query}" if query else ""))


class MFARequiredMiddleware:
    """Send a signed-in admin who must use two-factor authentication and has no second factor
    to its setup page, with a message; every other request passes untouched. Also sends
    Wagtail's private-page login to allauth's, so no password is signed in past the code.

    Runs in ``process_view`` so the resolved URL name decides what is exempt (the same names
    under ``/en/``). With the setting off it costs nothing; on, the roles come from the
    per-request cache of ``permissions`` (the header asks the same) and only an admin pays one
    query for their authenticators.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        name = _url_name(request)
        if name == WAGTAIL_FRONTEND_LOGIN:
            return _to_allauth_login(request)
        if not getattr(settings, "MFA_REQUIRED_FOR_ADMINS", False):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or _exempt(name):
            return None
        if not mfa_missing(user):
            return None
        messages.warning(
            request,
            _(
                "Administrators of the platform and of cluster initiatives must protect their "
                "account with two-factor authentication. Set up an authenticator app or a "
                "security key to continue."
            ),
            extra_tags="mfa-required",
        )
        return redirect("mfa_index")


class MFAAdapter(DefaultMFAAdapter):
    """allauth.mfa's adapter: the platform's name in authenticator apps and security-key
    prompts (not the request's host), and no removing the last second factor of someone who
    must have one."""

    def get_totp_issuer(self) -> str:
        return settings.MFA_TOTP_ISSUER or settings.PLATFORM_NAME

    def get_public_key_credential_rp_entity(self) -> dict[str, str]:
        entity = super().get_public_key_credential_rp_entity()
        entity["name"] = settings.PLATFORM_NAME
        return entity

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        user = authenticator.user
        if authenticator.type not in SECOND_FACTORS or not mfa_required(user):
            return True
        others = Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTORS).exclude(
            pk=authenticator.pk
        )
        return others.exists()
