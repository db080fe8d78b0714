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
        # One's own messages to everyone are not in one's stream (Inbox.last_message_id).
        .exclude(sender_id=user.pk, broadcast__isnull=False)
        .select_related("conversation")
        .prefetch_related("attachments")
        .order_by("id")[:limit]
    )


# --- Pages: the conversation list, one conversation, its files, search ------------------------
#
# Every page reads in a constant number of queries whatever the number of conversations,
# messages or files: rows come with what they show (select_related / one prefetch), the
# other people's roles in one query (:func:`people_roles`), their photos through the members'
# privacy rule once per page (``people_with_visible_data``, asked by the view).

CONVERSATIONS_PAGE_SIZE = 30
MESSAGES_PAGE_SIZE = 50
FILES_PAGE_SIZE = 50
SEARCH_PEOPLE_LIMIT = 20
SEARCH_MESSAGES_LIMIT = 30
SEARCH_QUERY_MAX = 100


def stream_watermark(*, user) -> int:
    """The newest message of ``user``'s stream as stored now: a page reads it *before* it
    reads the messages it shows, and its script resumes from it (everything after comes by
    ``hello``), so nothing committed between the two reads is skipped."""
    from .models import Inbox

    return (
        Inbox.objects.filter(user_id=user.pk).values_list("last_message_id", flat=True).first() or 0
    )


def participant_of(*, user, conversation):
    """``user``'s side of ``conversation`` (their read state), or None."""
    from .models import Participant

    return Participant.objects.filter(conversation=conversation, user=user).first()


def conversation_get(*, pk: int):
    """The conversation ``pk`` with both people and their profiles (for the header), or None."""
    from .models import Conversation

    return (
        Conversation.objects.select_related("user_a__profile", "user_b__profile")
        .filter(pk=pk)
        .first()
    )


def conversations_page(*, user, cursor: str | None = None, size: int = CONVERSATIONS_PAGE_SIZE):
    """«Сообщения»: ``user``'s conversations that have a message, last message first, with the
    other person (and profile), the last message (and its files) and ``user``'s unread count
    (``participant.unread``); keyset «show more» by ``cursor``. Two queries per page.

    Items are :class:`~.models.Participant` rows of ``user``; ``item.conversation.other`` is
    the other person (None for a deleted account)."""
    from django.db.models import Prefetch

    from core.paging import (
        cursor_decode,
        cursor_encode,
        cursor_int,
        cursor_time,
        keyset_after,
        keyset_page,
    )

    from .models import MessageAttachment, Participant

    rows = (
        Participant.objects.filter(user=user, conversation__last_message__isnull=False)
        .select_related(
            "conversation__last_message",
            "conversation__user_a__profile",
            "conversation__user_b__profile",
        )
        .prefetch_related(
            Prefetch(
                "conversation__last_message__attachments",
                queryset=MessageAttachment.objects.order_by("id"),
            )
        )
        .order_by("-conversation__last_message_at", "-conversation_id")
    )
    if cursor:
        moment, conversation_id = cursor_decode(cursor, 2)
        rows = rows.filter(
            keyset_after(
                ("conversation__last_message_at", cursor_time(moment)),
                ("conversation_id", cursor_int(conversation_id)),
            )
        )
    page = keyset_page(
        rows,
        size=size,
        cursor_of=lambda p: cursor_encode(
            p.conversation.last_message_at.isoformat(), p.conversation_id
        ),
    )
    for participant in page.items:
        conversation = participant.conversation
        conversation.other = (
            conversation.user_b if conversation.user_a_id == user.pk else conversation.user_a
        )
    return page


class Role:
    """What «Алексей Иванов (Администратор кластерной инициативы)» says after the name."""

    PORTAL_ADMIN = "portal_admin"
    INITIATIVE_ADMIN = "initiative_admin"
    MEMBER = "member"
    APPLICANT = "applicant"


def people_roles(user_ids) -> dict[int, str]:
    """Each person's highest role on the platform (:class:`Role`; people with none are left
    out): portal admin, an initiative's administrator, member, applicant. One query."""
    from django.contrib.auth import get_user_model
    from django.db.models import Exists, OuterRef

    from extranet.members.models import Membership
    from extranet.members.permissions import PORTAL_ADMINS_GROUP

    ids = {pk for pk in user_ids if pk is not None}
    if not ids:
        return {}
    User = get_user_model()
    memberships = Membership.objects.filter(user_id=OuterRef("pk"))
    approved = memberships.filter(status=Membership.Status.APPROVED)
    rows = (
        User.objects.filter(pk__in=ids)
        .annotate(
            in_admins_group=Exists(
                User.groups.through.objects.filter(
                    user_id=OuterRef("pk"), group__name=PORTAL_ADMINS_GROUP
                )
            ),
            admin_of=Exists(approved.filter(role=Membership.Role.ADMIN)),
            member_of=Exists(approved),
            applied=Exists(memberships.filter(status=Membership.Status.PENDING)),
        )
        .values_list("pk", "is_superuser", "in_admins_group", "admin_of", "member_of", "applied")
    )
    roles = {}
    for pk, superuser, in_group, admin_of, member_of, applied in rows:
        if superuser or in_group:
            roles[pk] = Role.PORTAL_ADMIN
        elif admin_of:
            roles[pk] = Role.INITIATIVE_ADMIN
        elif member_of:
            roles[pk] = Role.MEMBER
        elif applied:
            roles[pk] = Role.APPLICANT
    return roles


