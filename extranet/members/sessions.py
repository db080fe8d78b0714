"""One's sessions in the cabinet (allauth.usersessions), and «Выйти на других устройствах».

allauth records a session (IP address, browser, start) when someone signs in through it, and
its list page ends the others. Two things are the platform's own:

- **Last activity, throttled.** allauth's own middleware writes the session's row on every
  request. ``SessionActivityMiddleware`` writes it at most once per
  ``USERSESSIONS_ACTIVITY_INTERVAL`` seconds per session, remembered in the cache; a page in
  between costs one cache read and no query. Only sessions allauth recorded at sign-in are
  tracked (a flag in the session says so), so a session it never saw costs nothing either.
- **Ending a session ends its sockets.** The chat closes the sockets of a session that logs
  out (``user_logged_out``); a session ended from another device never logs out itself, so
  ``UserSessionsAdapter`` sends that signal for it.
"""

from __future__ import annotations

import logging
from types import SimpleNamespace

from allauth.account.signals import user_logged_in
from allauth.usersessions.adapter import DefaultUserSessionsAdapter
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth.signals import user_logged_out
from django.core.cache import cache
from django.dispatch import receiver
from django.utils.crypto import salted_hmac

logger = logging.getLogger(__name__)

# In the session: allauth recorded it at sign-in, so its row is there to keep up to date.
TRACKED_SESSION_KEY = "members_usersession_tracked"


def _seen_key(session_key: str) -> str:
    # The session key itself stays out of cache key names.
    digest = salted_hmac("members.sessions.seen", session_key).hexdigest()[:32]
    return f"usersessions:seen:{digest}"


def _interval() -> int:
    return max(1, int(getattr(settings, "USERSESSIONS_ACTIVITY_INTERVAL", 300)))


@receiver(user_logged_in, dispatch_uid="members.sessions.logged_in")
def session_tracked(sender, request, **kwargs):
    """Mark a session allauth signs in (its row is made by allauth's own receiver) as tracked,
    and as just seen: its next write is due one interval later."""
    session = getattr(request, "session", None)
    if session is None:
        return
    session[TRACKED_SESSION_KEY] = True
    if session.session_key:
        cache.set(_seen_key(session.session_key), 1, _interval())


def session_activity_record(*, request) -> None:
    """Write the session's last activity, IP address and browser (allauth's own update, which
    also makes the row if it went missing and tells when the client changed)."""
    try:
        UserSession.objects.create_from_request(request)
    except Exception:  # the page matters more than its session's last-seen time
        logger.warning("usersessions: could not record a session's activity", exc_info=True)


class SessionActivityMiddleware:
    """allauth.usersessions' activity tracking, at most one write per session per interval."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if (
            getattr(settings, "USERSESSIONS_TRACK_ACTIVITY", False)
            and session is not None
            and session.session_key
            and user is not None
            and user.is_authenticated
            and session.get(TRACKED_SESSION_KEY)
        ):
            key = _seen_key(session.session_key)
            if cache.add(key, 1, _interval()):
                session_activity_record(request=request)
        return self.get_response(request)


class UserSessionsAdapter(DefaultUserSessionsAdapter):
    def end_sessions(self, sessions) -> None:
        """End each session (allauth deletes it from the session store and drops its row),
        then tell whoever listens to logouts (the chat closes that session's sockets)."""
        for session in sessions:
            user, session_key = session.user, session.session_key
            session.end()
            cache.delete(_seen_key(session_key))
            user_logged_out.send(
                sender=type(user),
                request=SimpleNamespace(session=SimpleNamespace(session_key=session_key)),
                user=user,
            )
