"""Changes to conversations, with their side effects. Views, the consumer and tasks call these.

Each function checks its rule again (``permissions``, read fresh from the database), cleans
the text, and does all of its work or none. A message is **saved before it is broadcast**:
the channel layer is told only after the transaction commits (``on_commit``), or by the
consumer itself with the payload this module returns once the call has committed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Sequence

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, F, PositiveIntegerField, When
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.text import clean_text, text_html
from core.uploads import CheckedUpload, atomic_with_files
from extranet.members.nav import nav_items_forget

from . import events, permissions
from .models import (
    MESSAGE_MAX_LENGTH,
    Block,
    Conversation,
    Inbox,
    Message,
    MessageAttachment,
    Participant,
)

logger = logging.getLogger(__name__)


class ChatError(ValidationError):
    """A chat change that cannot be made; ``code`` names the reason (``empty``, ``too_long``,
    ``too_many_files``, ``not_allowed``, ``rate_limited``), the message is for people."""


def user_group(user_id: int) -> str:
    """The channel-layer group of every open /ws/chat/ socket of one person (all their tabs)."""
    return f"chat.user.{user_id}"


# --- Conversations ------------------------------------------------------------------------------


def _pair(a_id: int, b_id: int) -> tuple[int, int]:
    return (a_id, b_id) if a_id < b_id else (b_id, a_id)


def conversation_between(*, user, other) -> Conversation | None:
    """The existing conversation of two people, or None."""
    a, b = _pair(user.pk, other.pk)
    return Conversation.objects.filter(user_a_id=a, user_b_id=b).first()


def conversations_ensure(*, user_id: int, other_ids: Sequence[int]) -> dict[int, Conversation]:
    """The conversations of ``user_id`` with each of ``other_ids`` (other id → conversation),
    created with their participants and inboxes where missing, in a constant number of
    queries whatever the number of people (the message to everyone: 10,000 at once).
    Checks nothing: callers decide who may be written to."""
    other_ids = sorted({pk for pk in other_ids if pk != user_id})
    if not other_ids:
        return {}
    pairs = [_pair(user_id, other) for other in other_ids]
    Inbox.objects.bulk_create(
        [Inbox(user_id=pk) for pk in [user_id, *other_ids]],
        ignore_conflicts=True,
        batch_size=2000,
    )
    Conversation.objects.bulk_create(
        [Conversation(user_a_id=a, user_b_id=b) for a, b in pairs],
        ignore_conflicts=True,
        batch_size=2000,
    )
    found = {}
    for chunk_start in range(0, len(other_ids), 2000):
        chunk = other_ids[chunk_start : chunk_start + 2000]
        lower = [pk for pk in chunk if pk < user_id]
        higher = [pk for pk in chunk if pk > user_id]
        for conversation in Conversation.objects.filter(
            user_b_id=user_id, user_a_id__in=lower
        ) | Conversation.objects.filter(user_a_id=user_id, user_b_id__in=higher):
            found[conversation.other_id(user_id)] = conversation
    Participant.objects.bulk_create(
        [
            Participant(conversation_id=conversation.pk, user_id=pk)
            for other, conversation in found.items()
            for pk in (user_id, other)
        ],
        ignore_conflicts=True,
        batch_size=2000,
    )
    return found


def conversation_open(*, user, other) -> Conversation:
    """«Написать»: the conversation of ``user`` with ``other``, started when they may write
    to each other (ChatError ``not_allowed`` otherwise). An existing one is always returned
    to its participant, also when writing is no longer allowed (the history stays theirs)."""
    existing = conversation_between(user=user, other=other)
    if existing is not None:
        return existing
    if not permissions.can_write(user, other):
        raise ChatError(_("You cannot write to this person."), code="not_allowed")
    try:
        with transaction.atomic():
            return conversations_ensure(user_id=user.pk, other_ids=[other.pk])[other.pk]
    except IntegrityError:  # started at the same moment from the other side
        return conversation_between(user=user, other=other)


def idea_response_body(*, body: str, idea_title: str, idea_url: str) -> str:
    """The first message of «Откликнуться»: a line naming the idea and its address, then what
    the person wrote."""
    heading = _("Re the idea «%(title)s»: %(url)s") % {"title": idea_title, "url": idea_url}
    return f"{heading}\n\n{clean_text(body)}"


def conversation_open_from_idea(
    *, sender, recipient, body: str, idea_title: str, idea_url: str
) -> Conversation:
    """«Откликнуться» on an idea of the ideas exchange: ``sender`` writes to its author
    ``recipient``. The conversation of the two (started, or the existing one) is marked
    ``opened_via_idea``, so they may write to each other whatever their initiatives, and the
    message, prefixed with the idea's title and address, is sent. The ideas exchange checked
    who may respond; here a block either way, an inactive account or an empty or too long
    text still refuse (ChatError), and then nothing is stored."""
    if not clean_text(body):
        raise ChatError(_("Write something first: the message is empty."), code="empty")
    text = idea_response_body(body=body, idea_title=idea_title, idea_url=idea_url)
    _check_body(text, has_files=False)
    if (
        recipient is None
        or sender.pk == recipient.pk
        or not permissions.can_use_chat(sender)
        or not recipient.is_active
        or permissions.is_blocked_between(sender.pk, recipient.pk)
    ):
        raise ChatError(_("You cannot write to this person."), code="not_allowed")
    with transaction.atomic():
        conversation = conversation_between(user=sender, other=recipient)
        if conversation is None:
            try:
                with transaction.atomic():
                    conversation = conversations_ensure(
                        user_id=sender.pk, other_ids=[recipient.pk]
                    )[recipient.pk]
            except IntegrityError:  # started at the same moment from the other side
                conversation = conversation_between(user=sender, other=recipient)
        if not conversation.opened_via_idea:
            Conversation.objects.filter(pk=conversation.pk).update(opened_via_idea=True)
            conversation.opened_via_idea = True
        message_send(sender=sender, conversation=conversation, body=text)
    return conversation


# --- Messages -----------------------------------------------------------------------------------


def rate_limit_take(*, user_id: int) -> bool:
    """One message of ``user_id``'s allowance: False when they sent ``CHAT_RATE_LIMIT``
    messages in the current window of ``CHAT_RATE_WINDOW`` seconds (shared by every tab and
    server process through the cache)."""
    window = max(int(settings.CHAT_RATE_WINDOW), 1)
    key = f"chat:rate:{user_id}:{int(time.time() // window)}"
    cache.add(key, 0, timeout=window * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window * 2)
        count = 1
    return count <= int(settings.CHAT_RATE_LIMIT)


def _check_body(body: str, *, has_files: bool) -> str:
    body = clean_text(body)
    if not body and not has_files:
        raise ChatError(_("Write something first: the message is empty."), code="empty")
    if len(body) > MESSAGE_MAX_LENGTH:
        raise ChatError(
            _("The message is too long: %(length)s characters, at most %(limit)s."),
            code="too_long",
            params={"length": len(body), "limit": MESSAGE_MAX_LENGTH},
        )
    return body


def _lock_inboxes(user_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """Lock the people's inboxes (in id order, so two sends never deadlock) until the
    transaction ends: the messages a person takes part in then commit in id order, which
    makes «everything after the last id I saw» exact on reconnect. Returns each person's
    ``(unread_total, last_message_id)`` as locked (no second read needed while the lock is
    held)."""
    ids = sorted(set(user_ids))

    def lock() -> dict[int, tuple[int, int]]:
        # ORDER BY: the rows are locked in id order whatever plan the database picks.
        return {
            user_id: (total, last)
            for user_id, total, last in Inbox.objects.select_for_update()
            .filter(user_id__in=ids)
            .order_by("user_id")
            .values_list("user_id", "unread_total", "last_message_id")
        }

    locked = lock()
    if len(locked) < len(ids):
        Inbox.objects.bulk_create(
            [Inbox(user_id=pk) for pk in ids if pk not in locked], ignore_conflicts=True
        )
        locked = lock()
    return locked


def message_send(
    *,
    sender,
    conversation: Conversation,
    body: str,
    uploads: Sequence[CheckedUpload] = (),
    publish: bool = True,
) -> Message:
    """``sender`` writes in ``conversation``; text or at least one file is required.

    Raises ChatError (``empty``, ``too_long``, ``too_many_files``, ``not_allowed``,
    ``rate_limited``). With ``publish`` the recipients' sockets are told after the commit;
    the consumer passes False and sends :func:`message_payload` itself."""
    body = _check_body(body, has_files=bool(uploads))
    if len(uploads) > settings.CHAT_MAX_ATTACHMENTS:
        raise ChatError(
            _("Too many files: at most %(limit)s per message."),
            code="too_many_files",
            params={"limit": settings.CHAT_MAX_ATTACHMENTS},
        )
    if not permissions.can_read_conversation(sender, conversation):
        raise ChatError(_("You cannot write in this conversation."), code="not_allowed")
    # The foreign key, not a fresh query: a caller that loaded the conversation with
    # select_related("user_a", "user_b") in this request (the consumer, per frame) saves one.
    recipient = conversation.user_b if conversation.user_a_id == sender.pk else conversation.user_a
    if not permissions.can_write(sender, recipient, conversation=conversation):
        raise ChatError(_("You cannot write in this conversation."), code="not_allowed")
    if not rate_limit_take(user_id=sender.pk):
        raise ChatError(
            _("You are sending messages too fast. Wait a few seconds and try again."),
            code="rate_limited",
        )

    def work(stored):
        totals = _lock_inboxes([sender.pk, recipient.pk])
        message = Message.objects.create(conversation=conversation, sender=sender, body=body)
        attachments = []
        for upload in uploads:
            attachment = MessageAttachment(
                message=message,
                conversation=conversation,
                name=upload.name,
                content_type=upload.content_type,
                size=upload.size,
            )
            attachment.file.save(upload.storage_name, upload.file, save=False)
            stored.append((attachment.file.storage, attachment.file.name))
            attachment.save()
            attachments.append(attachment)
        message._attachments = attachments
        Participant.objects.filter(conversation=conversation, user_id=recipient.pk).update(
            unread=F("unread") + 1
        )
        # Both inboxes in one statement: the stream's end for both, one more unread for the
        # recipient.
        Inbox.objects.filter(user_id__in=[sender.pk, recipient.pk]).update(
            last_message_id=message.pk,
            unread_total=Case(
                When(user_id=recipient.pk, then=F("unread_total") + 1),
                default=F("unread_total"),
                output_field=PositiveIntegerField(),
            ),
        )
        Conversation.objects.filter(pk=conversation.pk).update(
            last_message=message, last_message_at=message.created_at
        )
        # The rows are locked: what they held plus this message is what the updates stored.
        message._recipient_unread = totals.get(recipient.pk, (0, 0))[0] + 1
        message._prev = {pk: totals.get(pk, (0, 0))[1] for pk in (sender.pk, recipient.pk)}
        return message

    message = atomic_with_files(work, error=ChatError)
    transaction.on_commit(lambda: unread_total_forget(recipient.pk))
    payload = message_payload(message)
    unread = {recipient.pk: message._recipient_unread}
    if publish:
        transaction.on_commit(
            lambda: publish_message(
                payload=payload, user_ids=[sender.pk, recipient.pk], unread=unread
            )
        )
    message._payload = payload
    message._unread = unread
    message._user_ids = [sender.pk, recipient.pk]
    transaction.on_commit(
        lambda: events.message_sent.send(sender=Message, message=message, actor=sender)
    )
    return message


def message_payload(message: Message) -> dict:
    """The message as sockets and the page's script show it: the HTML is rendered here, once
    (escaped text with safe links), the time in the site's zone (``TIME_ZONE``)."""
    attachments = getattr(message, "_attachments", None)
    if attachments is None:
        attachments = list(message.attachments.all())
    local = timezone.localtime(message.created_at)
    return {
        "id": message.pk,
        "conversation": message.conversation_id,
        "sender": message.sender_id,
        "text": message.body,
        "html": str(text_html(message.body)),
        "created_at": message.created_at.isoformat(),
        "date": local.date().isoformat(),
        "time": local.strftime("%H:%M"),
        "broadcast": message.broadcast_id is not None,
        # Per person (id as a string): the previous message of their stream, when this is a
        # live delivery; a tab whose newest known message is not this one missed something.
        "prev": {str(k): v for k, v in getattr(message, "_prev", {}).items()},
        "attachments": [
            {
                "id": a.pk,
                "name": a.name,
                "size": a.size,
                "family": a.family,
                "url": reverse("chat_files:file", args=[a.pk]),
            }
            for a in attachments
        ],
    }


