"""A request id for every HTTP request and websocket connection, in every log line it causes.

The reverse proxy's ``X-Request-ID`` (nginx: ``$request_id``) is kept when it is a short token of
safe characters, so the proxy's access log and the application's lines share one id; otherwise
(missing, too long, anything that could forge a log line) a new one is made. The id goes back in
the response's ``X-Request-ID`` and is kept in a context variable, which :class:`RequestIdFilter`
(``core/logs.py``) reads for every log record, with the user id, path and method.

Context variables follow the request into ``sync_to_async`` threads and, for a websocket, into
the consumer's coroutines: :class:`RequestIdASGIMiddleware` gives each connection its id.
"""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

HEADER = "X-Request-ID"
# nginx's $request_id is 32 hex digits; a UUID with dashes is 36. Letters, digits, "-", "_",
# "." and nothing else: no space, quote or newline can reach a log line through it.
VALID_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    method: str = ""
    path: str = ""
    request: Any = None  # the HttpRequest (its user is read only once it was loaded)
    user_id: int | None = None  # a websocket's user, known when it connects


_current: ContextVar[RequestContext | None] = ContextVar("cms_request_context", default=None)


def request_id_valid(value: str | None) -> bool:
    return bool(value) and VALID_ID.fullmatch(value) is not None


def request_id_make() -> str:
    return uuid.uuid4().hex


def request_id_from(value: str | None) -> str:
    """The incoming id if it is acceptable, else a new one."""
    return value if request_id_valid(value) else request_id_make()


def current() -> RequestContext | None:
    return _current.get()


def current_request_id() -> str | None:
    context = _current.get()
    return context.request_id if context else None


def current_user_id() -> int | None:
    """The signed-in user's id if the request already loaded its user (a log filter must not
    query the session itself: it may run inside the database's own logging)."""
    context = _current.get()
    if context is None:
        return None
    if context.user_id is not None:
        return context.user_id
    user = getattr(context.request, "__dict__", {}).get("user")
    if user is None:
        return None
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is empty or not getattr(wrapped, "is_authenticated", False):
        return None
    return wrapped.pk


class RequestIdMiddleware:
    """First in ``MIDDLEWARE``: the id covers everything the other middleware log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request.headers.get(HEADER))
        request.request_id = request_id
        token = _current.set(
            RequestContext(
                request_id=request_id,
                method=request.method or "",
                path=request.path,
                request=request,
            )
        )
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdASGIMiddleware:
    """For websocket connections (``cms/asgi.py``): one id per connection, in ``scope`` and in
    the context the consumer runs in; put it inside ``AuthMiddlewareStack`` to log the user."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "websocket":
            return await self.app(scope, receive, send)
        incoming = None
        for name, value in scope.get("headers", ()):
            if name.lower() == HEADER.lower().encode():
                incoming = value.decode("latin-1")
                break
        request_id = request_id_from(incoming)
        user = scope.get("user")
        user_id = None
        if user is not None and getattr(user, "_wrapped", user) is not empty:
            user_id = user.pk if getattr(user, "is_authenticated", False) else None
        token = _current.set(
            RequestContext(
                request_id=request_id,
                method="WEBSOCKET",
                path=scope.get("path", ""),
                user_id=user_id,
            )
        )
        try:
            return await self.app({**scope, "request_id": request_id}, receive, send)
        finally:
            _current.reset(token)
