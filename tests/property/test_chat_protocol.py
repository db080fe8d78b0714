"""The chat socket fed garbage (issue 16, part 3): arbitrary JSON, non-JSON text, binary
and huge frames, wrong types for every field, unknown types, missing and huge ids, sent to
/ws/chat/ through the real ASGI application by a participant of a conversation.

Properties: every frame is answered with an error frame, or with the frame its type asks
for, or ignored; the socket never closes; nothing but well-formed messages is stored; and a
valid message sent after all the garbage is delivered (acked) as usual.
"""

from __future__ import annotations

import json

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from django.core.cache import cache
from hypothesis import given, settings
from hypothesis import strategies as st

from extranet.chat.models import Message
from tests.extranet.chat.conftest import ORIGIN, PATH, login
from tests.property.strategies import NASTY

pytestmark = pytest.mark.django_db(transaction=True)

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(NASTY),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=8,
)
TYPES = ["hello", "send", "read", "typing", "ping", "error", "message", "", "SEND", "__class__"]


@st.composite
def frames(draw):
    """A frame the consumer must survive: ("text", str) or ("bytes", bytes)."""
    kind = draw(st.sampled_from(["object", "object", "object", "json", "text", "bytes", "huge"]))
    if kind == "bytes":
        return ("bytes", draw(st.binary(min_size=1, max_size=64)))
    if kind == "text":
        return ("text", draw(st.text(min_size=1, max_size=60)))
    if kind == "huge":
        return ("text", json.dumps({"type": "send", "text": "я" * 20_000}, ensure_ascii=False))
    if kind == "json":
        return ("text", json.dumps(draw(json_values)))
    frame = draw(
        st.fixed_dictionaries(
            {},
            optional={
                "type": st.one_of(st.sampled_from(TYPES), json_values),
                "conversation": json_values,
                "last_id": json_values,
                "text": json_values,
                "client_id": json_values,
            },
        )
    )
    return ("text", json.dumps(frame, ensure_ascii=False))


def _valid_text(text) -> bool:
    return isinstance(text, str) and "\x00" not in text and text.strip() != ""


@pytest.fixture
def pair(people):
    from extranet.chat import services

    member, admin = people["member"], people["initiative_admin"]
    conversation = services.conversations_ensure(user_id=member.pk, other_ids=[admin.pk])[admin.pk]
    return member, conversation


def test_garbage_frames_get_errors_and_the_socket_keeps_working(pair):
    """A few dozen garbage frames per connection, then a valid message: every frame is
    answered or ignored, the socket stays open, only well-formed messages are stored, and
    the valid message is acked."""
    from channels.testing import WebsocketCommunicator

    from cms.asgi import application

    member, conversation = pair
    client = login(member)
    cookie = "; ".join(f"{k}={m.value}" for k, m in client.cookies.items())
    headers = [(b"origin", ORIGIN.encode()), (b"cookie", cookie.encode())]

    @settings(max_examples=max(3, settings.default.max_examples // 6))
    @given(batch=st.lists(frames(), min_size=1, max_size=8))
    def run(batch):
        cache.clear()  # the chat's rate limit
        async_to_sync(_session)(batch)

    async def _session(batch):
        communicator = WebsocketCommunicator(application, PATH, headers=headers)
        connected, _ = await communicator.connect()
        assert connected
        first = json.loads(await communicator.receive_from(timeout=5))
        assert first["type"] == "unread"
        try:
            for kind, payload in batch:
                if kind == "bytes":
                    await communicator.send_to(bytes_data=payload)
                else:
                    await communicator.send_to(text_data=payload)
                # Whatever comes back is JSON of a known shape; a close would be an output
                # of type websocket.close and fail here.
                while not await communicator.receive_nothing(timeout=0.15):
                    output = await communicator.receive_output(timeout=1)
                    assert output["type"] == "websocket.send", (output, payload)
                    answer = json.loads(output["text"])
                    assert answer["type"] in {
                        "error",
                        "missed",
                        "ack",
                        "message",
                        "read",
                        "unread",
                        "pong",
                        "seen",
                    }, answer
                    if answer["type"] == "error":
                        assert answer["code"] and answer["error"]
            stored = await database_sync_to_async(
                lambda: list(Message.objects.values_list("body", flat=True))
            )()
            assert all(_valid_text(body) for body in stored), stored
            await communicator.send_to(
                text_data=json.dumps(
                    {
                        "type": "send",
                        "conversation": conversation.pk,
                        "text": "ok",
                        "client_id": "v",
                    }
                )
            )
            for _ in range(20):
                answer = json.loads(await communicator.receive_from(timeout=5))
                if answer.get("type") == "ack" and answer.get("client_id") == "v":
                    break
                # A late answer to the garbage may come first; none may be about this one.
                assert not (answer["type"] == "error" and answer.get("client_id") == "v"), answer
            else:
                raise AssertionError("the valid message was not acked")
        finally:
            await communicator.disconnect()

    run()


@pytest.mark.asyncio
async def test_huge_ids_are_refused_as_bad_frames(pair, chat_socket):
    """Regression: an id beyond the database's integer (2**63 and more) was passed to the
    query and crashed the frame's handler; it is a ``bad_frame`` error like a negative id."""
    member, conversation = pair
    socket, connected = await chat_socket(member)
    assert connected
    for frame in (
        {"type": "hello", "last_id": 2**64},
        {"type": "read", "conversation": 2**70, "last_id": 1},
        {"type": "send", "conversation": 2**63, "text": "x"},
        {"type": "typing", "conversation": 10**30},
    ):
        answer = await socket.ask(frame)
        assert answer["type"] == "error" and answer["code"] == "bad_frame", (frame, answer)
    ack = await socket.write(conversation, "после мусора")
    assert ack["id"]
