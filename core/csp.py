"""The Content-Security-Policy of the site (django-csp), and the nonce its templates use.

The policy itself is ``settings.CONTENT_SECURITY_POLICY``. :class:`CSPMiddleware` adds to it what
depends on the request:

- ``connect-src`` gets ``wss://`` (and, over plain HTTP, ``ws://``) of the host asked for, so the
  chat's and the bell's websockets connect (older browsers do not count them as ``'self'``);
- under ``settings.CSP_ADMIN_PATH_PREFIXES`` (Wagtail admin) ``settings.CSP_ADMIN_DIRECTIVES``
  replace the site's directives: Wagtail 8 writes inline ``<script>`` into its widgets and
  panels (choosers, date pickers, inline panels) and has no nonce support, so the admin's
  ``script-src`` gets ``'unsafe-inline'``, without a nonce (a nonce in the directive would make
  browsers ignore ``'unsafe-inline'``); its styles keep ``'self'``. Only signed-in editors
  reach it;
- a response a view marked ``X-Frame-Options: SAMEORIGIN`` (Wagtail's preview panel) gets
  ``frame-ancestors 'self'`` instead of ``'none'``.

The nonce: templates write ``nonce="{{ csp_nonce }}"`` from :func:`context_processor`. A page
that may be stored by the page cache (``core.pagecache``) gets none: the cache replays the same
body to every guest, and a nonce shown to everyone is no nonce at all. Such a page needs none,
since every script of the site is a file of its own (``script-src 'self'``); its policy then
names no nonce either, so no stale one is ever replayed.
"""

from __future__ import annotations

from csp.constants import SELF
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.middleware import PolicyParts
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponseBase


def _cacheable(request: HttpRequest) -> bool:
    # The same condition under which core.pagecache blanks the CSRF token and stores the page.
    return getattr(request, "_page_cache_candidate", False) and hasattr(request, "_page_cache_tags")


def context_processor(request: HttpRequest) -> dict:
    """``csp_nonce``: this response's nonce, or "" on a page the page cache may store."""
    nonce = getattr(request, "csp_nonce", None)
    if nonce is None or _cacheable(request):
        return {"csp_nonce": ""}
    return {"csp_nonce": str(nonce)}


def is_admin_path(path: str) -> bool:
    return path.startswith(tuple(getattr(settings, "CSP_ADMIN_PATH_PREFIXES", ())))


class CSPMiddleware(BaseCSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts
        update = dict(parts.update or {})
        try:
            host = request.get_host()
        except DisallowedHost:  # Django answers 400, which needs no websocket
            host = ""
        if host:
            sockets = (
                [f"wss://{host}"] if request.is_secure() else [f"ws://{host}", f"wss://{host}"]
            )
            update["connect-src"] = [*update.get("connect-src", ()), *sockets]
        parts.update = update
        replace = dict(parts.replace or {})
        if is_admin_path(request.path_info):
            replace = {**settings.CSP_ADMIN_DIRECTIVES, **replace}
        if response.get("X-Frame-Options") == "SAMEORIGIN":
            # A view that allows framing by the site itself (Wagtail's preview panel, Django's
            # xframe_options_sameorigin): frame-ancestors would otherwise overrule it.
            replace.setdefault("frame-ancestors", [SELF])
        parts.replace = replace or None
        return parts