# --- Telling the sockets ------------------------------------------------------------------------


def _group_send_all(messages: Iterable[tuple[str, dict]]) -> None:
    """Send each (group, event) in one hop into the event loop; a channel layer that is down
    costs only the live update (the page and the reconnect's catch-up are the truth)."""
    layer = get_channel_layer()
    if layer is None:
        return
    messages = list(messages)

    async def send_all():
        for group, event in messages:
            await layer.group_send(group, event)

    try:
        async_to_sync(send_all)()
    except Exception:
        logger.warning("could not push chat events", exc_info=True)


def message_event(*, payload: dict, unread: dict[int, int]) -> dict:
    """The channel-layer event of a new message (``ChatConsumer.chat_message``)."""
    return {
        "type": "chat.message",
        "message": payload,
        "unread": {str(k): v for k, v in unread.items()},
    }


def publish_message(*, payload: dict, user_ids: Iterable[int], unread: dict[int, int]) -> None:
    event = message_event(payload=payload, unread=unread)
    _group_send_all((user_group(pk), event) for pk in set(user_ids))


def access_changed(*, user_ids: Iterable[int]) -> None:
    """Tell the people's sockets that what they may do changed (a membership ended, a block,
    an account blocked, a logout): each re-reads the account and closes when it may no
    longer chat (``ChatConsumer.chat_access``)."""
    _group_send_all((user_group(pk), {"type": "chat.access"}) for pk in set(user_ids))


