"""core.paging: cursors that round-trip and refuse what they did not make, and keyset pages
that show every row once, in order, whatever the page size."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from core.paging import (
    InvalidCursor,
    cursor_bool,
    cursor_decode,
    cursor_encode,
    cursor_int,
    cursor_time,
    keyset_after,
    keyset_page,
)
from extranet.members.models import User
from tests.factories import UserFactory


def test_cursor_round_trips_its_parts():
    """What cursor_encode writes, cursor_decode and the part parsers read back."""
    moment = timezone.now()
    cursor = cursor_encode(1, moment.isoformat(), 42)
    flag, when, pk = cursor_decode(cursor, 3)
    assert (cursor_bool(flag), cursor_time(when), cursor_int(pk)) == (True, moment, 42)
    assert "=" not in cursor


@pytest.mark.parametrize(
    ("cursor", "count"),
    [("!!!", 2), (cursor_encode("a", "b", "c"), 2), (cursor_encode("a"), 2), ("\u00e9", 1)],
)
def test_a_cursor_it_did_not_make_is_refused(cursor, count):
    """Not base64, or the wrong number of parts: InvalidCursor, never a crash."""
    with pytest.raises(InvalidCursor):
        cursor_decode(cursor, count)


@pytest.mark.parametrize(
    ("parse", "value"),
    [
        (cursor_int, "-1"),
        (cursor_int, "1" * 19),
        (cursor_int, "x"),
        (cursor_bool, "2"),
        (cursor_time, "yesterday"),
        (cursor_time, "2026-01-01T10:00:00"),  # naive
    ],
)
def test_a_bad_part_is_refused(parse, value):
    """Signs, huge numbers, other flags, unparseable or naive times are InvalidCursor."""
    with pytest.raises(InvalidCursor):
        parse(value)


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 2, 3, 7])
def test_keyset_pages_show_every_row_once_in_order(size):
    """Paging by (-is_staff, -date_joined, -id) with ties on both first fields gives the rows
    exactly as one ordered query does, and the last page has no next cursor."""
    same = timezone.now()
    for n in range(7):
        UserFactory(is_staff=n % 3 == 0, date_joined=same - datetime.timedelta(days=n % 2))
    ordered = User.objects.order_by("-is_staff", "-date_joined", "-id")

    def cursor_of(user):
        return cursor_encode(int(user.is_staff), user.date_joined.isoformat(), user.pk)

    seen, cursor = [], None
    while True:
        rows = ordered
        if cursor:
            staff, joined, pk = cursor_decode(cursor, 3)
            rows = rows.filter(
                keyset_after(
                    ("is_staff", cursor_bool(staff)),
                    ("date_joined", cursor_time(joined)),
                    ("id", cursor_int(pk)),
                )
            )
        page = keyset_page(rows, size=size, cursor_of=cursor_of)
        seen += page.items
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == list(ordered)
