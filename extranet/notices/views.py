"""The bell's pages: /cabinet/notifications/ (the list, newest first, «only unread», keyset
«Show more»), opening one notice (marks it read, then goes to its object) and mark-read.

Thin views: :mod:`.permissions` decides, :mod:`.selectors` reads, :mod:`.services` writes.
Someone else's notification is 404; the list runs a fixed number of queries however many
notices there are.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_http_methods, require_POST
from notifications.models import Notification

from core.paging import (
    InvalidCursor,
    cursor_decode,
    cursor_encode,
    cursor_int,
    cursor_time,
    keyset_after,
    keyset_page,
)

from . import permissions, selectors, services
from .kinds import kind_text

PAGE_SIZE = 20


def _notices_user(view):
    """Guests (and blocked accounts) go to the login page, as for the rest of the cabinet."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not permissions.can_use_notices(request.user):
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


def local_path(path: str) -> str:
    """A stored, unprefixed site path in the active language (``/en/…`` for English); "" for
    anything that is not a path on this site (another host, a scheme, ``//host``)."""
    if (
        not isinstance(path, str)
        or not path.startswith("/")
        or path.startswith("//")
        or "\\" in path
        or not url_has_allowed_host_and_scheme(path, allowed_hosts=set())
    ):
        return ""
    return services.path_in_language(path, get_language() or settings.LANGUAGE_CODE)


def _cursor(notification: Notification) -> str:
    return cursor_encode(notification.timestamp.isoformat(), notification.pk)


def _after(cursor: str):
    timestamp, pk = cursor_decode(cursor, 2)
    return keyset_after(("timestamp", cursor_time(timestamp)), ("id", cursor_int(pk)))


def _page(user, *, unread_only: bool, cursor: str | None):
    rows = selectors.notifications_of(user=user)
    if unread_only:
        rows = rows.filter(unread=True)
    if cursor:
        rows = rows.filter(_after(cursor))
    return keyset_page(rows, size=PAGE_SIZE, cursor_of=_cursor)


def _item(notification: Notification) -> dict:
    data = notification.data if isinstance(notification.data, dict) else {}
    params = data.get("params") if isinstance(data.get("params"), dict) else {}
    return {
        "pk": notification.pk,
        "unread": notification.unread,
        "text": kind_text(str(data.get("kind") or notification.verb), params),
        "initiative_title": str(data.get("initiative_title") or ""),
        "excerpt": str(data.get("excerpt") or ""),
        "timestamp": notification.timestamp,
        "has_link": bool(local_path(data.get("url") or "")),
    }


def _list_link(params: dict) -> str:
    query = urlencode({key: value for key, value in params.items() if value})
    return reverse("notifications") + (f"?{query}" if query else "")


def _back(request) -> str:
    """Back to the list the form was on (its ``next``, a path of this site), else the list."""
    candidate = request.POST.get("next") or ""
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("notifications")


def _own_notification(request, pk: int) -> Notification:
    notification = Notification.objects.filter(pk=pk, deleted=False).first()
    if notification is None or not permissions.can_open_notification(request.user, notification):
        raise Http404
    return notification


@_notices_user
@require_http_methods(["GET", "HEAD"])
def notification_list(request):
    """The signed-in person's notices, newest first; unread ones marked; «only unread»
    (``?unread=1``); «Show more» by keyset cursor (``?after=``)."""
    user = request.user
    unread_only = request.GET.get("unread") == "1"
    cursor = request.GET.get("after") or None
    notices = []
    try:
        page = _page(user, unread_only=unread_only, cursor=cursor)
    except InvalidCursor:
        notices.append(
            gettext("That «Show more» link is no longer valid; here are the newest notifications.")
        )
        cursor = None
        page = _page(user, unread_only=unread_only, cursor=None)
    unread = selectors.unread_count(user=user)
    here = request.get_full_path()
    context = {
        "items": [_item(notification) for notification in page.items],
        "unread_only": unread_only,
        "unread_count": unread,
        "is_continuation": bool(cursor),
        "next_url": (
            _list_link({"unread": "1" if unread_only else "", "after": page.next_cursor})
            if page.next_cursor
            else ""
        ),
        "all_url": _list_link({}),
        "unread_url": _list_link({"unread": "1"}),
        "first_url": _list_link({"unread": "1" if unread_only else ""}),
        "notices": notices,
        "here": here,
    }
    return TemplateResponse(request, "notices/notification_list.html", context)


@_notices_user
@require_http_methods(["GET", "HEAD"])
def notification_open(request, pk: int):
    """Mark the notice read and go to its object; a notice without a usable link (another
    host, nothing stored) comes back to the list."""
    notification = _own_notification(request, pk)
    services.notification_mark_read(user=request.user, notification=notification)
    data = notification.data if isinstance(notification.data, dict) else {}
    target = local_path(data.get("url") or "")
    return redirect(target or reverse("notifications"))


@_notices_user
@require_POST
def notification_read(request, pk: int):
    notification = _own_notification(request, pk)
    services.notification_mark_read(user=request.user, notification=notification)
    return redirect(_back(request))


@_notices_user
@require_POST
def notifications_read_all(request):
    services.notifications_mark_all_read(user=request.user)
    return redirect(_back(request))
