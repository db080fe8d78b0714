"""Error pages (400, 403, 404, 500, CSRF failure) are the designed ones and leak nothing: no
traceback, settings, SQL, paths, e-mail or the exception's text; the 500 page also renders
when the database is down."""

from __future__ import annotations

from unittest import mock

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import Http404
from django.test import Client
from django.urls import path

from cms import urls as site_urls
from cms.urls import handler400, handler500  # noqa: F401 - the overriding URLconf keeps them
from cms.urls import urlpatterns as site_urlpatterns

pytestmark = pytest.mark.django_db

# What the exceptions below carry, none of which may reach the page.
SECRET = "SELECT password FROM members_user WHERE email='leak@example.com' /srv/cms/secret.py"


def _raise(exception):
    def view(request):
        raise exception

    return view


urlpatterns = [
    path("test-errors/400/", _raise(SuspiciousOperation(SECRET))),
    path("test-errors/403/", _raise(PermissionDenied(SECRET))),
    path("test-errors/404/", _raise(Http404(SECRET))),
    path("test-errors/500/", _raise(RuntimeError(SECRET))),
    *site_urlpatterns,
]

LEAKS = (
    "leak@example.com",
    "SELECT",
    "members_user",
    "/srv/cms",
    str(settings.BASE_DIR),
    "Traceback",
    "RuntimeError",
    "SuspiciousOperation",
    "PermissionDenied",
    "SECRET_KEY",
    settings.SECRET_KEY,
    "DEBUG",
    "CSRF cookie",
    "Referer",
)


def _assert_nothing_leaks(response):
    body = response.content.decode()
    for leak in LEAKS:
        assert leak not in body, leak


@pytest.fixture
def client_no_raise():
    client = Client()
    client.raise_request_exception = False
    return client


def test_the_site_uses_the_designed_handlers():
    assert site_urls.handler400 == "cms.views.bad_request"
    assert site_urls.handler500 == "cms.views.server_error"
    assert settings.CSRF_FAILURE_VIEW == "cms.views.csrf_failure"
    assert settings.DEBUG is False


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("status", "marker"),
    [
        (400, "page-error--400"),
        (403, "page-error--403"),
        (404, "page-error--404"),
        (500, "page-error--500"),
    ],
)
def test_error_page_is_designed_and_leaks_nothing(client_no_raise, home_page, status, marker):
    """Each status renders its template (marker: the page's own class or code line), with
    the exception's text (SQL, e-mail, a path) nowhere on it."""
    response = client_no_raise.get(f"/test-errors/{status}/")
    assert response.status_code == status
    assert marker in response.content.decode()
    _assert_nothing_leaks(response)


def test_csrf_failure_is_the_designed_page(home_page):
    """A form sent without its token gets the designed 403, not Django's page with the
    reason and the settings it names."""
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": "leak@example.com", "password": "x"})
    assert response.status_code == 403
    assert 'data-error="csrf"' in response.content.decode()
    _assert_nothing_leaks(response)


def test_unknown_host_is_the_designed_400(home_page):
    """A request for a host the site does not serve (DisallowedHost) gets the standalone 400."""
    response = Client().get("/", HTTP_HOST="evil.example.net")
    assert response.status_code == 400
    assert "page-error--400" in response.content.decode()
    assert "evil.example.net" not in response.content.decode()


def test_500_page_when_the_database_is_down(home_page, client_for, registered_user):
    """With every new database connection refused, a guest's and a signed-in person's page
    is the designed 500 (standalone: no query), not a traceback or a blank 'Server Error'."""
    signed_in = client_for(registered_user)
    signed_in.raise_request_exception = False
    guest = Client()
    guest.raise_request_exception = False
    refused = OperationalError('connection to server at "db.internal" (10.0.0.5) refused')
    with (
        mock.patch.object(BaseDatabaseWrapper, "ensure_connection", side_effect=refused),
        mock.patch.object(BaseDatabaseWrapper, "_cursor", side_effect=refused),
    ):
        for client in (guest, signed_in):
            response = client.get("/")
            assert response.status_code == 500
            body = response.content.decode()
            assert "page-error--500" in body
            assert "db.internal" not in body and "10.0.0.5" not in body
            _assert_nothing_leaks(response)
