"""The chat's part of a person's data export (extranet.members.exports): their conversations
with the other person's name and the dates, their own messages and the names of the files they
sent; nothing anybody else wrote. Two queries however much the person wrote. Registered here
(``wagtail_hooks`` imports this module)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from wagtail import hooks

from extranet.members.exports import ACCOUNT_EXPORT_HOOK, absolute_url

from .models import Conversation, Message


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def _name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.email


def account_export(*, user) -> dict[str, Any]:
    conversations = (
        Conversation.objects.filter(Q(user_a=user) | Q(user_b=user))
        .select_related("user_a", "user_b")
        .order_by("created_at", "id")
    )
    mine: dict[int, list] = {}
    for message in (
        Message.objects.filter(sender=user).prefetch_related("attachments").order_by("id")
    ):
        mine.setdefault(message.conversation_id, []).append(
            {
                "id": message.pk,
                "text": message.body,
                "sent": _iso(message.created_at),
                "to_everyone": message.broadcast_id is not None,
                "files": [attachment.name for attachment in message.attachments.all()],
            }
        )
    return {
        "chat": [
            {
                "id": conversation.pk,
                "with": _name(
                    conversation.user_b
                    if conversation.user_a_id == user.pk
                    else conversation.user_a
                ),
                "started": _iso(conversation.created_at),
                "last_message": _iso(conversation.last_message_at),
                "url": absolute_url("chat:conversation", pk=conversation.pk),
                "my_messages": mine.get(conversation.pk, []),
            }
            for conversation in conversations
        ]
    }


hooks.register(ACCOUNT_EXPORT_HOOK, account_export)
