"""/ws/chat/ (CHAT_SPEC.md): who may connect, send and receive between tabs and people,
the rules of who may write, catch-up after a reconnect, saved before broadcast, rate limit,
bad frames, typing and read state."""

from __future__ import annotations

import json

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.db import connections
from django.utils import translation
from django.utils.translation import gettext

from extranet.chat import selectors
from extranet.chat.models import Block, Message
from extranet.members.profiles import consent_withdraw

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


def _send(conversation, text, client_id="c1"):
    return {"type": "send", "conversation": conversation.pk, "text": text, "client_id": client_id}


def _by_type(frames):
    grouped = {}
    for frame in frames:
        grouped.setdefault(frame["type"], []).append(frame)
    return grouped


@database_sync_to_async
def _ensure(conversation, a, b):
    return conversation(a, b)


# --- Connecting ---------------------------------------------------------------------------------


async def test_member_connects_and_gets_the_unread_count(people, chat_socket):
    """A member's socket opens and its first frame is their unread total (0 here)."""
    socket, connected = await chat_socket(people["member"])
    assert connected
    assert socket.unread_on_connect == 0
    assert await socket.ask({"type": "ping"}) == {"type": "pong"}


async def test_guest_is_refused(chat_socket):
    """No session: the handshake is refused."""
    _socket, connected = await chat_socket(None)
    assert not connected


async def test_cross_site_origin_is_refused_even_with_a_session(people, chat_socket):
    """A page of another site cannot open the chat with the person's cookie
    (AllowedHostsOriginValidator in cms.asgi)."""
    _socket, connected = await chat_socket(people["member"], origin="https://evil.example")
    assert not connected


async def test_inactive_account_is_refused(people, chat_socket):
    """An account blocked after logging in cannot open the chat with its old session."""
    user = people["member"]
    from tests.extranet.chat.conftest import login

    client = await database_sync_to_async(login)(user)
    await database_sync_to_async(consent_withdraw)(user=user)
    _socket, connected = await chat_socket(client=client)
    assert not connected


# --- Sending and receiving ----------------------------------------------------------------------


async def test_send_reaches_every_tab_of_both_people(people, chat_socket, conversation):
    """A member writes to another member: the sender gets the ack (and the message), both
    tabs of the recipient get the message and their new unread count 1; the message is
    stored with the text."""
    sender, recipient = people["member"], people["initiative_admin"]
    chat = await _ensure(conversation, sender, recipient)
    a, _ = await chat_socket(sender)
    b1, _ = await chat_socket(recipient)
    b2, _ = await chat_socket(client=b1.client)

    await a.send(_send(chat, "Добрый день", client_id="x-1"))
    mine = _by_type(await a.receive_many(2))
    ack = mine["ack"][0]
    assert ack["client_id"] == "x-1"
    assert ack["message"]["text"] == "Добрый день"
    assert ack["message"]["sender"] == sender.pk
    assert mine["message"][0]["message"]["id"] == ack["message"]["id"]
    assert await a.nothing()  # the sender's own count is not sent: it did not change
    for tab in (b1, b2):
        frames = _by_type(await tab.receive_many(2))
        assert frames["message"][0]["message"] == ack["message"]
        assert frames["unread"] == [{"type": "unread", "count": 1}]
    stored = await database_sync_to_async(Message.objects.get)(pk=ack["message"]["id"])
    assert (stored.body, stored.sender_id, stored.conversation_id) == (
        "Добрый день",
        sender.pk,
        chat.pk,
    )


