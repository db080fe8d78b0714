"""allauth adapter: redirects after login stay on this site, and survive e-mail verification;
an address stashed as verified (by opening an invitation) counts only for itself."""

from __future__ import annotations

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import get_next_redirect_url
from allauth.core import context
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

# Where a login or sign-up interrupted by mandatory verification was going (its ``next``).
NEXT_AFTER_VERIFICATION = "members_next_after_verification"


class AccountAdapter(DefaultAccountAdapter):
    def is_safe_url(self, url):
        """Only addresses on this very host (or relative paths) are followed as ``next``."""
        if not url:
            return False
        request = context.request
        if request is None:
            allowed_hosts: set[str] = set()
            require_https = False
        else:
            allowed_hosts = {request.get_host()}
            require_https = request.is_secure()
        return url_has_allowed_host_and_scheme(
            url, allowed_hosts=allowed_hosts, require_https=require_https
        )

    def save_user(self, request, user, form, commit=True):
        """allauth would add a stashed address to the new account, verified and primary,
        whatever address was typed; an invitation's address must not ride along with a
        sign-up under another one (that sign-up is verified as usual)."""
        user = super().save_user(request, user, form, commit=commit)
        stashed = request.session.get("account_verified_email")
        if stashed and stashed.lower() != (user.email or "").lower():
            self.unstash_verified_email(request)
        return user

    def send_confirmation_mail(self, request, emailconfirmation, signup):
        # The verification mail interrupts the way to ``next`` (e.g. back to an invitation):
        # remember it for get_email_verification_redirect_url in this browser.
        next_url = get_next_redirect_url(request) if request is not None else None
        if next_url:
            request.session[NEXT_AFTER_VERIFICATION] = next_url
        super().send_confirmation_mail(request, emailconfirmation, signup)

    def get_email_verification_redirect_url(self, email_address):
        """After confirming, continue to the interrupted ``next``: directly when signed in,
        else through the login (allauth does not sign in on confirmation)."""
        next_url = self.request.session.pop(NEXT_AFTER_VERIFICATION, None)
        if not (next_url and self.is_safe_url(next_url)):
            return super().get_email_verification_redirect_url(email_address)
        if self.request.user.is_authenticated:
            return next_url
        login_url = resolve_url(app_settings.EMAIL_CONFIRMATION_ANONYMOUS_REDIRECT_URL)
        return f"{login_url}?{urlencode({'next': next_url})}"
