"""The daily digest (``manage.py send_digests``, cron): each recipient's waiting items in one
e-mail, grouped per initiative, sent over one SMTP connection per batch of recipients.

A run takes the items that exist when it starts (``id`` up to the largest one then), walks
their recipients in batches of ``DIGEST_BATCH_SIZE`` by a keyset over the recipient's id (so
memory holds one batch, never every recipient), and per batch, in one transaction, writes
the outbox rows and deletes the batch's items; then it sends the rows over one connection.
Preferences are read at send time: an item whose category is no longer "digest" for its
recipient, or whose recipient unsubscribed from everything or is blocked, is dropped without
mail. A second run finds no items and sends nothing; an outbox row's key
(``digest:<user>:<last item>``) makes a concurrent run's copy fail instead of sending twice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from notifications.models import Notification

from core.email import email_build, email_deliver
from core.models import OutgoingEmail

from .kinds import Mode, kind_text
from .models import DigestItem
from .selectors import email_modes
from .services import settings_link, site_link, unsubscribe_headers, unsubscribe_link
from .tokens import DIGEST

logger = logging.getLogger(__name__)

TEMPLATE = "notices/emails/digest"
# Ids per UPDATE: SQLite's and PostgreSQL's limits on query parameters stay far away.
CHUNK = 500


@dataclass
class DigestRun:
    """What one run did (the command prints it)."""

    recipients: int = 0
    emails: int = 0
    sent: int = 0
    items: int = 0
    dropped: int = 0
    batches: int = 0
    seconds: float = 0.0


@dataclass
class DigestEntry:
    text: str
    url: str
    timestamp: object
    excerpt: str = ""


@dataclass
class DigestGroup:
    title: str
    entries: list[DigestEntry] = field(default_factory=list)


def _chunks(values: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _recipient_batches(*, last_item_id: int, batch_size: int) -> Iterator[list[int]]:
    """Recipients with items up to ``last_item_id``, ``batch_size`` at a time, by id."""
    after = 0
    while True:
        ids = list(
            DigestItem.objects.filter(id__lte=last_item_id, recipient_id__gt=after)
            .order_by("recipient_id")
            .values_list("recipient_id", flat=True)
            .distinct()[:batch_size]
        )
        if not ids:
            return
        yield ids
        after = ids[-1]


def _subscribed(user) -> bool:
    try:
        return user.profile.newsletter
    except ObjectDoesNotExist:
        return True


def _language(user) -> str:
    own = getattr(user, "email_settings", None)
    language = own.language if own is not None else settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _kept(user, items: list[DigestItem]) -> list[DigestItem]:
    """The items still to be mailed under ``user``'s preferences as they are now."""
    if user is None or not user.is_active or not user.email or not _subscribed(user):
        return []
    modes = email_modes(getattr(user, "email_settings", None))
    return [item for item in items if modes.get(item.category) == Mode.DIGEST]


def _groups(items: list[DigestItem], language: str) -> list[DigestGroup]:
    """Items per initiative (in the order their first item came), each with its sentence in
    the active language; the excerpt only where the notice allowed it in e-mail."""
    groups: dict[object, DigestGroup] = {}
    for item in items:
        notification = item.notification
        data = notification.data if isinstance(notification.data, dict) else {}
        key = item.initiative_id
        group = groups.get(key)
        if group is None:
            group = groups[key] = DigestGroup(title=item.initiative_title or _("The platform"))
        excerpt = ""
        if data.get("email_excerpt", False):
            excerpt = str(data.get("excerpt") or "")
        group.entries.append(
            DigestEntry(
                text=kind_text(data.get("kind") or notification.verb, data.get("params") or {}),
                url=site_link(str(data.get("url") or "/"), language),
                timestamp=notification.timestamp,
                excerpt=excerpt,
            )
        )
    return list(groups.values())


def digest_email(user, items: list[DigestItem]) -> OutgoingEmail:
    """The unsaved outbox row of ``user``'s digest of ``items`` (in their language)."""
    language = _language(user)
    with translation.override(language), timezone.override(settings.TIME_ZONE):
        count = len(items)
        subject = ngettext(
            "Daily digest: %(count)d notification",
            "Daily digest: %(count)d notifications",
            count,
        ) % {"count": count}
        unsubscribe = unsubscribe_link(user_id=user.pk, scope=DIGEST, language=language)
        context = {
            "site_url": settings.SITE_URL,
            "platform_name": settings.PLATFORM_NAME,
            "LANGUAGE_CODE": language,
            "recipient": user,
            "subject": subject,
            "count": count,
            "groups": _groups(items, language),
            "settings_url": settings_link(language),
            "unsubscribe_url": unsubscribe,
        }
        return email_build(
            to=[user.email],
            subject=subject,
            body=render_to_string(f"{TEMPLATE}.txt", context),
            html=render_to_string(f"{TEMPLATE}.html", context),
            headers=unsubscribe_headers(unsubscribe),
            key=f"digest:{user.pk}:{items[-1].pk}",
            kind="digest",
        )