async def test_message_is_committed_before_any_socket_is_told(
    people, chat_socket, conversation, monkeypatch
):
    """At the moment the channel layer is asked to deliver a message, another database
    connection (another thread) already sees it: saved and committed before broadcast."""
    sender, recipient = people["member"], people["initiative_admin"]
    chat = await _ensure(conversation, sender, recipient)
    layer = get_channel_layer()
    original = layer.group_send
    seen: list[bool] = []

    def committed(message_id):
        try:
            return Message.objects.filter(pk=message_id).exists()
        finally:
            connections.close_all()

    async def spy(group, event):
        if event.get("type") == "chat.message":
            seen.append(
                await sync_to_async(committed, thread_sensitive=False)(event["message"]["id"])
            )
        await original(group, event)

    monkeypatch.setattr(layer, "group_send", spy)
    a, _ = await chat_socket(sender)
    b, _ = await chat_socket(recipient)
    sent = await a.write(chat, "Сохранено?")  # the ack follows both group sends
    frames = _by_type(await b.receive_many(2))
    assert frames["message"][0]["message"]["id"] == sent["id"]
    assert seen == [True, True]  # both people's groups, each after the commit


async def test_reader_gets_read_state_and_the_writer_a_receipt(people, chat_socket, conversation):
    """Reading: every tab of the reader gets the conversation's read state and the header
    count; the writer gets «seen» with the last read id."""
    sender, recipient = people["member"], people["initiative_admin"]
    chat = await _ensure(conversation, sender, recipient)
    a, _ = await chat_socket(sender)
    b1, _ = await chat_socket(recipient)
    b2, _ = await chat_socket(client=b1.client)
    await a.send(_send(chat, "Прочитайте"))
    ack = _by_type(await a.receive_many(2))["ack"][0]
    await b1.receive_many(2)
    await b2.receive_many(2)
    message_id = ack["message"]["id"]

    await b1.send({"type": "read", "conversation": chat.pk, "last_id": message_id})
    state = {
        "type": "read",
        "conversation": chat.pk,
        "last_read_id": message_id,
        "unread": 0,
        "total": 0,
    }
    for tab in (b1, b2):
        assert await tab.receive_many(2) == [state, {"type": "unread", "count": 0}]
        assert await tab.nothing()
    seen = {"type": "seen", "conversation": chat.pk, "last_read_id": message_id}
    assert await a.receive() == seen
    # Reading again changes nothing and is still answered, to this tab only.
    assert await b1.ask({"type": "read", "conversation": chat.pk, "last_id": message_id}) == state
    assert await b1.receive() == {"type": "unread", "count": 0}
    assert await b2.nothing()


async def test_typing_is_relayed_to_the_other_person_at_most_every_two_seconds(
    people, chat_socket, conversation
):
    """«typing» reaches the other person (not the typist) once; a second one at once is
    dropped; in a blocked conversation it is not relayed."""
    typist, other = people["member"], people["initiative_admin"]
    chat = await _ensure(conversation, typist, other)
    a, _ = await chat_socket(typist)
    b, _ = await chat_socket(other)
    await a.send({"type": "typing", "conversation": chat.pk})
    assert await b.receive() == {"type": "typing", "conversation": chat.pk, "user": typist.pk}
    await a.send({"type": "typing", "conversation": chat.pk})
    assert await b.nothing()
    assert await a.nothing()

    admin = people["portal_admin"]
    blocked, _ = await chat_socket(admin)
    admin_chat = await _ensure(conversation, admin, other)
    await database_sync_to_async(Block.objects.create)(blocker=other, blocked=admin)
    await blocked.send({"type": "typing", "conversation": admin_chat.pk})
    assert await b.nothing()


# --- Who may write ------------------------------------------------------------------------------


@pytest.mark.parametrize("case", ["other_initiative", "blocked", "inactive_recipient"])
async def test_writing_outside_the_rules_is_refused(people, chat_socket, conversation, case):
    """A member cannot write to another initiative's member, in a blocked pair, or to a
    blocked account: error not_allowed with the client id, nothing stored or delivered, and
    the socket stays open."""
    sender = people["member"]
    recipient = people["other_member"] if case == "other_initiative" else people["initiative_admin"]
    chat = await _ensure(conversation, sender, recipient)
    receiver, _ = await chat_socket(recipient)
    if case == "blocked":
        await database_sync_to_async(Block.objects.create)(blocker=recipient, blocked=sender)
    elif case == "inactive_recipient":
        await database_sync_to_async(consent_withdraw)(user=recipient)
        # The blocked account's open tab is closed first. Waiting for it also keeps its
        # consumer's re-read of the session table from racing the sender's login below
        # (SQLite's shared in-memory test database answers "table is locked" to that race).
        assert await receiver.close_code() == 4403
    a, _ = await chat_socket(sender)
    reply = await a.ask(_send(chat, "Можно?", client_id=7))
    assert reply["type"] == "error"
    assert reply["code"] == "not_allowed"
    assert reply["client_id"] == 7
    assert reply["error"]
    assert not await database_sync_to_async(Message.objects.exists)()
    if case != "inactive_recipient":
        assert await receiver.nothing()
    assert await a.ask({"type": "ping"}) == {"type": "pong"}


