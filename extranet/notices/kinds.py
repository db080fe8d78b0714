"""What notices exist: categories (the preferences' rows) and kinds (one per event).

Source apps register their kinds from their ``receivers.py`` (imported by their AppConfig),
so this app names no feature. A kind's ``text`` is a lazy, translatable template filled from
the notice's ``params`` when it is shown or mailed, in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    MEMBERSHIP = "membership", _("Membership")
    GROUP = "group", _("Group activity")
    MESSAGES = "messages", _("Messages")
    EVENTS = "events", _("Events")
    IDEAS = "ideas", _("Ideas exchange")
    PUBLISHING = "publishing", _("Publishing")


class Mode(models.TextChoices):
    IMMEDIATE = "immediate", _("At once")
    DIGEST = "digest", _("Daily digest")
    OFF = "off", _("Do not send")


# Membership and messages matter now; group activity would flood a busy group's members.
DEFAULT_MODES = {
    Category.MEMBERSHIP: Mode.IMMEDIATE,
    Category.GROUP: Mode.DIGEST,
    Category.MESSAGES: Mode.IMMEDIATE,
    Category.EVENTS: Mode.IMMEDIATE,
    Category.IDEAS: Mode.DIGEST,
    Category.PUBLISHING: Mode.IMMEDIATE,
}


@dataclass(frozen=True)
class NoticeKind:
    key: str
    category: str
    # "%(actor)s applied to join «%(initiative)s»": filled from the notice's params.
    text: Promise | str
    # A service e-mail (an application's decision) goes at once whatever the preferences
    # and the newsletter switch say; it has no unsubscribe link.
    service: bool = False
    # Whether the notice appears in the bell, or is e-mail only.
    in_app: bool = True


_KINDS: dict[str, NoticeKind] = {}


def register_kind(kind: NoticeKind) -> NoticeKind:
    """Make ``kind`` known; registering the same key twice with another definition is an error."""
    existing = _KINDS.get(kind.key)
    if existing is not None and existing != kind:
        raise ValueError(f"notice kind {kind.key!r} is registered twice")
    if kind.category not in Category.values:
        raise ValueError(f"notice kind {kind.key!r}: unknown category {kind.category!r}")
    _KINDS[kind.key] = kind
    return kind


def get_kind(key: str) -> NoticeKind | None:
    return _KINDS.get(key)


def registered_kinds() -> list[NoticeKind]:
    return list(_KINDS.values())


def kind_text(key: str, params: dict) -> str:
    """The notice's sentence in the active language; a kind no longer registered (an app
    removed) still reads as something."""
    kind = get_kind(key)
    if kind is None:
        return str(_("Notification"))
    try:
        return str(kind.text) % _Params(params)
    except (TypeError, ValueError):
        return str(kind.text)


class _Params(dict):
    # A parameter the notice lacks (an older notice, a new placeholder) reads as "", never as
    # "%(name)s" in front of the reader.
    def __missing__(self, key):
        return ""
