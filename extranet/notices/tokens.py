"""Signed unsubscribe tokens: per user and scope (a category, or "digest"), no login needed.

The token is Django's signing of ``{"u": user id, "s": scope}`` with this module's salt; it
expires after ``UNSUBSCRIBE_TOKEN_MAX_AGE_DAYS`` (an old mail's link then explains itself).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing

from .kinds import Category

SALT = "extranet.notices.unsubscribe"
DIGEST = "digest"
SCOPES = frozenset([*Category.values, DIGEST])


@dataclass(frozen=True)
class UnsubscribeRequest:
    user_id: int
    scope: str


class TokenInvalid(Exception):
    """The token is forged, damaged or names nothing."""


class TokenExpired(Exception):
    """The token was genuine but is older than the allowed age."""


def unsubscribe_token(*, user_id: int, scope: str) -> str:
    if scope not in SCOPES:
        raise ValueError(f"unknown unsubscribe scope {scope!r}")
    return signing.dumps({"u": user_id, "s": scope}, salt=SALT)


def unsubscribe_token_read(token: str) -> UnsubscribeRequest:
    max_age = settings.UNSUBSCRIBE_TOKEN_MAX_AGE_DAYS * 24 * 60 * 60
    if not isinstance(token, str) or len(token) > 500:
        raise TokenInvalid
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise TokenExpired from exc
    except (signing.BadSignature, ValueError, UnicodeError) as exc:
        raise TokenInvalid from exc
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("u"), int)
        or data.get("s") not in SCOPES
    ):
        raise TokenInvalid
    return UnsubscribeRequest(user_id=data["u"], scope=data["s"])
