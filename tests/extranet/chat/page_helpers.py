"""Steps the chat's page tests share: conversations with messages, made the way the services
make them or in bulk for the query-count tests."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation

from extranet.chat import services
from extranet.chat.models import Conversation, Message, Participant


def url(name: str, *args) -> str:
    with translation.override("ru"):
        return reverse(name, args=args)


def talk(a, b, *texts_by, conversation=None):
    """Messages between ``a`` and ``b`` through ``services.message_send``: each item of
    ``texts_by`` is (sender, text). Returns the conversation."""
    if conversation is None:
        conversation = services.conversations_ensure(user_id=a.pk, other_ids=[b.pk])[b.pk]
    for sender, text in texts_by:
        services.message_send(sender=sender, conversation=conversation, body=text, publish=False)
    conversation.refresh_from_db()
    return conversation


def bulk_conversations(me, n: int, *, messages_each: int = 1) -> list[Conversation]:
    """``n`` conversations of ``me`` with ``n`` new people, each with ``messages_each``
    messages from the other person (unread by ``me``), in a few bulk queries."""
    User = get_user_model()
    start = User.objects.count()
    people = User.objects.bulk_create(
        User(email=f"bulk{start + i}@example.com", first_name="Имя", last_name=f"Фамилия{i}")
        for i in range(n)
    )
    found = services.conversations_ensure(user_id=me.pk, other_ids=[p.pk for p in people])
    conversations = [found[p.pk] for p in people]
    now = timezone.now()
    rows = []
    for i, conversation in enumerate(conversations):
        other = conversation.other_id(me.pk)
        for k in range(messages_each):
            rows.append(
                Message(
                    conversation=conversation,
                    sender_id=other,
                    body=f"Сообщение {i}-{k} https://example.com/{i}",
                    created_at=now - datetime.timedelta(minutes=i, seconds=messages_each - k),
                )
            )
    Message.objects.bulk_create(rows, batch_size=1000)
    last = {}
    for message in Message.objects.filter(conversation__in=conversations).order_by("id"):
        last[message.conversation_id] = message
    for conversation in conversations:
        conversation.last_message = last[conversation.pk]
        conversation.last_message_at = last[conversation.pk].created_at
    Conversation.objects.bulk_update(
        conversations, ["last_message", "last_message_at"], batch_size=1000
    )
    Participant.objects.filter(user=me, conversation__in=conversations).update(unread=messages_each)
    return conversations
