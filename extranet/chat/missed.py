"""Missed messages become a notice (issue 11, item 6): a message its recipient has not read
``CHAT_MISSED_MESSAGE_DELAY_MINUTES`` after it was sent is told through the notices
(``extranet.notices.services.notify``, category «Сообщения»: at once by e-mail by default,
or in the digest, or not at all, as the person chose), so mail goes only to people who did
not see it live: reading the conversation in time (``services.conversation_mark_read``)
moves ``last_read_id`` past it and nothing is sent.

``Participant.notified_through_id`` remembers the newest message already told, so each
message is told at most once, and a person with several missed messages in one conversation
gets one notice naming the newest. Run every minute by ``manage.py notify_missed_messages``
(a systemd timer) and, where the task backend can defer, by a task scheduled when a message
is sent (``receivers.schedule_missed_check``).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import BigIntegerField, Case, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone, translation

from extranet.notices.services import notify

from .models import Message, Participant

# Participants per transaction; each batch costs a fixed handful of queries plus one
# ``notify`` (one task enqueued) per notice.
BATCH_SIZE = 500
EXCERPT_LENGTH = 200


def _path(name: str, *args) -> str:
    # Stored without a language prefix; each reader's link gets their own (notices.site_link).
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(name, args=args)


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_LENGTH else text[: EXCERPT_LENGTH - 1] + "…"


def _newest_missed(cutoff):
    """Per participant: the newest message of the other person that is unread, not yet told,
    and older than ``cutoff`` (NULL: nothing to tell)."""
    return (
        Message.objects.filter(
            conversation_id=OuterRef("conversation_id"),
            id__gt=Greatest(OuterRef("last_read_id"), OuterRef("notified_through_id")),
            created_at__lte=cutoff,
        )
        .filter(~Q(sender_id=OuterRef("user_id")))
        .order_by("-id")
        .values("id")[:1]
    )


def missed_candidates(*, cutoff):
    """The participants with something to tell, each annotated with ``missed_id``."""
    return (
        Participant.objects.filter(unread__gt=0, user__is_active=True)
        .annotate(missed_id=Subquery(_newest_missed(cutoff), output_field=BigIntegerField()))
        .filter(missed_id__isnull=False)
        .order_by("pk")
    )


def missed_messages_notify(*, now=None, batch_size: int = BATCH_SIZE) -> int:
    """Tell each person once per conversation about the messages they missed; returns how
    many (person, conversation) notices were made. Idempotent: a second run at once finds
    nothing. Rows another run is working on are skipped (``skip_locked``), so the timer and a
    deferred task running together never tell anyone twice."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.CHAT_MISSED_MESSAGE_DELAY_MINUTES)
    candidates = missed_candidates(cutoff=cutoff)
    told, after = 0, 0
    while True:
        with transaction.atomic():
            rows = list(
                candidates.filter(pk__gt=after)
                .select_for_update(skip_locked=True, of=("self",))
                .values_list("pk", "user_id", "conversation_id", "missed_id")[:batch_size]
            )
            if not rows:
                return told
            after = rows[-1][0]
            told += _notify_batch(rows)


def _notify_batch(rows) -> int:
    messages = {
        message.pk: message
        for message in Message.objects.filter(pk__in=[row[3] for row in rows]).select_related(
            "sender", "conversation", "broadcast__initiative"
        )
    }
    Participant.objects.filter(pk__in=[row[0] for row in rows]).update(
        notified_through_id=Greatest(
            "notified_through_id",
            Case(
                *[When(pk=pk, then=Value(missed_id)) for pk, _u, _c, missed_id in rows],
                default=Value(0),
                output_field=BigIntegerField(),
            ),
        )
    )
    with_text = bool(settings.CHAT_EMAIL_MESSAGE_TEXT)
    # A message to everyone missed by many is one notice event for all of them (one task,
    # fanned out in bulk by the notices); other messages are one event per person.
    broadcast_groups: dict[int, list[int]] = defaultdict(list)
    from .receivers import MESSAGE_MISSED

    for _pk, user_id, conversation_id, missed_id in rows:
        message = messages.get(missed_id)
        if message is None:  # deleted meanwhile
            continue
        if message.broadcast_id is not None and message.sender_id is not None:
            broadcast_groups[message.broadcast_id].append(user_id)
            continue
        notify(
            kind=MESSAGE_MISSED.key,
            recipients=[user_id],
            actor=message.sender,
            target=message.conversation,
            url=_path("chat:conversation", conversation_id),
            excerpt=_excerpt(message.body),
            email_excerpt=with_text,
        )
    by_broadcast = {m.broadcast_id: m for m in messages.values() if m.broadcast_id is not None}
    for broadcast_id, user_ids in broadcast_groups.items():
        message = by_broadcast[broadcast_id]
        notify(
            kind=MESSAGE_MISSED.key,
            recipients=user_ids,
            actor=message.sender,
            target=message.broadcast,
            initiative=message.broadcast.initiative,
            url=_path("chat:with", message.sender_id),
            excerpt=_excerpt(message.body),
            email_excerpt=with_text,
        )
    return len(rows)
