"""Security headers: the Content-Security-Policy and its nonce, framing, referrer, sniffing,
HSTS with the production settings, and the nonce on pages the guests' cache replays."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from core import pagecache
from tests.cms.test_settings import run_python

pytestmark = pytest.mark.django_db

CSP = "Content-Security-Policy"
NONCE_IN_HEADER = re.compile(r"'nonce-([A-Za-z0-9+/=]+)'")
NONCE_IN_BODY = re.compile(r'<script[^>]*\snonce="([^"]+)"')


def _directives(response) -> dict[str, list[str]]:
    policy = response[CSP]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def _header_nonce(response) -> str | None:
    match = NONCE_IN_HEADER.search(" ".join(_directives(response).get("script-src", [])))
    return match.group(1) if match else None


def _body_nonces(response) -> set[str]:
    return set(NONCE_IN_BODY.findall(response.content.decode()))


def test_policy_directives_on_a_page(client, home_page):
    """The policy the brief asks for: scripts from the site only (no 'unsafe-inline'), styles
    from files, images also from data:/blob:, websockets of this host, no framing, forms and
    <base> to the site, no plugins."""
    response = client.get("/")
    directives = _directives(response)
    assert directives["default-src"] == ["'self'"]
    assert "'self'" in directives["script-src"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["style-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:", "blob:"]
    assert directives["connect-src"] == ["'self'", "ws://testserver", "wss://testserver"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]


def test_https_request_allows_only_secure_websockets(client, home_page):
    """Over HTTPS the page may open wss:// of its host, never plain ws://."""
    response = client.get("/", secure=True)
    assert _directives(response)["connect-src"] == ["'self'", "wss://testserver"]


def test_nonce_changes_per_request_and_is_on_every_script(client_for, registered_user):
    """A signed-in page (never cached) gets a fresh nonce each time, named in the header and
    carried by each of its <script> tags."""
    client = client_for(registered_user)
    first, second = client.get("/cabinet/"), client.get("/cabinet/")
    assert first.status_code == second.status_code == 200
    nonces = []
    for response in (first, second):
        nonce = _header_nonce(response)
        assert nonce, response[CSP]
        scripts = re.findall(r"<script\b[^>]*>", response.content.decode())
        assert scripts
        assert all(f'nonce="{nonce}"' in tag for tag in scripts), scripts
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_cached_guest_page_replays_no_nonce(client, home_page):
    """The page cache stores one body for every guest: it carries no nonce, and the policy
    of the hit names none, so a stale nonce is never replayed (every script is a file the
    policy's 'self' allows)."""
    miss, hit = client.get("/"), Client().get("/")
    assert miss[pagecache.HIT_HEADER] == "miss"
    assert hit[pagecache.HIT_HEADER] == "hit"
    for response in (miss, hit):
        assert _body_nonces(response) == set()
        assert _header_nonce(response) is None
        assert "'unsafe-inline'" not in response[CSP]
    assert b"<script" in hit.content


def test_page_not_cached_gets_nonce_even_for_guests(client, home_page):
    """A guest's page the cache may not store (search) still gets its nonce."""
    response = client.get("/search/?q=x")
    assert pagecache.HIT_HEADER not in response
    nonce = _header_nonce(response)
    assert nonce and _body_nonces(response) == {nonce}


def test_admin_exception_is_inline_without_nonce(client_for, editor):
    """Wagtail admin (inline scripts in its widgets, no nonce support) gets 'unsafe-inline'
    for scripts and no nonce, which would make browsers ignore it; styles and the rest of the
    policy stay as the site's."""
    response = client_for(editor).get("/admin/")
    assert response.status_code == 200
    directives = _directives(response)
    assert directives["script-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]


def test_wagtail_preview_may_be_framed_by_the_site_only(client_for, superuser, home_page):
    """Wagtail's preview panel frames the preview view (it says X-Frame-Options SAMEORIGIN);
    its policy follows with frame-ancestors 'self', not 'none', which would blank the panel."""
    response = client_for(superuser).get(f"/admin/pages/{home_page.pk}/edit/preview/")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert _directives(response)["frame-ancestors"] == ["'self'"]


def test_framing_referrer_and_sniffing_headers(client, home_page):
    """X-Frame-Options DENY next to frame-ancestors 'none', a same-origin referrer policy,
    nosniff."""
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "cms.settings.production",
    "SECRET_KEY": "x" * 40 + "abcdefghij0123456789",
    "ALLOWED_HOSTS": "cms.example.org",
    "SITE_URL": "https://cms.example.org",
    "TRUSTED_PROXY_COUNT": "1",
}

HSTS_PROBE = """
import django; django.setup()
from django.test import RequestFactory
from django.http import HttpResponse
from django.middleware.security import SecurityMiddleware
mw = SecurityMiddleware(lambda request: HttpResponse("ok"))
rf = RequestFactory()
https = mw(rf.get("/", HTTP_HOST="cms.example.org", HTTP_X_FORWARDED_PROTO="https"))
http = mw(rf.get("/healthz", HTTP_HOST="cms.example.org"))
print(https.get("Strict-Transport-Security"))
print(http.get("Strict-Transport-Security"))
"""


def test_hsts_with_production_settings():
    """Production's HSTS: a year, subdomains and preload on an HTTPS request (the proxy's
    X-Forwarded-Proto), nothing on plain HTTP (/healthz, probed inside the network)."""
    result = run_python(HSTS_PROBE, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == [
        "max-age=31536000; includeSubDomains; preload",
        "None",
    ]