def messages_page(*, conversation, before: str | None = None, size: int = MESSAGES_PAGE_SIZE):
    """One page of ``conversation``'s history, **oldest first** for showing: the ``size``
    newest messages with an id below the cursor ``before`` (all when None), with their files.
    ``next_cursor`` (when older ones exist) is the «Показать ранее» link's. Two queries."""
    from core.paging import cursor_decode, cursor_encode, cursor_int, keyset_page

    rows = (
        Message.objects.filter(conversation=conversation)
        .prefetch_related("attachments")
        .order_by("-id")
    )
    if before:
        (message_id,) = cursor_decode(before, 1)
        rows = rows.filter(id__lt=cursor_int(message_id))
    page = keyset_page(rows, size=size, cursor_of=lambda m: cursor_encode(m.pk))
    page.items.reverse()
    return page


def message_cursor(message_id: int) -> str:
    """The ``before`` cursor of a page that ends with message ``message_id`` (a search hit)."""
    from core.paging import cursor_encode

    return cursor_encode(int(message_id) + 1)


def conversation_files_page(
    *, conversation, cursor: str | None = None, size: int = FILES_PAGE_SIZE
):
    """«Общие файлы»: every file of ``conversation``, newest first, with its message's sender;
    keyset «show more». One query per page."""
    from core.paging import cursor_decode, cursor_encode, cursor_int, keyset_page

    from .models import MessageAttachment

    rows = (
        MessageAttachment.objects.filter(conversation=conversation)
        .select_related("message__sender")
        .order_by("-id")
    )
    if cursor:
        (attachment_id,) = cursor_decode(cursor, 1)
        rows = rows.filter(id__lt=cursor_int(attachment_id))
    return keyset_page(rows, size=size, cursor_of=lambda a: cursor_encode(a.pk))


def attachment_get(*, pk: int):
    """The file ``pk`` with its conversation (for ``permissions.can_download``), or None."""
    from .models import MessageAttachment

    return MessageAttachment.objects.select_related("conversation").filter(pk=pk).first()


def people_search(*, user, query: str, visible_of, limit: int = SEARCH_PEOPLE_LIMIT) -> list:
    """«Поиск по имени или email»: people ``user`` may write to (``permissions.writable_people``)
    whose name contains every word of ``query``, or whose e-mail contains it when ``user`` may
    see their data. ``visible_of(ids)`` is the members' privacy rule for a set of ids (the
    view passes ``people_with_visible_data`` bound to the viewer). Two queries at most."""
    from django.db.models import Case, Q, Value, When
    from django.db.models.fields import BooleanField

    from extranet.members.selectors import contains_q

    from . import permissions

    terms = query.split()
    if not terms:
        return []
    by_name = Q()
    for term in terms:
        by_name &= contains_q(term, "first_name", "last_name")
    by_email = contains_q(query.strip(), "email")
    rows = list(
        permissions.writable_people(user)
        .filter(by_name | by_email)
        .annotate(
            name_hit=Case(
                When(by_name, then=Value(True)), default=False, output_field=BooleanField()
            )
        )
        .select_related("profile")
        .order_by("last_name", "first_name", "pk")[: limit * 3]
    )
    email_only = [p.pk for p in rows if not p.name_hit]
    visible = visible_of(email_only) if email_only else frozenset()
    return [p for p in rows if p.name_hit or p.pk in visible][:limit]


def messages_search(*, user, query: str, limit: int = SEARCH_MESSAGES_LIMIT) -> list[Message]:
    """Full-text search in the messages of ``user``'s own conversations, newest first, with
    their conversation's people. PostgreSQL: ``SearchVector``/``SearchQuery`` with the
    "russian" configuration (Russian words by their stems, others as written); elsewhere
    (SQLite) every word as a case-insensitive substring. One query."""
    from django.db import connection

    from extranet.members.selectors import contains_q

    query = (query or "").strip()
    if not query:
        return []
    rows = Message.objects.filter(
        Q(conversation__user_a_id=user.pk) | Q(conversation__user_b_id=user.pk)
    )
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        rows = rows.annotate(search=SearchVector("body", config="russian")).filter(
            search=SearchQuery(query, config="russian", search_type="plain")
        )
    else:
        for term in query.split():
            rows = rows.filter(contains_q(term, "body"))
    return list(
        rows.select_related("conversation__user_a", "conversation__user_b", "sender").order_by(
            "-id"
        )[:limit]
    )
