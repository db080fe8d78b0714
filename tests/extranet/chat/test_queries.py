"""The chat's pages run a fixed number of SQL queries whether there are 10 conversations or
1,000 (the list), 10 messages or 1,000 (a conversation, with files on some), 10 files or 1,000
(«Общие файлы»)."""

from __future__ import annotations

import pytest

from extranet.chat.models import Message, MessageAttachment
from extranet.members.models import Membership
from tests.extranet.chat.page_helpers import bulk_conversations, url

pytestmark = pytest.mark.django_db

SIZES = [10, 1000]
# One budget for every size of the list (measured at 10 and 1,000: 20 for a member, 24 for
# the portal admin, whose privacy rule asks which people are blocked accounts): session,
# user, the site's header and settings, the header's counts, the stream position chat.js
# resumes from, the viewer's roles, the page of conversations with their last messages'
# files, the people's roles, the privacy rule; the site's address for the link tags
# (home/seo.py).
LIST_BUDGET = 25
# One conversation (measured at 10 and 1,000: 38 on the first visit, which marks it read
# under conversation_mark_read's locks; 25 afterwards and for an older page): the stream
# position, the side list, the other person, the write rule (blocks, roles, memberships),
# the history and its files. «Общие файлы»: 23.
CONVERSATION_BUDGET = 38
FILES_BUDGET = 25


def _with_roles(conversations, gorki):
    # Some of the other people are members or admins of an initiative: their role labels come
    # from the one roles query, whatever their number.
    others = [c.user_a_id if c.user_b_id == c._me else c.user_b_id for c in conversations]
    Membership.objects.bulk_create(
        Membership(
            user_id=pk,
            initiative=gorki,
            status="approved",
            role="admin" if i % 7 == 0 else "member",
        )
        for i, pk in enumerate(others)
        if i % 3 == 0
    )


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("role", ["member", "portal_admin"])
def test_conversation_list(size, role, people, client_for, gorki, django_assert_max_num_queries):
    """«Сообщения» with ``size`` conversations."""
    me = people[role]
    conversations = bulk_conversations(me, size)
    for c in conversations:
        c._me = me.pk
    _with_roles(conversations, gorki)
    client = client_for(me)
    with django_assert_max_num_queries(LIST_BUDGET):
        response = client.get(url("chat:index"))
    assert response.status_code == 200
    assert response.content.decode().count('class="chat-list__item"') == min(size, 30)


@pytest.mark.parametrize("size", SIZES)
def test_conversation_page(size, people, client_for, django_assert_max_num_queries):
    """One conversation with ``size`` messages, every fifth with two files, marked read on
    the way; also «Показать ранее» (an older page) and a second, non-marking visit."""
    me = people["member"]
    (conversation,) = bulk_conversations(me, 1, messages_each=size)
    MessageAttachment.objects.bulk_create(
        MessageAttachment(
            message_id=message_id,
            conversation=conversation,
            file=f"chat/{conversation.pk}/x{i}/f{k}.pdf",
            name=f"Файл {i}-{k}.pdf",
            content_type="application/pdf",
            size=100 + i,
        )
        for i, message_id in enumerate(
            Message.objects.filter(conversation=conversation).values_list("id", flat=True)
        )
        if i % 5 == 0
        for k in range(2)
    )
    client = client_for(me)
    address = url("chat:conversation", conversation.pk)
    with django_assert_max_num_queries(CONVERSATION_BUDGET):
        first = client.get(address)
    assert first.status_code == 200
    with django_assert_max_num_queries(CONVERSATION_BUDGET):
        assert client.get(address).status_code == 200
    oldest = Message.objects.filter(conversation=conversation).order_by("id")[size // 2]
    with django_assert_max_num_queries(CONVERSATION_BUDGET):
        assert client.get(address, {"before": _cursor(oldest.pk)}).status_code == 200
    with django_assert_max_num_queries(FILES_BUDGET):
        assert client.get(url("chat:files", conversation.pk)).status_code == 200


def _cursor(message_id):
    from extranet.chat.selectors import message_cursor

    return message_cursor(message_id)
