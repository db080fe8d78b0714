"""Reads of the chat: what pages, the consumer and tasks show. No side effects."""

from __future__ import annotations

from django.db.models import Q

from .models import Message

# At most this many missed messages per catch-up frame; the client asks again for the rest.
CATCH_UP_LIMIT = 200


def messages_after(*, user, after_id: int, limit: int = CATCH_UP_LIMIT) -> list[Message]:
    """The messages of ``user``'s conversations with an id above ``after_id``, oldest first:
    what a socket that reconnects missed. Exact because a person's messages commit in id
    order (``services._lock_inboxes``)."""
    return list(
        Message.objects.filter(
            Q(conversation__user_a_id=user.pk) | Q(conversation__user_b_id=user.pk),
            id__gt=after_id,
        )
        .select_related("conversation")
        .prefetch_related("attachments")
        .order_by("id")[:limit]
    )
