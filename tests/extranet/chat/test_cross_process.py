"""Two ASGI server processes (uvicorn, ``cms.asgi:application``) on one Redis channel layer
and one database: a message sent by a client of one reaches a client of the other, both
ways (issue 11: «works … with Redis across several server processes»).

Needs REDIS_URL (the Pub/Sub layer; the in-memory layer cannot cross processes) and
PostgreSQL (the servers must see the test's committed data; SQLite's test database lives in
this process's memory). Skips with the reason otherwise."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import websockets
from django.conf import settings
from django.db import connection

from extranet.chat.models import Message
from tests.extranet.chat.conftest import PATH, login, session_cookie

ROOT = Path(__file__).resolve().parents[3]
START_TIMEOUT = 90

pytestmark = [
    pytest.mark.skipif(
        not settings.REDIS_URL,
        reason="cross-process chat needs REDIS_URL (the Redis channel layer)",
    ),
    pytest.mark.skipif(
        not settings.DATABASE_IS_POSTGRES,
        reason="cross-process chat needs PostgreSQL (server processes share the test database)",
    ),
]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    """The test database (not the one DATABASE_URL names: pytest-django made test_<name>)."""
    db = connection.settings_dict
    credentials = db["USER"] or ""
    if db.get("PASSWORD"):
        credentials += f":{db['PASSWORD']}"
    host = f"{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"
    return f"postgres://{credentials}@{host}/{db['NAME']}"


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture
def two_servers(transactional_db, tmp_path):
    """Two uvicorn processes on free ports, with this run's settings (the same Redis
    database and channel prefix, also under pytest-xdist) and the test database. Yields
    their ports; both are terminated (then killed) at the end, whatever happened."""
    # Data made in the test is committed (transactional_db); the servers must not inherit a
    # connection of ours either.
    connection.close()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "CMS_READ_DOTENV": "0",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": os.environ.get("REDIS_URL", settings.REDIS_URL),
    }
    processes, logs, ports = [], [], []
    try:
        for n in range(2):
            port = _free_port()
            log = open(tmp_path / f"uvicorn-{n}.log", "w+")  # noqa: SIM115 - closed below
            logs.append(log)
            processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "uvicorn",
                        "cms.asgi:application",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        str(port),
                        "--lifespan",
                        "off",
                        "--ws",
                        "websockets-sansio",
                        "--log-level",
                        "warning",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
            ports.append(port)
        deadline = time.monotonic() + START_TIMEOUT
        for process, port, log in zip(processes, ports, logs, strict=True):
            while not _port_open(port):
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    pytest.fail(f"uvicorn on port {port} did not start:\n{log.read()[-3000:]}")
                time.sleep(0.1)
        yield ports
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        for log in logs:
            log.close()


async def _open(port: int, cookie: str):
    origin = f"http://127.0.0.1:{port}"
    socket_ = await websockets.connect(
        f"ws://127.0.0.1:{port}{PATH}",
        origin=origin,
        additional_headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"},
        open_timeout=15,
    )
    first = json.loads(await asyncio.wait_for(socket_.recv(), 10))
    assert first["type"] == "unread", first
    return socket_


async def _until(socket_, kind: str, timeout: float = 10) -> dict:
    """The next frame of type ``kind`` (others, like unread counts, are skipped)."""

    async def wait():
        while True:
            frame = json.loads(await socket_.recv())
            if frame["type"] == kind:
                return frame

    return await asyncio.wait_for(wait(), timeout)


def test_a_message_crosses_between_two_server_processes(people, conversation, two_servers):
    """A member connected to server 1 writes to a member connected to server 2: the
    recipient gets it live (through Redis) with their unread count; the answer comes back
    the other way; both messages are stored."""
    a, b = people["member"], people["initiative_admin"]
    chat = conversation(a, b)
    cookie_a = session_cookie(login(a))
    cookie_b = session_cookie(login(b))
    connection.close()
    port_1, port_2 = two_servers

    async def talk():
        socket_a = await _open(port_1, cookie_a)
        socket_b = await _open(port_2, cookie_b)
        try:
            await socket_a.send(
                json.dumps(
                    {"type": "send", "conversation": chat.pk, "text": "Через Redis", "client_id": 1}
                )
            )
            ack = await _until(socket_a, "ack")
            got = await _until(socket_b, "message")
            assert got["message"] == ack["message"]
            assert got["message"]["text"] == "Через Redis"
            await socket_b.send(
                json.dumps(
                    {"type": "send", "conversation": chat.pk, "text": "Получено", "client_id": 2}
                )
            )
            answer = await _until(socket_b, "ack")
            back = await _until(socket_a, "message")
            while back["message"]["id"] != answer["message"]["id"]:  # a's own copy first
                back = await _until(socket_a, "message")
            assert back["message"]["sender"] == b.pk
            return ack["message"]["id"], answer["message"]["id"]
        finally:
            await socket_a.close()
            await socket_b.close()

    first, second = asyncio.run(talk())
    assert list(Message.objects.order_by("id").values_list("id", "sender_id")) == [
        (first, a.pk),
        (second, b.pk),
    ]