# --- Read state ---------------------------------------------------------------------------------


def conversation_mark_read(*, user, conversation: Conversation, up_to: int | None = None) -> dict:
    """``user`` has seen ``conversation`` up to message ``up_to`` (default: all of it).

    Returns ``{"conversation", "last_read_id", "unread", "total"}`` and tells the person's
    other tabs (their counters) and the other participant (read receipts) after commit."""
    if not permissions.can_read_conversation(user, conversation):
        raise ChatError(_("You cannot read this conversation."), code="not_allowed")
    with transaction.atomic():
        total = _lock_inboxes([user.pk]).get(user.pk, (0, 0))[0]
        participant = (
            Participant.objects.select_for_update()
            .filter(conversation=conversation, user=user)
            .first()
        )
        if participant is None:
            participant = Participant.objects.create(conversation=conversation, user=user)
        newest = (
            Message.objects.filter(conversation=conversation)
            .order_by("-id")
            .values_list("id", flat=True)
            .first()
            or 0
        )
        last = newest if up_to is None else min(int(up_to), newest)
        changed = last > participant.last_read_id
        if changed:
            remaining = (
                Message.objects.filter(conversation=conversation, id__gt=last)
                .exclude(sender=user)
                .count()
            )
            delta = participant.unread - remaining
            Participant.objects.filter(pk=participant.pk).update(
                last_read_id=last, unread=remaining
            )
            if delta:
                Inbox.objects.filter(user_id=user.pk).update(
                    unread_total=Greatest(F("unread_total") - delta, 0)
                )
                # The row is locked: the same arithmetic as the update, without reading it back.
                total = max(total - delta, 0)
            participant.last_read_id, participant.unread = last, remaining
    state = {
        "conversation": conversation.pk,
        "last_read_id": participant.last_read_id,
        "unread": participant.unread,
        "total": total or 0,
    }
    if changed:
        other_id = conversation.other_id(user.pk)
        sends = [(user_group(user.pk), {"type": "chat.read", **state})]
        if other_id:
            sends.append(
                (
                    user_group(other_id),
                    {
                        "type": "chat.seen",
                        "conversation": conversation.pk,
                        "last_read_id": participant.last_read_id,
                    },
                )
            )
        transaction.on_commit(lambda: unread_total_forget(user.pk))
        transaction.on_commit(lambda: _group_send_all(sends))
    return state


