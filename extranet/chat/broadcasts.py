"""«Сообщение всем»: the portal admin writes to every user, to one initiative's members or to
its admins; each recipient gets the text in their own conversation with the admin (issue 11,
item 5) and may answer privately there.

The request only stores a :class:`~.models.Broadcast` and enqueues ``tasks.broadcast_send``
(:func:`broadcast_create`). The task (:func:`broadcast_deliver`) works in batches of
``BATCH_SIZE`` recipients, each in its own transaction, in a constant number of queries per
batch whatever its size: the conversations are ensured in bulk, the messages bulk-inserted,
the unread counters and the conversations' last message changed with one UPDATE each. Each
batch locks its recipients' and the sender's inboxes (in user-id order, like
``services._lock_inboxes``) before inserting, so a person's messages still commit in id order
and the reconnect's catch-up (``selectors.messages_after``) stays exact; a batch holds the
locks for milliseconds, never the whole delivery.
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.text import clean_text
from extranet.members.models import Membership

from . import permissions, services
from .models import Block, Broadcast, Conversation, Inbox, Message, Participant
from .services import ChatError

logger = logging.getLogger(__name__)

Audience = Broadcast.Audience
Status = Broadcast.Status

# Recipients per transaction: big enough that 10,000 people take ten round trips of a few
# statements each, small enough that the locked inboxes are released within milliseconds
# and every IN list stays under SQLite's parameter limit.
BATCH_SIZE = 1000

INITIATIVE_AUDIENCES = (Audience.MEMBERS, Audience.ADMINS)


# --- Reads ---------------------------------------------------------------------------------------


def broadcast_recipients(*, sender_id: int | None, audience: str, initiative_id: int | None):
    """The active accounts a message to ``audience`` reaches, as one queryset (no rows read):
    everyone, the initiative's approved members (its admins included) or its admins; never
    the sender, nor anyone who blocked them or whom they blocked."""
    people = get_user_model().objects.filter(is_active=True)
    if audience in INITIATIVE_AUDIENCES:
        memberships = Membership.objects.filter(
            initiative_id=initiative_id, status=Membership.Status.APPROVED
        )
        if audience == Audience.ADMINS:
            memberships = memberships.filter(role=Membership.Role.ADMIN)
        people = people.filter(pk__in=memberships.values("user_id"))
    elif audience != Audience.ALL:
        return people.none()
    if sender_id is not None:
        people = (
            people.exclude(pk=sender_id)
            .exclude(pk__in=Block.objects.filter(blocker_id=sender_id).values("blocked_id"))
            .exclude(pk__in=Block.objects.filter(blocked_id=sender_id).values("blocker_id"))
        )
    return people


def broadcast_reach(*, sender, audience: str, initiative=None) -> int:
    """How many people a message to ``audience`` would reach now (one COUNT)."""
    return broadcast_recipients(
        sender_id=sender.pk,
        audience=audience,
        initiative_id=initiative.pk if initiative is not None else None,
    ).count()


def broadcast_audience_counts(*, sender, initiatives) -> dict:
    """The numbers the form shows next to each choice: ``{"all": N, "initiatives": {id:
    {"members": N, "admins": N}}}``, in two queries whatever the number of initiatives.
    (The form's counts leave blocks aside; the delivery's count is the exact one.)"""
    ids = [initiative.pk for initiative in initiatives]
    rows = (
        Membership.objects.filter(
            initiative_id__in=ids, status=Membership.Status.APPROVED, user__is_active=True
        )
        .exclude(user_id=sender.pk)
        .values("initiative_id")
        .annotate(
            members=Count("user_id", distinct=True),
            admins=Count("user_id", filter=Q(role=Membership.Role.ADMIN), distinct=True),
        )
    )
    per_initiative = {pk: {"members": 0, "admins": 0} for pk in ids}
    for row in rows:
        per_initiative[row["initiative_id"]] = {"members": row["members"], "admins": row["admins"]}
    return {
        "all": broadcast_reach(sender=sender, audience=Audience.ALL),
        "initiatives": per_initiative,
    }


def broadcasts_recent(*, limit: int = 20) -> list[Broadcast]:
    """The latest messages to everyone with their initiative, newest first (one query)."""
    return list(Broadcast.objects.select_related("initiative", "sender")[:limit])


# --- Writes --------------------------------------------------------------------------------------


def broadcast_create(*, sender, audience: str, initiative=None, body: str) -> Broadcast:
    """Store a message to everyone and enqueue its delivery once the transaction commits.

    Raises ChatError: ``not_allowed`` (only the portal admin sends to everyone),
    ``bad_audience``, ``no_initiative`` (members and admins are an initiative's), ``empty``,
    ``too_long``. Nothing is sent on the request path."""
    if not permissions.can_broadcast(sender):
        raise ChatError(
            _("Only the portal administrator can write to everyone."), code="not_allowed"
        )
    if audience not in Audience.values:
        raise ChatError(_("Choose who receives the message."), code="bad_audience")
    if audience in INITIATIVE_AUDIENCES:
        if initiative is None:
            raise ChatError(
                _("Choose the initiative whose members or administrators receive the message."),
                code="no_initiative",
            )
    else:
        initiative = None
    if not clean_text(body):
        raise ChatError(_("Write the message first: it is empty."), code="empty")
    body = services._check_body(body, has_files=False)
    broadcast = Broadcast.objects.create(
        sender=sender, audience=audience, initiative=initiative, body=body
    )
    from .tasks import broadcast_send

    transaction.on_commit(lambda: broadcast_send.enqueue(broadcast_id=broadcast.pk))
    return broadcast


def broadcast_deliver(*, broadcast_id: int, batch_size: int = BATCH_SIZE) -> int:
    """Deliver a queued message to everyone; returns how many people received it now.

    The claim (queued → sending) is one UPDATE, so a task that runs twice delivers once (the
    second run returns 0). Each batch is its own transaction: on an error the people of the
    batches before it have the message and ``recipients_count`` says how many; the status is
    then ``failed``. A batch skips the people who already have this message, so delivering a
    claimed broadcast again by hand never writes twice."""
    claimed = Broadcast.objects.filter(pk=broadcast_id, status=Status.QUEUED).update(
        status=Status.SENDING
    )
    if not claimed:
        return 0
    broadcast = Broadcast.objects.get(pk=broadcast_id)
    delivered = 0
    try:
        if broadcast.sender_id is None:
            raise ChatError(_("The sender's account was deleted."), code="not_allowed")
        recipients = broadcast_recipients(
            sender_id=broadcast.sender_id,
            audience=broadcast.audience,
            initiative_id=broadcast.initiative_id,
        ).order_by("pk")
        after = 0
        while True:
            ids = list(recipients.filter(pk__gt=after).values_list("pk", flat=True)[:batch_size])
            if not ids:
                break
            after = ids[-1]
            delivered += _deliver_batch(broadcast, ids)
    except Exception as exc:
        logger.exception(
            "message to everyone %s failed after %s recipients", broadcast_id, delivered
        )
        Broadcast.objects.filter(pk=broadcast_id).update(
            status=Status.FAILED,
            finished_at=timezone.now(),
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        raise
    Broadcast.objects.filter(pk=broadcast_id).update(status=Status.DONE, finished_at=timezone.now())
    if delivered:
        # No message_sent per message (10,000 signals); the missed-message check is
        # scheduled once for the lot, where the backend can defer.
        from .receivers import schedule_missed_check

        transaction.on_commit(lambda: schedule_missed_check(sender=Message))
    return delivered


def _conversations_of(user_id: int, other_ids: list[int]) -> dict[int, Conversation]:
    """The existing conversations of ``user_id`` with ``other_ids`` (other id → conversation),
    one query: after the first message to everyone, most people have one already, and
    creating nothing is much cheaper than ``conversations_ensure``'s ignored inserts."""
    lower = [pk for pk in other_ids if pk < user_id]
    higher = [pk for pk in other_ids if pk > user_id]
    found = Conversation.objects.filter(
        Q(user_b_id=user_id, user_a_id__in=lower) | Q(user_a_id=user_id, user_b_id__in=higher)
    ).only("pk", "user_a_id", "user_b_id")
    return {conversation.other_id(user_id): conversation for conversation in found}


def _deliver_batch(broadcast: Broadcast, ids: list[int]) -> int:
    """One batch's messages, counters and last messages in one transaction; the sockets are
    told after it commits. About a dozen queries for any batch size."""
    sender_id = broadcast.sender_id
    with transaction.atomic():
        conversations = _conversations_of(sender_id, ids)
        missing = [pk for pk in ids if pk not in conversations]
        if missing:  # people the sender never talked to: started in bulk
            conversations.update(
                services.conversations_ensure(user_id=sender_id, other_ids=missing)
            )
        # Sender's and recipients' inboxes, in user-id order (two batches, or a batch and a
        # person's own send, never wait on each other in a cycle).
        streams = dict(
            Inbox.objects.select_for_update()
            .filter(user_id__in=[sender_id, *ids])
            .order_by("user_id")
            .values_list("user_id", "last_message_id")
        )
        already = set(
            Message.objects.filter(
                broadcast=broadcast,
                conversation_id__in=[conversation.pk for conversation in conversations.values()],
            ).values_list("conversation_id", flat=True)
        )
        todo = [
            (user_id, conversations[user_id])
            for user_id in ids
            if user_id in conversations and conversations[user_id].pk not in already
        ]
        if not todo:
            return 0
        now = timezone.now()
        messages = Message.objects.bulk_create(
            [
                Message(
                    conversation_id=conversation.pk,
                    sender_id=sender_id,
                    body=broadcast.body,
                    created_at=now,
                    broadcast_id=broadcast.pk,
                )
                for _user_id, conversation in todo
            ]
        )
        user_ids = [user_id for user_id, _conversation in todo]
        conversation_ids = [conversation.pk for _user_id, conversation in todo]
        # By conversation alone (the recipient is the participant who is not the sender):
        # one index range per conversation; a second IN list on users makes SQLite scan.
        Participant.objects.filter(conversation_id__in=conversation_ids).exclude(
            user_id=sender_id
        ).update(unread=F("unread") + 1)
        # Each recipient's stream ends with their copy (the sender's own messages to everyone
        # are not in the sender's stream: their tabs would have 10,000 to catch up on).
        copy = Message.objects.filter(
            broadcast_id=broadcast.pk,
            conversation_id__in=Participant.objects.filter(
                user_id=OuterRef(OuterRef("user_id"))
            ).values("conversation_id"),
        ).values("id")[:1]
        Inbox.objects.filter(user_id__in=user_ids).update(
            unread_total=F("unread_total") + 1, last_message_id=Subquery(copy)
        )
        newest = (
            Message.objects.filter(conversation_id=OuterRef("pk")).order_by("-id").values("id")[:1]
        )
        Conversation.objects.filter(pk__in=conversation_ids).update(
            last_message_id=Subquery(newest), last_message_at=now
        )
        Broadcast.objects.filter(pk=broadcast.pk).update(
            recipients_count=F("recipients_count") + len(todo)
        )
        totals = dict(
            Inbox.objects.filter(user_id__in=user_ids).values_list("user_id", "unread_total")
        )
        # The messages differ only in id and conversation: the HTML and times are rendered
        # once per batch, not 1,000 times.
        messages[0]._attachments = []  # a message to everyone carries no files
        common = services.message_payload(messages[0])
        sends = []
        for (user_id, conversation), message in zip(todo, messages, strict=True):
            payload = {
                **common,
                "id": message.pk,
                "conversation": conversation.pk,
                "prev": {str(user_id): streams.get(user_id, 0)},
            }
            event = services.message_event(
                payload=payload, unread={user_id: totals.get(user_id, 0)}
            )
            sends.append((services.user_group(user_id), event))
        # Only the recipients' sockets: the sender's would get thousands of frames at once;
        # their page shows the delivery's progress instead.
        transaction.on_commit(lambda: services.unread_total_forget(*user_ids))
        transaction.on_commit(lambda: services._group_send_all(sends))
    return len(todo)