async def test_someone_elses_conversation_is_not_found(people, chat_socket, conversation):
    """A conversation I do not take part in is «not found» for send, read and typing."""
    chat = await _ensure(conversation, people["member"], people["initiative_admin"])
    outsider, _ = await chat_socket(people["pending"])
    for frame in (
        _send(chat, "Чужое"),
        {"type": "read", "conversation": chat.pk, "last_id": 1},
        {"type": "typing", "conversation": chat.pk},
    ):
        reply = await outsider.ask(frame)
        assert reply["type"] == "error" and reply["code"] == "not_found", frame


async def test_empty_and_too_long_messages_are_refused(people, chat_socket, conversation):
    """The service's checks reach the client as error codes ``empty`` and ``too_long``."""
    chat = await _ensure(conversation, people["member"], people["initiative_admin"])
    a, _ = await chat_socket(people["member"])
    assert (await a.ask(_send(chat, "   ")))["code"] == "empty"
    assert (await a.ask(_send(chat, "я" * 4001)))["code"] == "too_long"
    assert not await database_sync_to_async(Message.objects.exists)()


async def test_rate_limit_gets_a_clear_error(people, chat_socket, conversation, settings):
    """Past CHAT_RATE_LIMIT messages in a window the sender gets error rate_limited with a
    text for people; the refused message is not stored."""
    settings.CHAT_RATE_LIMIT = 2
    settings.CHAT_RATE_WINDOW = 60
    chat = await _ensure(conversation, people["member"], people["initiative_admin"])
    a, _ = await chat_socket(people["member"])
    for n in range(2):
        await a.send(_send(chat, f"Сообщение {n}", client_id=n))
        assert "ack" in _by_type(await a.receive_many(2))
    reply = await a.ask(_send(chat, "Третье", client_id="third"))
    assert reply["type"] == "error" and reply["code"] == "rate_limited"
    assert reply["client_id"] == "third"
    assert "быстро" in reply["error"] or "fast" in reply["error"]
    assert await database_sync_to_async(Message.objects.count)() == 2


# --- Bad frames ---------------------------------------------------------------------------------


async def test_bad_frames_get_error_frames_and_the_socket_keeps_working(
    people, chat_socket, conversation
):
    """Oversize, non-JSON, non-object, unknown types and ids that are not integers each get
    an error frame with the right code; a binary frame too; afterwards the socket still
    sends a message."""
    chat = await _ensure(conversation, people["member"], people["initiative_admin"])
    a, _ = await chat_socket(people["member"])
    cases = [
        ("x" * (17 * 1024), "bad_frame"),
        ("not json", "bad_frame"),
        (json.dumps(["send"]), "bad_frame"),
        (json.dumps({"type": "subscribe"}), "unknown_type"),
        (json.dumps({}), "unknown_type"),
        (json.dumps({"type": "send", "conversation": str(chat.pk), "text": "x"}), "bad_frame"),
        (json.dumps({"type": "send", "conversation": True, "text": "x"}), "bad_frame"),
        (json.dumps({"type": "send", "conversation": 1.5, "text": "x"}), "bad_frame"),
        (json.dumps({"type": "send", "text": "x"}), "bad_frame"),
        (json.dumps({"type": "send", "conversation": chat.pk, "text": ["x"]}), "bad_frame"),
        (json.dumps({"type": "read", "conversation": chat.pk, "last_id": "9"}), "bad_frame"),
        (json.dumps({"type": "hello", "last_id": -1}), "bad_frame"),
        (json.dumps({"type": "typing", "conversation": None}), "bad_frame"),
        (json.dumps({"type": "send", "conversation": 10**9, "text": "x"}), "not_found"),
    ]
    for text, code in cases:
        await a.send_text(text)
        reply = await a.receive()
        assert reply["type"] == "error" and reply["code"] == code, (text[:60], reply)
        assert reply["error"]
    await a.send_bytes(b"\x00\x01")
    assert (await a.receive())["code"] == "bad_frame"
    await a.send(_send(chat, "Всё ещё работает"))
    assert "ack" in _by_type(await a.receive_many(2))