# The header asks on every page; the count is kept in the cache and forgotten (after commit)
# whenever it changes, so a page costs no query for it. The timeout bounds any miss.
UNREAD_CACHE_SECONDS = 300


def _unread_key(user_id: int) -> str:
    return f"chat:unread:{user_id}"


def unread_total(*, user) -> int:
    """The header's «Сообщения (N)»: a cached primary-key read."""
    if not permissions.can_use_chat(user):
        return 0
    key = _unread_key(user.pk)
    total = cache.get(key)
    if total is None:
        total = (
            Inbox.objects.filter(user_id=user.pk).values_list("unread_total", flat=True).first()
            or 0
        )
        cache.set(key, total, UNREAD_CACHE_SECONDS)
    return total


def unread_total_forget(*user_ids: int) -> None:
    """Forget the cached totals (called after a commit that changed them), and the header's
    items that show them (extranet.members.nav)."""
    cache.delete_many([_unread_key(user_id) for user_id in user_ids])
    nav_items_forget(*user_ids)


# --- Blocks -------------------------------------------------------------------------------------


def block_create(*, user, conversation: Conversation) -> Block:
    """``user`` blocks the other participant: neither may write until it is lifted."""
    if not permissions.can_block(user, conversation):
        raise ChatError(_("You cannot block this person."), code="not_allowed")
    other_id = conversation.other_id(user.pk)
    block, _created = Block.objects.get_or_create(blocker=user, blocked_id=other_id)
    transaction.on_commit(lambda: access_changed(user_ids=[user.pk, other_id]))
    return block


def block_remove(*, user, conversation: Conversation) -> int:
    """``user`` lifts their own block (the other's block, if any, stays)."""
    if not permissions.can_block(user, conversation):
        raise ChatError(_("You cannot unblock this person."), code="not_allowed")
    other_id = conversation.other_id(user.pk)
    count, _detail = Block.objects.filter(blocker=user, blocked_id=other_id).delete()
    transaction.on_commit(lambda: access_changed(user_ids=[user.pk, other_id]))
    return count
