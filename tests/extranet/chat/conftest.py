"""Fixtures the chat's tests share: people in conversations, and /ws/chat/ sockets opened
through the real ``cms.asgi.application`` (origin check, session cookie, auth middleware)."""

from __future__ import annotations

import contextlib
import json

import pytest
import pytest_asyncio
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from cms.asgi import application
from extranet.chat import services

PATH = "/ws/chat/"
ORIGIN = "http://localhost"


def login(user) -> Client:
    """A test client whose session (saved in the session store) is ``user``'s; a guest's
    client for None."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def session_cookie(client: Client) -> str | None:
    morsel = client.cookies.get(settings.SESSION_COOKIE_NAME)
    return morsel.value if morsel is not None else None


@pytest.fixture
def conversation():
    """``conversation(a, b)``: the conversation of two people, made if missing (whether
    they may write to each other is the services' and the consumer's business)."""

    def make(a, b):
        return services.conversations_ensure(user_id=a.pk, other_ids=[b.pk])[b.pk]

    return make


class ChatSocket:
    """One /ws/chat/ tab: JSON frames in and out, with short timeouts."""

    def __init__(self, communicator: WebsocketCommunicator, client: Client):
        self.communicator = communicator
        self.client = client
        self.unread_on_connect: int | None = None

    async def send(self, frame: dict) -> None:
        # As a browser's JSON.stringify: non-ASCII text as is, not \uXXXX (the 16 KB limit
        # counts characters).
        await self.communicator.send_to(text_data=json.dumps(frame, ensure_ascii=False))

    async def send_text(self, text: str) -> None:
        await self.communicator.send_to(text_data=text)

    async def send_bytes(self, data: bytes) -> None:
        await self.communicator.send_to(bytes_data=data)

    async def receive(self, timeout: float = 3) -> dict:
        return json.loads(await self.communicator.receive_from(timeout=timeout))

    async def receive_many(self, count: int, timeout: float = 3) -> list[dict]:
        return [await self.receive(timeout) for _ in range(count)]

    async def ask(self, frame: dict) -> dict:
        """Send ``frame`` and return the next frame this socket gets."""
        await self.send(frame)
        return await self.receive()

    async def write(self, conversation, text: str, client_id="w") -> dict:
        """Send a message and return its payload from the ack, reading until both the ack
        and this socket's own copy of the message came (other frames are skipped)."""
        await self.send(
            {"type": "send", "conversation": conversation.pk, "text": text, "client_id": client_id}
        )
        ack = copy = None
        for _ in range(20):
            frame = await self.receive()
            if frame["type"] == "ack" and frame["client_id"] == client_id:
                ack = frame["message"]
            elif frame["type"] == "message":
                copy = frame["message"]
            elif frame["type"] == "error":
                raise AssertionError(frame)
            if ack is not None and copy is not None and copy["id"] == ack["id"]:
                return ack
        raise AssertionError("no ack")

    async def nothing(self, timeout: float = 0.3) -> bool:
        return await self.communicator.receive_nothing(timeout=timeout)

    async def close_code(self, timeout: float = 3) -> int | None:
        """The code the server closed this socket with (fails on any other output)."""
        output = await self.communicator.receive_output(timeout=timeout)
        assert output["type"] == "websocket.close", output
        return output.get("code")


@pytest_asyncio.fixture
async def chat_socket():
    """``await chat_socket(user)`` → (socket, connected) through cms.asgi.application with
    ``user``'s session cookie (a guest without one). ``client=`` reuses a session (two tabs,
    a logout), ``origin=`` changes the Origin header. A connected socket's first frame (the
    unread count) is read into ``socket.unread_on_connect``. Every socket is closed after
    the test."""
    opened: list[WebsocketCommunicator] = []

    async def open_socket(user=None, *, client: Client | None = None, origin: str = ORIGIN):
        if client is None:
            client = await database_sync_to_async(login)(user)
        headers = [(b"origin", origin.encode())]
        # Every cookie the browser would send (the session's, the language switch's).
        cookies = "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())
        if cookies:
            headers.append((b"cookie", cookies.encode()))
        communicator = WebsocketCommunicator(application, PATH, headers=headers)
        opened.append(communicator)
        connected, _subprotocol = await communicator.connect()
        socket = ChatSocket(communicator, client)
        if connected:
            first = await socket.receive()
            assert first["type"] == "unread", first
            socket.unread_on_connect = first["count"]
        return socket, connected

    yield open_socket
    for communicator in opened:
        with contextlib.suppress(Exception):  # closed by the server already
            await communicator.disconnect()
