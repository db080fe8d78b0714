"""Remove what the notices no longer need (cron, daily): read notifications older than
``NOTIFICATIONS_PRUNE_DAYS`` (their digest items go with them, CASCADE), delivered events as
old, and sent outbox rows older than ``OUTGOING_EMAIL_KEEP_DAYS``. Unread notifications and
unsent or failed e-mails are never removed. Deletes in batches, so no table is locked long."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from notifications.models import Notification

from core.models import OutgoingEmail
from extranet.notices.models import NoticeEvent

BATCH = 1000


def delete_in_batches(queryset, *, batch_size: int = BATCH) -> int:
    """Delete ``queryset``'s rows ``batch_size`` primary keys at a time; returns how many."""
    model = queryset.model
    total = 0
    while True:
        ids = list(queryset.order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            return total
        with transaction.atomic():
            # Re-filtered: a notification read or an e-mail resent meanwhile is kept.
            _, per_model = queryset.filter(pk__in=ids).delete()
        total += per_model.get(model._meta.label, 0)


def notices_prune(*, days: int, email_days: int, now=None, batch_size: int = BATCH) -> dict:
    """Delete the old rows; returns counts per kind of row."""
    now = now or timezone.now()
    notices_before = now - datetime.timedelta(days=days)
    emails_before = now - datetime.timedelta(days=email_days)
    return {
        "notifications": delete_in_batches(
            Notification.objects.filter(unread=False, timestamp__lt=notices_before),
            batch_size=batch_size,
        ),
        "events": delete_in_batches(
            NoticeEvent.objects.filter(created_at__lt=notices_before), batch_size=batch_size
        ),
        "emails": delete_in_batches(
            OutgoingEmail.objects.filter(
                status=OutgoingEmail.Status.SENT, sent_at__lt=emails_before
            ),
            batch_size=batch_size,
        ),
    }


class Command(BaseCommand):
    help = (
        "Delete read notifications and delivered events older than NOTIFICATIONS_PRUNE_DAYS "
        "and sent e-mails older than OUTGOING_EMAIL_KEEP_DAYS."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Age in days of read notifications and events to delete "
            "(default: settings.NOTIFICATIONS_PRUNE_DAYS).",
        )
        parser.add_argument(
            "--email-days",
            type=int,
            default=None,
            help="Age in days of sent e-mails to delete "
            "(default: settings.OUTGOING_EMAIL_KEEP_DAYS).",
        )

    def handle(self, *args, days=None, email_days=None, **options):
        days = settings.NOTIFICATIONS_PRUNE_DAYS if days is None else days
        email_days = settings.OUTGOING_EMAIL_KEEP_DAYS if email_days is None else email_days
        if days < 1 or email_days < 1:
            raise CommandError("--days and --email-days must be at least 1")
        counts = notices_prune(days=days, email_days=email_days)
        self.stdout.write(
            f"pruned: {counts['notifications']} read notifications older than {days} days, "
            f"{counts['events']} delivered events, "
            f"{counts['emails']} sent e-mails older than {email_days} days"
        )