def _batch_prepare(recipient_ids: list[int], last_item_id: int, run: DigestRun):
    """Read one batch: its users and items; returns the unsaved mails and included ids."""
    User = get_user_model()
    users = {
        user.pk: user
        for user in User.objects.filter(pk__in=recipient_ids).select_related(
            "profile", "email_settings"
        )
    }
    items_of: dict[int, list[DigestItem]] = {pk: [] for pk in recipient_ids}
    items = (
        DigestItem.objects.filter(recipient_id__in=recipient_ids, id__lte=last_item_id)
        .select_related("notification")
        .order_by("recipient_id", "id")
    )
    for item in items:
        items_of[item.recipient_id].append(item)
    mails, notification_ids = [], []
    for recipient_id in recipient_ids:
        waiting = items_of[recipient_id]
        kept = _kept(users.get(recipient_id), waiting)
        run.dropped += len(waiting) - len(kept)
        if not kept:
            continue
        mails.append(digest_email(users[recipient_id], kept))
        notification_ids.extend(item.notification_id for item in kept)
    return mails, notification_ids


def _batch_store(mails, notification_ids, recipient_ids, last_item_id) -> list[int]:
    """Save the mails, mark their notifications e-mailed and delete the batch's items, all or
    nothing. A mail whose key exists already (another run's) is not written again."""
    now = timezone.now()
    with transaction.atomic():
        existing = set(
            OutgoingEmail.objects.filter(key__in=[mail.key for mail in mails]).values_list(
                "key", flat=True
            )
        )
        fresh = [mail for mail in mails if mail.key not in existing]
        for mail in fresh:
            # Left "queued" by a run that dies before sending, `send_queued_email` sends it.
            mail.next_attempt_at = now
        saved = OutgoingEmail.objects.bulk_create(fresh)
        for chunk in _chunks(notification_ids):
            Notification.objects.filter(pk__in=chunk).update(emailed=True)
        DigestItem.objects.filter(recipient_id__in=recipient_ids, id__lte=last_item_id).delete()
    return [mail.pk for mail in saved]


def _batch_send(outgoing_ids: list[int]) -> int:
    """Send one batch's mails over one connection. A connection that will not open is
    recorded on each row by ``email_deliver`` (retried later), never lost."""
    connection = get_connection()
    try:
        try:
            connection.open()
        except Exception:  # email_deliver records the failure on each message
            logger.warning("digest: could not open the mail connection", exc_info=True)
        return email_deliver(outgoing_ids=outgoing_ids, connection=connection)
    finally:
        try:
            connection.close()
        except Exception:  # a connection that never opened may fail to close
            logger.debug("digest: closing the mail connection failed", exc_info=True)


def digests_send(*, batch_size: int | None = None) -> DigestRun:
    """Send every recipient's digest of the items waiting when the run starts."""
    started = time.monotonic()
    batch_size = max(1, batch_size or settings.DIGEST_BATCH_SIZE)
    run = DigestRun()
    last_item_id = DigestItem.objects.aggregate(last=Max("id"))["last"]
    if last_item_id is None:
        run.seconds = time.monotonic() - started
        return run
    for recipient_ids in _recipient_batches(last_item_id=last_item_id, batch_size=batch_size):
        run.batches += 1
        run.recipients += len(recipient_ids)
        mails, notification_ids = _batch_prepare(recipient_ids, last_item_id, run)
        try:
            outgoing_ids = _batch_store(mails, notification_ids, recipient_ids, last_item_id)
        except IntegrityError:
            # A concurrent run wrote the same digests between our check and our insert: it
            # sends them; its deletion of the items is ours too.
            logger.warning(
                "digest: batch after recipient %s written by another run", recipient_ids[0]
            )
            continue
        run.emails += len(outgoing_ids)
        run.items += len(notification_ids)
        if outgoing_ids:
            run.sent += _batch_send(outgoing_ids)
    run.seconds = time.monotonic() - started
    return run
