"""``manage.py prune_notifications``: old read notifications (and their digest items), old
delivered events and old sent e-mails go; unread notifications and unsent or failed e-mails
stay, whatever their age."""

from __future__ import annotations

import datetime
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.utils import timezone
from notifications.models import Notification

from core.models import OutgoingEmail
from extranet.notices.models import DigestItem, NoticeEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _ago(days: int) -> datetime.datetime:
    return NOW - datetime.timedelta(days=days)


def _notification(user, *, days: int, unread: bool) -> Notification:
    user_type = ContentType.objects.get_for_model(user)
    return Notification.objects.create(
        recipient=user,
        actor_content_type=user_type,
        actor_object_id=str(user.pk),
        verb="feed.post_new",
        unread=unread,
        timestamp=_ago(days),
        data={"kind": "feed.post_new", "params": {}, "url": "/"},
    )


def _event(name: str, *, days: int) -> NoticeEvent:
    event = NoticeEvent.objects.create(id=name, kind="feed.post_new")
    NoticeEvent.objects.filter(pk=name).update(created_at=_ago(days))
    return event


def _email(key: str, *, status: str, days: int) -> OutgoingEmail:
    row = OutgoingEmail.objects.create(
        key=key, to=["a@example.com"], subject=key, body=key, status=status
    )
    OutgoingEmail.objects.filter(pk=row.pk).update(
        created_at=_ago(days), sent_at=_ago(days) if status == "sent" else None
    )
    return row


@pytest.fixture
def rows(settings):
    settings.NOTIFICATIONS_PRUNE_DAYS = 90
    settings.OUTGOING_EMAIL_KEEP_DAYS = 30
    user = UserFactory()
    old_read = _notification(user, days=100, unread=False)
    DigestItem.objects.create(recipient=user, notification=old_read, category="group")
    return {
        "old_read": old_read,
        "old_unread": _notification(user, days=400, unread=True),
        "new_read": _notification(user, days=10, unread=False),
        "old_event": _event("old", days=100),
        "new_event": _event("new", days=10),
        "old_sent": _email("old-sent", status="sent", days=40),
        "new_sent": _email("new-sent", status="sent", days=10),
        "old_failed": _email("old-failed", status="failed", days=400),
        "old_queued": _email("old-queued", status="queued", days=400),
    }


def _exists(row) -> bool:
    return type(row).objects.filter(pk=row.pk).exists()


def test_old_read_rows_go_and_the_rest_stay(rows):
    """With the settings' ages (90 and 30 days): the old read notification with its digest
    item, the old event and the old sent e-mail are deleted; the unread one (400 days old),
    the recent ones and the failed and queued e-mails stay. The counts are printed."""
    out = io.StringIO()
    call_command("prune_notifications", stdout=out)
    gone = {"old_read", "old_event", "old_sent"}
    for name, row in rows.items():
        assert _exists(row) is (name not in gone), name
    assert not DigestItem.objects.exists()
    printed = out.getvalue()
    assert "1 read notifications older than 90 days" in printed
    assert "1 delivered events" in printed
    assert "1 sent e-mails older than 30 days" in printed


def test_days_option_overrides_the_setting(rows):
    """``--days 5`` also takes the 10-day-old read notification and event; unread still stays."""
    call_command("prune_notifications", "--days", "5", stdout=io.StringIO())
    assert not _exists(rows["new_read"]) and not _exists(rows["new_event"])
    assert _exists(rows["old_unread"])
    assert _exists(rows["new_sent"])


def test_deletes_in_batches(rows):
    """Many old read notifications are deleted two at a time, all of them."""
    from extranet.notices.management.commands import prune_notifications

    user = rows["old_read"].recipient
    for _ in range(5):
        _notification(user, days=200, unread=False)
    counts = prune_notifications.notices_prune(days=90, email_days=30, batch_size=2)
    assert counts["notifications"] == 6
    assert Notification.objects.filter(unread=False, timestamp__lt=_ago(90)).count() == 0


def test_a_second_run_deletes_nothing(rows):
    """Pruning is repeatable: the second run finds nothing to delete."""
    call_command("prune_notifications", stdout=io.StringIO())
    out = io.StringIO()
    call_command("prune_notifications", stdout=out)
    assert "pruned: 0 read notifications" in out.getvalue()
    assert "0 delivered events" in out.getvalue() and "0 sent e-mails" in out.getvalue()


def test_a_nonsense_age_is_refused(rows):
    """``--days 0`` would delete every read notification: refused with a clear error."""
    with pytest.raises(CommandError, match="at least 1"):
        call_command("prune_notifications", "--days", "0")
    assert _exists(rows["new_read"])
