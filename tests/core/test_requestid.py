"""Request ids (core/requestid.py) and the log lines that carry them (core/logs.py)."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.urls import path

from cms.urls import urlpatterns as site_urlpatterns
from core import requestid
from core.logs import JsonFormatter, RequestIdFilter
from tests.cms.test_settings import run_python

HEADER = "X-Request-ID"
GENERATED = re.compile(r"[0-9a-f]{32}")
probe_logger = logging.getLogger("tests.requestid.probe")


def log_view(request):
    probe_logger.warning("inside the view")
    return HttpResponse("ok")


urlpatterns = [path("test-log/", log_view), *site_urlpatterns]


@pytest.fixture
def json_lines():
    """The records of the probe logger, formatted as production formats them."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    probe_logger.addHandler(handler)
    probe_logger.propagate = False
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    probe_logger.removeHandler(handler)
    probe_logger.propagate = True


def test_incoming_id_is_kept_and_returned(client):
    """The proxy's id (nginx's 32 hex digits, or a UUID) comes back unchanged."""
    for incoming in ("0123456789abcdef0123456789abcdef", "5b1c2e0a-7d2f-4f0e-9a51-3f1d2c4b5a69"):
        response = client.get("/ping", headers={HEADER: incoming})
        assert response[HEADER] == incoming


@pytest.mark.parametrize(
    "incoming",
    ["short", "x" * 65, "abc def ghi", 'abcdefgh"}', "abcdefgh\\nforged", "абвгдеёжзи", ""],
)
def test_invalid_incoming_id_is_replaced(client, incoming):
    """Too short, too long, spaces, quotes, escapes, non-ASCII: a new id instead."""
    response = client.get("/ping", headers={HEADER: incoming})
    assert GENERATED.fullmatch(response[HEADER])
    assert response[HEADER] != incoming


def test_without_incoming_id_each_request_gets_its_own(client):
    first, second = client.get("/ping")[HEADER], client.get("/ping")[HEADER]
    assert GENERATED.fullmatch(first) and GENERATED.fullmatch(second)
    assert first != second


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_log_line_during_request_is_json_with_its_id(client_for, registered_user, json_lines):
    """A line logged by a view is one JSON object with the request's id (the one in the
    response header), its method, path and the signed-in user's id (once the middleware
    loaded the user: the filter never queries); outside a request the fields are null."""
    response = client_for(registered_user).get("/test-log/", headers={HEADER: "proxy-id-123456"})
    assert response[HEADER] == "proxy-id-123456"
    probe_logger.warning("outside a request")
    inside, outside = json_lines()
    assert inside["message"] == "inside the view"
    assert inside["level"] == "WARNING"
    assert inside["logger"] == probe_logger.name
    assert inside["request_id"] == "proxy-id-123456"
    assert inside["method"] == "GET" and inside["path"] == "/test-log/"
    assert inside["user_id"] == registered_user.pk
    assert outside["request_id"] is None and outside["path"] is None


def test_websocket_connection_gets_an_id():
    """The ASGI middleware gives each websocket connection an id (the proxy's when valid),
    in the scope and in the context the consumer logs from; HTTP passes through untouched."""
    seen = []

    async def app(scope, receive, send):
        seen.append((scope.get("request_id"), requestid.current_request_id()))

    middleware = requestid.RequestIdASGIMiddleware(app)
    headers = [(b"x-request-id", b"ws-proxy-0001")]
    asyncio.run(
        middleware({"type": "websocket", "path": "/ws/chat/", "headers": headers}, None, None)
    )
    asyncio.run(middleware({"type": "websocket", "path": "/ws/chat/", "headers": []}, None, None))
    asyncio.run(middleware({"type": "http", "path": "/", "headers": []}, None, None))
    assert seen[0] == ("ws-proxy-0001", "ws-proxy-0001")
    assert GENERATED.fullmatch(seen[1][0]) and seen[1][0] == seen[1][1]
    assert seen[2] == (None, None)
    assert requestid.current_request_id() is None


def test_log_format_setting(monkeypatch):
    """LOG_FORMAT is plain or json; anything else stops start-up with its name."""
    from cms.settings.base import log_format

    monkeypatch.setenv("LOG_FORMAT", "JSON")
    assert log_format("plain") == "json"
    monkeypatch.delenv("LOG_FORMAT")
    assert log_format("plain") == "plain"
    monkeypatch.setenv("LOG_FORMAT", "xml")
    with pytest.raises(ImproperlyConfigured, match="LOG_FORMAT"):
        log_format("plain")


def test_production_logs_json_by_default():
    """With the production settings the console handler writes one JSON object per line."""
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('probe').warning('started %s', 1)"
    )
    result = run_python(
        code,
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY="x" * 40 + "abcdefghij0123456789",
        ALLOWED_HOSTS="cms.example.org",
        SITE_URL="https://cms.example.org",
        TRUSTED_PROXY_COUNT="1",
    )
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["message"] == "started 1" and line["logger"] == "probe"
    assert line["request_id"] is None
