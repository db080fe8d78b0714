"""The chat's part of a person's data export (extranet.members.exports): their conversations
with the other person's name and the dates, their own messages and the names of the files they
sent; nothing anybody else wrote. Two queries however much the person wrote. Registered here
(``wagtail_hooks`` imports this module)."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Q
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
    # One query for the person's messages and their files' names (a row per file, LEFT
    # JOIN), so the section costs two queries however much they wrote.
    mine: dict[int, dict[int, dict]] = {}
    rows = (
        Message.objects.filter(sender=user)
        .values_list("id", "conversation_id", "body", "created_at", "broadcast_id")
        .annotate(file_name=F("attachments__name"))
        .order_by("id", "attachments__id")
    )
    for pk, conversation_id, body, created_at, broadcast_id, file_name in rows:
        message = mine.setdefault(conversation_id, {}).setdefault(
            pk,
            {
                "id": pk,
                "text": body,
                "sent": _iso(created_at),
                "to_everyone": broadcast_id is not None,
                "files": [],
            },
        )
        if file_name is not None:
            message["files"].append(file_name)
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
                "my_messages": list(mine.get(conversation.pk, {}).values()),
            }
            for conversation in conversations
        ]
    }


hooks.register(ACCOUNT_EXPORT_HOOK, account_export)
