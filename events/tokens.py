"""Links in a registration's e-mails: ``/events/<slug>/registration/<token>/``.

A token is signed (``django.core.signing`` with this module's salt), so nobody makes one up;
it carries the registration's id and its ``secret``, so a registration whose secret changed
(cancelled, anonymised) no longer opens with an old link. It is valid until
``VALID_AFTER_END`` after the event ends: the guest still rates the event from it, then the
link is spent.
"""

from __future__ import annotations

import datetime

from django.core import signing
from django.utils import timezone

from .models import EventPage, Registration

SALT = "events.registration"
VALID_AFTER_END = datetime.timedelta(days=30)


class TokenInvalid(Exception):
    """Not a token of ours: garbled, cut short or tampered with (answered with 400)."""


class TokenGone(Exception):
    """A real token that no longer opens anything: the registration was cancelled or
    removed, its secret changed, or the event ended long ago (answered with 410)."""


def _signer() -> signing.Signer:
    # No timestamp: the link's life is the event's (VALID_AFTER_END), not the e-mail's age,
    # and every e-mail of one registration carries the same link.
    return signing.Signer(salt=SALT)


def registration_token(registration: Registration) -> str:
    return _signer().sign_object([registration.pk, registration.secret])


def token_read(token: str) -> tuple[int, str]:
    """The registration id and secret a token carries; ``TokenInvalid`` when it is not ours."""
    try:
        value = _signer().unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError, UnicodeError) as exc:
        raise TokenInvalid from exc
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not isinstance(value[0], int)
        or not isinstance(value[1], str)
    ):
        raise TokenInvalid
    return value[0], value[1]


def registration_for_token(*, token: str, event: EventPage, now=None) -> Registration:
    """The registration of ``event`` the token opens (``TokenInvalid`` / ``TokenGone``)."""
    registration_id, secret = token_read(token)
    registration = (
        Registration.objects.filter(pk=registration_id, event_id=event.pk)
        .select_related("feedback")
        .first()
    )
    if registration is None or registration.secret != secret:
        raise TokenGone
    if registration.status == Registration.Status.CANCELLED:
        raise TokenGone
    if (now or timezone.now()) > event.ends_at + VALID_AFTER_END:
        raise TokenGone
    registration.event = event
    return registration
