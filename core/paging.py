"""Keyset paging: «show more» by an opaque cursor on the listing's order, never by offset.

The next page costs the same as the first, and a row written meanwhile does not shift what
the next page shows. A listing orders by a few fields, all descending, the last one unique
(the id); its cursor is those fields' values in the last row shown, and the next page is the
rows strictly after them (:func:`keyset_after`).
"""

from __future__ import annotations

import base64
import binascii
import operator
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import reduce

from django.db.models import Q


class InvalidCursor(ValueError):
    """A «show more» cursor that this code did not make (edited or truncated by hand)."""


@dataclass(frozen=True)
class Page:
    items: list
    next_cursor: str | None


def cursor_encode(*parts) -> str:
    """An opaque, URL-safe cursor from the values of the last row's ordering fields."""
    raw = "|".join(str(p) for p in parts).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cursor_decode(cursor: str, count: int) -> list[str]:
    """The ``count`` string values in ``cursor``; InvalidCursor when it holds anything else."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise InvalidCursor(cursor) from exc
    parts = raw.split("|")
    if len(parts) != count:
        raise InvalidCursor(cursor)
    return parts


def cursor_time(value: str) -> datetime:
    """An aware datetime from a cursor part (``isoformat()``), or InvalidCursor."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise InvalidCursor(value) from exc
    if moment.tzinfo is None:
        raise InvalidCursor(value)
    return moment


def cursor_int(value: str) -> int:
    """A non-negative id from a cursor part, or InvalidCursor (no signs, at most 18 digits)."""
    if not value.isdigit() or len(value) > 18:
        raise InvalidCursor(value)
    return int(value)


def cursor_bool(value: str) -> bool:
    """A flag written as ``int(flag)``, or InvalidCursor."""
    if value not in ("0", "1"):
        raise InvalidCursor(value)
    return value == "1"


def keyset_after(*fields: tuple[str, object]) -> Q:
    """Rows after ``(field, value), ...`` in the order ``-field1, -field2, ...``.

    That is: field1 smaller, or field1 equal and field2 smaller, and so on; the last field
    must be unique so that no row is shown twice or skipped.
    """
    alternatives = []
    equal = Q()
    for name, value in fields:
        alternatives.append(equal & Q(**{f"{name}__lt": value}))
        equal &= Q(**{name: value})
    return reduce(operator.or_, alternatives)


def keyset_page(rows, *, size: int, cursor_of: Callable[[object], str]) -> Page:
    """The first ``size`` of ``rows`` (an ordered, already filtered queryset or iterable
    slice) and the cursor of the last one when more follow; one query for ``size + 1``."""
    items = list(rows[: size + 1])
    more = len(items) > size
    items = items[:size]
    return Page(items=items, next_cursor=cursor_of(items[-1]) if more else None)
