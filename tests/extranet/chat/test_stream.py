"""Each person's stream is a chain: every live message names the previous one of the stream
for both people, so a tab can tell a missing message from a late one and resume exactly."""

from __future__ import annotations

import pytest

from extranet.chat import broadcasts, selectors, services
from extranet.chat.models import Broadcast, Inbox

from .page_helpers import talk

pytestmark = pytest.mark.django_db


def _send(sender, conversation, text):
    return services.message_send(sender=sender, conversation=conversation, body=text, publish=False)


def test_the_prev_of_each_live_message_is_the_previous_one_of_each_persons_stream(people):
    """Across two conversations, each message's ``prev`` for each of its two people is the
    message before it in that person's stream, and the inbox ends at the newest."""
    member, admin, boss = people["member"], people["initiative_admin"], people["portal_admin"]
    with_admin = talk(member, admin)
    with_boss = talk(member, boss)
    sent = [
        _send(member, with_admin, "1"),
        _send(boss, with_boss, "2"),
        _send(admin, with_admin, "3"),
        _send(member, with_boss, "4"),
    ]
    stream = {member.pk: 0, admin.pk: 0, boss.pk: 0}
    for message in sent:
        payload = message._payload
        people_of = {int(pk) for pk in payload["prev"]}
        assert people_of == set(message._user_ids)
        for pk in people_of:
            assert payload["prev"][str(pk)] == stream[pk], (message.body, pk)
            stream[pk] = message.pk
    for pk, newest in stream.items():
        assert Inbox.objects.get(user_id=pk).last_message_id == newest
        assert selectors.stream_watermark(user=type(member)(pk=pk)) == newest


def test_the_catch_up_is_the_stream_after_the_watermark(people):
    """``messages_after`` from a point of the chain returns exactly the rest of the stream."""
    member, admin = people["member"], people["initiative_admin"]
    conversation = talk(member, admin)
    first = _send(member, conversation, "первое")
    later = [_send(admin, conversation, "второе"), _send(member, conversation, "третье")]
    after = selectors.messages_after(user=member, after_id=first.pk)
    assert [m.pk for m in after] == [m.pk for m in later]


def test_a_message_to_everyone_extends_each_recipients_stream_not_the_senders(
    people, django_capture_on_commit_callbacks
):
    """A recipient's copy follows their last message (its ``prev``) and becomes their newest;
    the sender's stream and catch-up leave their own copies out (thousands of them)."""
    member, admin, boss = people["member"], people["initiative_admin"], people["portal_admin"]
    before = _send(admin, talk(admin, member), "до рассылки")
    boss_before = selectors.stream_watermark(user=boss)
    pushed = []
    original = services._group_send_all
    services._group_send_all = lambda sends: pushed.extend(sends)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            broadcast = broadcasts.broadcast_create(
                sender=boss, audience=Broadcast.Audience.ALL, initiative=None, body="Всем"
            )
    finally:
        services._group_send_all = original
    copy = selectors.messages_after(user=member, after_id=before.pk)
    assert [m.broadcast_id for m in copy] == [broadcast.pk]
    assert Inbox.objects.get(user_id=member.pk).last_message_id == copy[0].pk
    event = next(e for g, e in pushed if g == services.user_group(member.pk))
    assert event["message"]["prev"] == {str(member.pk): before.pk}
    assert selectors.stream_watermark(user=boss) == boss_before
    assert selectors.messages_after(user=boss, after_id=boss_before) == []
