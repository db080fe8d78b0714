"""allauth adapter: redirects after login stay on this site."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django.utils.http import url_has_allowed_host_and_scheme


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