async def test_error_texts_follow_the_language_cookie(people, chat_socket, conversation):
    """Error texts are in the site's language (Russian) by default and in English with the
    language switch's cookie."""
    chat = await _ensure(conversation, people["member"], people["other_member"])
    text = "You cannot write in this conversation."
    default, _ = await chat_socket(people["member"])
    with translation.override("ru"):
        assert (await default.ask(_send(chat, "x")))["error"] == gettext(text)
    client = default.client
    client.cookies["django_language"] = "en"
    english, _ = await chat_socket(client=client)
    with translation.override("ru"):  # whatever the test's own language is
        assert (await english.ask(_send(chat, "x")))["error"] == text


# --- Catch-up -----------------------------------------------------------------------------------


async def test_reconnect_with_the_last_id_gets_exactly_the_missed_messages(
    people, chat_socket, conversation
):
    """B disconnects; three messages come in one conversation and two in another, and one
    between other people. B reconnects with the last id it saw and gets exactly its five,
    oldest first, with ``last_id`` the newest."""
    b = people["initiative_admin"]
    a, c = people["member"], people["portal_admin"]
    with_a = await _ensure(conversation, a, b)
    with_c = await _ensure(conversation, c, b)
    others = await _ensure(conversation, a, c)
    sa, _ = await chat_socket(a)
    sc, _ = await chat_socket(c)
    sb, _ = await chat_socket(b)
    seen = (await sa.write(with_a, "до разрыва"))["id"]
    await sb.communicator.disconnect()

    expected = []
    for n, (socket, chat) in enumerate(
        [(sa, with_a), (sc, with_c), (sa, with_a), (sa, others), (sc, with_c), (sa, with_a)]
    ):
        sent = await socket.write(chat, f"пропущенное {n}", client_id=n)
        if chat is not others:  # between A and C: not B's
            expected.append(sent["id"])
    assert len(expected) == 5

    again, _ = await chat_socket(client=sb.client)
    missed = await again.ask({"type": "hello", "last_id": seen})
    assert missed["type"] == "missed"
    assert [m["id"] for m in missed["messages"]] == expected
    assert missed["more"] is False
    assert missed["last_id"] == expected[-1]
    assert all(m["conversation"] in (with_a.pk, with_c.pk) for m in missed["messages"])


async def test_catch_up_comes_in_pages_while_more(people, chat_socket, conversation, monkeypatch):
    """More missed messages than one frame holds: ``more`` is true and repeating hello with
    the returned last id gets the rest; nothing twice, nothing lost."""
    monkeypatch.setattr(selectors, "CATCH_UP_LIMIT", 2)
    a, b = people["member"], people["initiative_admin"]
    chat = await _ensure(conversation, a, b)
    sa, _ = await chat_socket(a)
    ids = [(await sa.write(chat, f"№{n}"))["id"] for n in range(5)]
    sb, _ = await chat_socket(b)
    got, last, more = [], 0, True
    while more:
        page = await sb.ask({"type": "hello", "last_id": last})
        assert len(page["messages"]) <= 2
        got += [m["id"] for m in page["messages"]]
        last, more = page["last_id"], page["more"]
    assert got == ids
    assert (await sb.ask({"type": "hello", "last_id": last}))["messages"] == []
