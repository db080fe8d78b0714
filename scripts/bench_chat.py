#!/usr/bin/env python
"""Benchmark the real-time chat (/ws/chat/) against a bare Channels relay, served the same way.

Usage (``make bench-chat``; a few minutes; needs PostgreSQL and Redis on 127.0.0.1):

    .venv/bin/python scripts/bench_chat.py [--database-url postgres://postgres@127.0.0.1:5432/bench_chat]
        [--redis-url redis://127.0.0.1:6379/12] [--server-workers 2] [--client-procs 2]
        [--scenarios realistic,stress] [--targets relay,chat] [--stress-seconds 30]
        [--stress-rate-limit 1000000] [--churn 0.05] [--fresh-db] [--profile PATH]

Preparation: the PostgreSQL database is created when missing and migrated; 1,000 users are
made in bulk, all approved members of one initiative with its chat on (so each pair may
write to each other), paired (1-2, 3-4, ...), with their conversation
(``extranet.chat.services.conversations_ensure``) and a signed-in session each. Sessions are
rows written through the session engine the server uses (the production settings with
REDIS_URL: ``cached_db``), so the server reads them as it reads a browser's.

The server is production's websocket server: uvicorn with ``cms.settings.production``,
PostgreSQL with psycopg's pool, Redis for the cache and the channel layer (channels-redis'
Pub/Sub layer), serving ``scripts/bench_chat_asgi.py`` (``cms.asgi``'s application plus the
bare relay at ``/ws/bench-relay/``). It is restarted for each scenario (the stress scenario
raises CHAT_RATE_LIMIT through the environment, as printed). Clients run on the same machine,
in ``--client-procs`` processes (asyncio + ``websockets``; both ends of a pair in one process).

Scenarios, each against the relay and then the chat, one after the other on the same server:

(a) realistic: 1,000 clients in pairs, each sending one message every 20 s on average
    (exponential intervals) for 60 s; ``--churn`` of the clients drop their socket once at a
    random moment and reconnect (the chat's client then sends hello with its last id).
(b) stress: 500 clients in pairs, ping-pong: the pair's first client sends, each message
    received is answered at once, for ``--stress-seconds``.

Latency is end to end: the peer's receive time minus the send time written into the text
(with a unique key). "stored" is the run's messages in the database; "lost" is stored (chat)
or sent (relay) messages the peer never received, live or through the catch-up.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import platform
import random
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
HOST = "127.0.0.1"
PAIR_INITIATIVE_SLUG = "bench-chat"
EMAIL_DOMAIN = "bench-chat.example"


def require(condition, message) -> None:
    if not condition:
        raise SystemExit(f"FAILED: {message}")


# --- Environment shared by this script and the server ------------------------------------------


def server_env(args, *, rate_limit: int | None = None, profile: str = "") -> dict:
    """Production settings on the benchmark's database and Redis (this process uses the same,
    so both pick the same SESSION_ENGINE)."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("CHAT_", "BENCH_"))},
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "CMS_READ_DOTENV": "0",
        "SECRET_KEY": args.secret_key,
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "SITE_URL": f"http://{HOST}:{args.port}",
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "PYTHONPATH": str(ROOT),
        "BENCH_CHANNEL_PREFIX": args.channel_prefix,
        "LOG_LEVEL": "WARNING",
    }
    if rate_limit is not None:
        env["CHAT_RATE_LIMIT"] = str(rate_limit)
    if profile:
        env["BENCH_PROFILE"] = profile
    if args.experiment:
        env["BENCH_EXPERIMENT"] = args.experiment
    return env


def ensure_database(url: str, fresh: bool) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists and fresh:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def setup_django(args) -> None:
    os.environ.update(server_env(args))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare(args) -> dict:
    """Users in pairs who may write to each other, their conversations and sessions."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.models import Session
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from extranet.chat.models import Conversation
    from extranet.chat.services import conversations_ensure
    from extranet.members.models import Membership, User
    from initiatives.models import InitiativePage
    from tests.factories import InitiativePageFactory, ensure_home_page

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    count = max(args.realistic_clients, args.stress_clients)
    count += count % 2
    with transaction.atomic():
        group = InitiativePage.objects.filter(slug=PAIR_INITIATIVE_SLUG).first()
        if group is None:
            ensure_home_page()
            group = InitiativePageFactory(
                title="Кластер для замера чата", slug=PAIR_INITIATIVE_SLUG, chat_enabled=True
            )
        have = User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").count()
        if have < count:
            unusable = make_password(None)  # nobody logs in with a password
            User.objects.bulk_create(
                [
                    User(
                        email=f"u{n:05d}@{EMAIL_DOMAIN}",
                        first_name="Участник",
                        last_name=f"№{n}",
                        password=unusable,
                    )
                    for n in range(have, count)
                ],
                batch_size=1000,
            )
        users = list(
            User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").order_by("email")[:count]
        )
        ids = [user.pk for user in users]
        Membership.objects.bulk_create(
            [
                Membership(
                    user_id=pk,
                    initiative=group,
                    status=Membership.Status.APPROVED,
                    role=Membership.Role.MEMBER,
                )
                for pk in ids
            ],
            batch_size=1000,
            ignore_conflicts=True,
        )
        pairs = []
        for a, b in zip(ids[0::2], ids[1::2], strict=True):
            conversation = (
                Conversation.objects.filter(user_a_id=min(a, b), user_b_id=max(a, b)).first()
                or conversations_ensure(user_id=a, other_ids=[b])[b]
            )
            pairs.append((a, b, conversation.pk))
        # A signed-in session per user, written as the session engine stores them (the
        # server's cached_db engine reads the row on its first cache miss).
        store = __import__(settings.SESSION_ENGINE, fromlist=["SessionStore"]).SessionStore
        expire = timezone.now() + timezone.timedelta(seconds=settings.SESSION_COOKIE_AGE)
        backend = settings.AUTHENTICATION_BACKENDS[0]
        Session.objects.filter(session_key__startswith="bench").delete()
        sessions = {}
        rows = []
        for user in users:
            key = "bench" + get_random_string(27)
            data = {
                SESSION_KEY: str(user.pk),
                BACKEND_SESSION_KEY: backend,
                HASH_SESSION_KEY: user.get_session_auth_hash(),
            }
            rows.append(
                Session(session_key=key, session_data=store().encode(data), expire_date=expire)
            )
            sessions[user.pk] = key
        Session.objects.bulk_create(rows, batch_size=1000)
    print(
        f"prepared {len(users)} users in {len(pairs)} pairs (one initiative), conversations and "
        f"sessions ({settings.SESSION_ENGINE}) in {time.perf_counter() - started:.1f} s"
    )
    return {
        "pairs": pairs,
        "sessions": sessions,
        "cookie": settings.SESSION_COOKIE_NAME,
        "session_engine": settings.SESSION_ENGINE,
    }


def max_message_id() -> int:
    from django.db.models import Max

    from extranet.chat.models import Message

    return Message.objects.aggregate(top=Max("id"))["top"] or 0


def stored_ids(after_id: int) -> list[int]:
    from extranet.chat.models import Message

    return list(Message.objects.filter(id__gt=after_id).values_list("id", flat=True))


# --- The server --------------------------------------------------------------------------------


class Server:
    """uvicorn serving scripts/bench_chat_asgi.py as deploy/systemd/cms-ws.service does."""

    def __init__(self, args, *, workers: int, rate_limit: int | None, profile: str = ""):
        self.args = args
        self.workers = workers
        self.env = server_env(args, rate_limit=rate_limit, profile=profile)
        self.command = [
            str(VENV_BIN / "uvicorn"),
            "bench_chat_asgi:application",
            "--app-dir",
            str(ROOT / "scripts"),
            "--host",
            HOST,
            "--port",
            str(args.port),
            "--proxy-headers",
            "--forwarded-allow-ips",
            HOST,
            "--lifespan",
            "off",
            "--no-server-header",
            "--no-access-log",
            "--log-level",
            "warning",
        ]
        if workers > 1:
            self.command += ["--workers", str(workers)]
        self.log_path = ROOT / "test-artifacts" / "bench-chat-server.log"
        self.process = None

    def __enter__(self):
        self.log_path.parent.mkdir(exist_ok=True)
        self.log = open(self.log_path, "a")
        self.log.write(f"\n=== {datetime.now(UTC).isoformat()} {' '.join(self.command)}\n")
        self.log.flush()
        self.process = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while True:
            require(self.process.poll() is None, f"the server exited; see {self.log_path}")
            try:
                url = f"http://{HOST}:{self.args.port}/healthz"
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        break
            except (OSError, urllib.error.HTTPError):
                pass
            require(time.monotonic() < deadline, "the server did not answer /healthz in 60 s")
            time.sleep(0.3)
        time.sleep(1.0 if self.workers > 1 else 0.2)  # every worker up, not just the first
        return self

    def __exit__(self, *exc):
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.log.close()


# --- Clients (in their own processes) ----------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


class Client:
    """One browser tab: a socket, its peer, the messages it sent and received."""

    def __init__(self, run: Run, me: int, peer: int, conversation: int, cookie: str, first: bool):
        self.run, self.me, self.peer, self.conversation = run, me, peer, conversation
        self.cookie, self.first = cookie, first
        self.ws = None
        self.connected = asyncio.Event()
        self.ready = asyncio.Event()  # connected and caught up once
        # As static/js/chat.js: the stream position up to which nothing is missing, advanced
        # along each live message's prev chain (not by the highest id seen).
        self.last_id = run.start_id
        self.ahead: dict[int, int] = {}
        self.gap_timer = None
        self.seq = 0
        self.waiting_since = None  # stress: my message is out, the answer is not back
        self.stopped = False
        self.dropping = False

    # Connection ------------------------------------------------------------------------------

    def url(self) -> str:
        if self.run.target == "relay":
            return f"ws://{HOST}:{self.run.port}/ws/bench-relay/?key={self.me}"
        return f"ws://{HOST}:{self.run.port}/ws/chat/"

    async def connect(self) -> None:
        import websockets

        headers = (
            {} if self.run.target == "relay" else {"Cookie": f"{self.run.cookie}={self.cookie}"}
        )
        delay = 0.05
        while not self.stopped:
            try:
                self.ws = await websockets.connect(
                    self.url(),
                    origin=f"http://{HOST}:{self.run.port}",
                    additional_headers=headers,
                    open_timeout=60,
                    ping_interval=None,
                    max_size=2**20,
                    compression=self.run.compression,
                )
                break
            except Exception as error:  # noqa: BLE001 - refused, timeout, 403: count, retry
                self.run.connect_errors[type(error).__name__] = (
                    self.run.connect_errors.get(type(error).__name__, 0) + 1
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, 2.0)
        if self.ws is None:
            return
        self.connected.set()
        if self.run.target == "chat":
            self.run.hellos.append((self.me, self.last_id, time.time()))
            await self.send_frame({"type": "hello", "last_id": self.last_id})
        else:
            self.ready.set()

    async def reader(self) -> None:
        import websockets

        while not self.stopped:
            await self.connect()
            if self.ws is None:
                return
            try:
                async for raw in self.ws:
                    self.on_frame(raw)
            except websockets.ConnectionClosed:
                pass
            except Exception as error:  # noqa: BLE001 - counted and reported
                self.run.client_errors[repr(error)[:80]] = (
                    self.run.client_errors.get(repr(error)[:80], 0) + 1
                )
            self.connected.clear()
            if not self.stopped:
                self.run.reconnects += 1
                if not self.dropping:  # closed by the server or the network, not by churn
                    code = f"closed {self.ws.close_code} {self.ws.close_reason or ''}".strip()
                    self.run.client_errors[code] = self.run.client_errors.get(code, 0) + 1
            self.dropping = False

    async def drop(self) -> None:
        """Churn: close the socket; the reader reconnects (and catches up, on the chat)."""
        if self.ws is not None and self.connected.is_set():
            self.run.drops += 1
            self.dropping = True
            await self.ws.close()

    async def send_frame(self, frame: dict) -> bool:
        try:
            await self.ws.send(json.dumps(frame))
            return True
        except Exception:  # noqa: BLE001 - a closed socket: the reader reconnects
            return False

    # Messages --------------------------------------------------------------------------------

    async def send_message(self) -> None:
        await self.connected.wait()
        self.seq += 1
        key = f"{self.me}-{self.seq}"
        sent_at = time.time()
        if self.run.target == "relay":
            frame = {"to": str(self.peer), "payload": {"k": key, "t": sent_at}}
        else:
            frame = {
                "type": "send",
                "conversation": self.conversation,
                "text": f"bench {key} {sent_at:.6f}",
                "client_id": key,
            }
        if await self.send_frame(frame):
            self.run.sent += 1
            self.run.sent_keys.add(key)
            if self.run.in_window(sent_at):
                self.run.sent_in_window += 1
            self.waiting_since = time.monotonic()

    def on_frame(self, raw: str) -> None:
        frame = json.loads(raw)
        kind = frame.get("type")
        if self.run.target == "relay":
            if kind == "message":
                payload = frame["payload"]
                self.on_delivery(payload["k"], payload["t"], None)
            elif kind == "error":
                self.run.errors["relay"] = self.run.errors.get("relay", 0) + 1
            return
        if kind == "message":
            self.on_payload(frame["message"])
        elif kind == "ack":
            self.run.acked_ids.add(frame["message"]["id"])
            self.follow(frame["message"])
        elif kind == "missed":
            for payload in frame.get("messages", []):
                self.on_payload(payload, caught_up=True)
            if isinstance(frame.get("last_id"), int):
                self.advance(frame["last_id"])
            if frame.get("more"):
                self.run.spawn(self.send_frame({"type": "hello", "last_id": frame["last_id"]}))
            else:
                self.ready.set()
        elif kind == "error":
            code = frame.get("code", "?")
            self.run.errors[code] = self.run.errors.get(code, 0) + 1
            if frame.get("client_id"):
                self.run.failed_keys.add(frame["client_id"])
            if frame.get("client_id") and self.run.scenario == "stress" and not self.run.over():
                # Not sent: the pair's turn would stop here; send again.
                asyncio.get_running_loop().call_later(
                    0.05, lambda: self.run.spawn(self.send_message())
                )

    def advance(self, to: int) -> None:
        if to <= self.last_id:
            return
        self.last_id = to
        while self.last_id in self.ahead:
            self.last_id = self.ahead.pop(self.last_id)
        for prev in [p for p, i in self.ahead.items() if i <= self.last_id]:
            del self.ahead[prev]

    def follow(self, payload: dict) -> None:
        prev = (payload.get("prev") or {}).get(str(self.me))
        if not isinstance(prev, int) or payload["id"] <= self.last_id:
            return
        if prev <= self.last_id:
            self.advance(payload["id"])
            return
        self.ahead[prev] = payload["id"]
        if self.gap_timer is None:

            def ask():
                self.gap_timer = None
                if self.ahead:
                    self.run.spawn(self.send_frame({"type": "hello", "last_id": self.last_id}))

            self.gap_timer = asyncio.get_running_loop().call_later(1.5, ask)

    def on_payload(self, payload: dict, caught_up: bool = False) -> None:
        self.follow(payload)
        if payload.get("sender") != self.peer or payload.get("conversation") != self.conversation:
            return  # my own message on my socket, or not the benchmark's
        parts = payload.get("text", "").split()
        if len(parts) != 3 or parts[0] != "bench":
            return
        if caught_up and payload["id"] not in self.run.delivered_ids:
            self.run.caught_up += 1
        self.on_delivery(parts[1], float(parts[2]), payload["id"])

    def on_delivery(self, key: str, sent_at: float, message_id: int | None) -> None:
        now = time.time()
        if message_id is not None:
            if message_id in self.run.delivered_ids:
                return
            self.run.delivered_ids.add(message_id)
        elif key in self.run.delivered_keys:
            return
        self.run.delivered_keys.add(key)
        self.run.delivered += 1
        self.run.latencies.append((now - sent_at) * 1000)
        if self.run.in_window(now):
            self.run.delivered_in_window += 1
        if self.run.scenario == "stress" and not self.run.over():
            self.run.spawn(self.send_message())
        # The peer's answer came: the peer's waiting is over (it is in this process too).
        peer = self.run.clients_by_id.get(self.peer)
        if peer is not None:
            peer.waiting_since = None

    # Scenario loops ---------------------------------------------------------------------------

    async def realistic(self) -> None:
        rng = self.run.rng
        drop_at = None
        if rng.random() < self.run.churn:
            drop_at = self.run.start + rng.uniform(5, max(self.run.duration - 5, 6))
        end = self.run.start + self.run.duration
        while True:
            next_send = time.time() + rng.expovariate(1 / self.run.interval)
            if drop_at is not None and drop_at < min(next_send, end):
                await asyncio.sleep(max(0, drop_at - time.time()))
                drop_at = None
                await self.drop()
            if next_send >= end:  # the next one would fall after the run: none
                await asyncio.sleep(max(0.0, end - time.time()))
                return
            await asyncio.sleep(max(0.0, next_send - time.time()))
            await self.send_message()

    async def stress(self) -> None:
        if self.first:
            await self.send_message()
        # A turn lost for good (a dropped frame) would stop the pair: start it again.
        while not self.run.over():
            await asyncio.sleep(0.5)
            if (
                self.waiting_since is not None
                and time.monotonic() - self.waiting_since > self.run.stall_after
            ):
                self.run.stalls += 1
                await self.send_message()


class Run:
    """One client process's share of one scenario against one target."""

    def __init__(self, spec: dict):
        self.__dict__.update(spec)
        self.rng = random.Random(spec["seed"])  # noqa: S311 - timing, not secrets
        self.start = 0.0
        self.sent = self.sent_in_window = self.delivered = self.delivered_in_window = 0
        self.reconnects = self.drops = self.caught_up = self.stalls = 0
        self.sent_keys: set[str] = set()
        self.failed_keys: set[str] = set()  # refused with an error frame (never stored)
        self.delivered_keys: set[str] = set()
        self.delivered_ids: set[int] = set()
        self.acked_ids: set[int] = set()
        self.latencies: list[float] = []
        self.errors: dict[str, int] = {}
        self.connect_errors: dict[str, int] = {}
        self.client_errors: dict[str, int] = {}
        self.clients_by_id: dict[int, Client] = {}
        self.tasks: set[asyncio.Future] = set()
        self.hellos: list[tuple[int, int, float]] = []  # (client, last_id, when)

    def spawn(self, coroutine) -> None:
        """Run ``coroutine`` as a task, kept until it ends (asyncio holds tasks weakly)."""
        task = asyncio.ensure_future(coroutine)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def in_window(self, at: float) -> bool:
        return self.start <= at <= self.start + self.duration

    def over(self) -> bool:
        return time.time() >= self.start + self.duration


async def client_run(spec: dict, pipe) -> None:
    run = Run(spec)
    clients = []
    for a, b, conversation, cookie_a, cookie_b in spec["pairs"]:
        clients.append(Client(run, a, b, conversation, cookie_a, True))
        clients.append(Client(run, b, a, conversation, cookie_b, False))
    run.clients_by_id = {client.me: client for client in clients}
    began = time.perf_counter()
    readers = []
    # Connect in waves so the handshakes do not all time out at once.
    for index in range(0, len(clients), 50):
        wave = clients[index : index + 50]
        readers += [asyncio.ensure_future(client.reader()) for client in wave]
        await asyncio.gather(*(client.ready.wait() for client in wave))
    pipe.send(("ready", {"connect_s": time.perf_counter() - began}))
    _kind, start = await asyncio.get_running_loop().run_in_executor(None, pipe.recv)
    run.start = start
    await asyncio.sleep(max(0.0, start - time.time()))
    loop = run.scenario
    await asyncio.gather(*(getattr(client, loop)() for client in clients))
    # Drain: what is still in flight may arrive (the chat's catch-up included).
    # Until everything sent arrived, or nothing arrived for 5 s, or --drain seconds passed
    # (a sent frame the server never read, on a socket that was closing, never arrives).
    deadline = time.time() + spec["drain"]
    progress, progress_at = run.delivered, time.time()
    while time.time() < deadline and time.time() - progress_at < 5:
        if len(run.delivered_keys) >= len(run.sent_keys - run.failed_keys) and all(
            client.connected.is_set() for client in clients
        ):
            break
        if run.delivered != progress:
            progress, progress_at = run.delivered, time.time()
        await asyncio.sleep(0.1)
    run.drained = time.time() - run.start - run.duration
    for client in clients:
        client.stopped = True
    await asyncio.gather(*(client.ws.close() for client in clients if client.ws is not None))
    for reader in readers:
        reader.cancel()
    await asyncio.gather(*readers, return_exceptions=True)
    pipe.send(
        (
            "done",
            {
                "sent": run.sent,
                "sent_in_window": run.sent_in_window,
                "delivered": run.delivered,
                "delivered_in_window": run.delivered_in_window,
                "lost_keys": len(run.sent_keys - run.delivered_keys - run.failed_keys),
                "delivered_ids": sorted(run.delivered_ids),
                "acked_ids": sorted(run.acked_ids),
                "latencies": run.latencies,
                "errors": run.errors,
                "connect_errors": run.connect_errors,
                "client_errors": run.client_errors,
                "reconnects": run.reconnects,
                "drops": run.drops,
                "caught_up": run.caught_up,
                "stalls": run.stalls,
                "drained": run.drained,
                "hellos": run.hellos,
            },
        )
    )


def client_process(spec: dict, pipe) -> None:
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    asyncio.run(client_run(spec, pipe))


# --- One scenario against one target -----------------------------------------------------------


def run_target(args, data: dict, *, scenario: str, target: str, clients: int) -> dict:
    pairs = data["pairs"][: clients // 2]
    sessions = data["sessions"]
    start_id = max_message_id() if target == "chat" else 0
    duration = args.realistic_seconds if scenario == "realistic" else args.stress_seconds
    procs = max(1, min(args.client_procs, len(pairs)))
    ctx = mp.get_context("spawn")
    workers = []
    for index in range(procs):
        share = [(a, b, c, sessions[a], sessions[b]) for a, b, c in pairs[index::procs]]
        spec = {
            "pairs": share,
            "target": target,
            "scenario": scenario,
            "port": args.port,
            "cookie": data["cookie"],
            "start_id": start_id,
            "duration": duration,
            "interval": args.interval,
            "churn": args.churn if scenario == "realistic" else 0.0,
            "stall_after": args.stall_after,
            "drain": args.drain,
            "compression": None if args.compression == "none" else args.compression,
            "seed": args.seed * 1000 + index,
        }
        parent, child = ctx.Pipe()
        process = ctx.Process(target=client_process, args=(spec, child), daemon=True)
        process.start()
        workers.append((process, parent))
    connect_s = []
    for _process, pipe in workers:
        require(pipe.poll(600), f"{scenario}/{target}: clients did not connect in 600 s")
        _kind, info = pipe.recv()
        connect_s.append(info["connect_s"])
    start = time.time() + 1.0
    for _process, pipe in workers:
        pipe.send(("go", start))
    results = []
    for process, pipe in workers:
        require(pipe.poll(duration + args.drain + 300), f"{scenario}/{target}: clients hung")
        results.append(pipe.recv()[1])
        process.join(timeout=30)
    merged = {
        key: sum(r[key] for r in results)
        for key in (
            "sent",
            "sent_in_window",
            "delivered",
            "delivered_in_window",
            "lost_keys",
            "reconnects",
            "drops",
            "caught_up",
            "stalls",
        )
    }
    latencies = [value for r in results for value in r["latencies"]]
    errors: dict[str, int] = {}
    for r in results:
        for name, prefix in (
            ("errors", ""),
            ("connect_errors", "connect "),
            ("client_errors", "client "),
        ):
            for key, value in r[name].items():
                errors[prefix + key] = errors.get(prefix + key, 0) + value
    out = {
        "scenario": scenario,
        "target": target,
        "clients": len(pairs) * 2,
        "duration": duration,
        "connect_s": max(connect_s),
        "drained": max(r["drained"] for r in results),
        **merged,
        "errors": errors,
        "p50": percentile(latencies, 0.50),
        "p99": percentile(latencies, 0.99),
        "max": max(latencies) if latencies else float("nan"),
        "rate": merged["delivered_in_window"] / duration,
        "load": os.getloadavg(),
    }
    if target == "chat":
        stored = set(stored_ids(start_id))
        delivered = {i for r in results for i in r["delivered_ids"]}
        acked = {i for r in results for i in r["acked_ids"]}
        out["stored"] = len(stored)
        out["lost"] = len(stored - delivered)
        hellos = [hello for r in results for hello in r["hellos"]]
        out["lost_why"] = lost_explained(sorted(stored - delivered), hellos)
        out["acked"] = len(acked)
        out["acked_not_stored"] = len(acked - stored)
    else:
        out["stored"] = None
        out["lost"] = merged["lost_keys"]
    return out


def lost_explained(lost: list[int], hellos: list[tuple[int, int, float]]) -> list[str]:
    """For each lost message (at most 10): its recipient's hellos after it was stored. A
    hello whose last id is above a message stored before it skips that message for good."""
    from extranet.chat.models import Message

    lines = []
    for message in Message.objects.filter(id__in=lost[:10]).select_related("conversation"):
        recipient = message.conversation.other_id(message.sender_id)
        stored_at = message.created_at.timestamp()
        later = [
            (last_id, at) for who, last_id, at in hellos if who == recipient and at > stored_at
        ]
        if not later:
            reason = "the recipient did not reconnect after it was stored (no catch-up asked)"
        else:
            reason = "; ".join(
                f"hello last_id {last_id} {'>' if last_id >= message.pk else '<'} {message.pk} "
                f"{at - stored_at:.2f} s after it was stored"
                for last_id, at in later
            )
        lines.append(f"message {message.pk} to {recipient}: {reason}")
    return lines


def show(row: dict) -> None:
    stored = "—" if row["stored"] is None else row["stored"]
    print(
        f"  {row['target']:<6} clients {row['clients']:>5}  sent {row['sent']:>7}  "
        f"stored {stored!s:>7}  delivered {row['delivered']:>7}  lost {row['lost']:>5}  "
        f"{row['rate']:>8.1f} deliveries/s  p50 {row['p50']:7.2f} ms  p99 {row['p99']:8.2f} ms  "
        f"(max {row['max']:.1f} ms)",
        flush=True,
    )
    extra = [
        f"connected in {row['connect_s']:.1f} s",
        f"drained in {row['drained']:.1f} s",
        "load average after {:.2f} {:.2f} {:.2f}".format(*row["load"]),
    ]
    for key in ("drops", "reconnects", "caught_up", "stalls"):
        if row[key]:
            extra.append(f"{key.replace('_', ' ')} {row[key]}")
    if row["target"] == "chat":
        extra.append(f"acked {row['acked']}")
        if row["acked_not_stored"]:
            extra.append(f"ACKED BUT NOT STORED {row['acked_not_stored']}")
    for line in row.get("lost_why", []):
        print(f"         lost {line}", flush=True)
    if row["errors"]:
        extra.append("errors " + ", ".join(f"{k} {v}" for k, v in sorted(row["errors"].items())))
    print("         " + "; ".join(extra), flush=True)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bench_chat")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/12")
    parser.add_argument("--channel-prefix", default="bench")
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--server-workers", type=int, default=2)
    parser.add_argument("--client-procs", type=int, default=2)
    parser.add_argument("--scenarios", default="realistic,stress")
    parser.add_argument("--targets", default="relay,chat")
    parser.add_argument("--realistic-clients", type=int, default=1000)
    parser.add_argument("--realistic-seconds", type=float, default=60)
    parser.add_argument("--interval", type=float, default=20, help="mean seconds between sends")
    parser.add_argument("--churn", type=float, default=0.05)
    parser.add_argument("--stress-clients", type=int, default=500)
    parser.add_argument("--stress-seconds", type=float, default=30)
    parser.add_argument("--stress-rate-limit", type=int, default=1_000_000)
    parser.add_argument(
        "--stall-after",
        type=float,
        default=30.0,
        help="stress: a pair whose answer is this late starts again (counted as a stall)",
    )
    parser.add_argument(
        "--drain", type=float, default=120.0, help="at most this long for what is in flight"
    )
    parser.add_argument("--compression", default="deflate", choices=["deflate", "none"])
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--fresh-db", action="store_true")
    parser.add_argument(
        "--experiment",
        default="",
        help="BENCH_EXPERIMENT for the server (see scripts/bench_chat_asgi.py), e.g. threads",
    )
    parser.add_argument(
        "--profile",
        default="",
        help="path prefix: one server process under cProfile with SQL counts (see "
        "scripts/bench_chat_asgi.py); implies --server-workers 1",
    )
    args = parser.parse_args()
    args.secret_key = secrets.token_urlsafe(64)
    if args.profile:
        args.server_workers = 1
    scenarios = [s for s in args.scenarios.split(",") if s]
    targets = [t for t in args.targets.split(",") if t]

    load = os.getloadavg()
    print(
        f"bench_chat {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node()}: "
        f"{os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    print(
        f"server: uvicorn, {args.server_workers} worker process(es), cms.settings.production, "
        f"{args.database_url}, {args.redis_url} (channels-redis Pub/Sub layer, prefix "
        f"{args.channel_prefix!r}); clients: {args.client_procs} process(es) of asyncio + "
        f"websockets on the same machine, compression {args.compression}"
        + (f"; EXPERIMENT {args.experiment}" if args.experiment else "")
    )
    ensure_database(args.database_url, args.fresh_db)
    setup_django(args)
    data = prepare(args)

    rows: dict[tuple[str, str], dict] = {}
    for scenario in scenarios:
        if scenario == "realistic":
            limit, clients = None, args.realistic_clients
            from django.conf import settings

            print(
                f"\n(a) realistic: {clients} clients in pairs, one message every "
                f"{args.interval:g} s on average (exponential) each, {args.realistic_seconds:g} s; "
                f"churn {args.churn:.0%} (drop once, reconnect); CHAT_RATE_LIMIT "
                f"{settings.CHAT_RATE_LIMIT} per {settings.CHAT_RATE_WINDOW} s (the default)",
                flush=True,
            )
        else:
            limit, clients = args.stress_rate_limit, args.stress_clients
            print(
                f"\n(b) stress: {clients} clients in pairs, ping-pong, {args.stress_seconds:g} s; "
                f"CHAT_RATE_LIMIT={limit} in the server's environment (raised for this scenario)",
                flush=True,
            )
        with Server(args, workers=args.server_workers, rate_limit=limit, profile=args.profile):
            for target in targets:
                row = run_target(args, data, scenario=scenario, target=target, clients=clients)
                rows[(scenario, target)] = row
                show(row)

    print("\nTargets (issue 11, on this machine):")
    ok_all = True
    if ("realistic", "chat") in rows:
        row = rows[("realistic", "chat")]
        ok = row["p99"] < 100 and row["lost"] == 0
        ok_all &= ok
        print(
            f"  (a) realistic chat: p99 {row['p99']:.1f} ms < 100 ms and 0 lost "
            f"({row['lost']} lost): {verdict(ok)}"
        )
    if ("stress", "chat") in rows and ("stress", "relay") in rows:
        chat, relay = rows[("stress", "chat")], rows[("stress", "relay")]
        throughput = chat["rate"] / relay["rate"] if relay["rate"] else float("nan")
        p99 = chat["p99"] / relay["p99"] if relay["p99"] else float("nan")
        for label, ok in (
            (f"throughput ours/bare {throughput:.0%} >= 70 %", throughput >= 0.70),
            (f"p99 ours/bare {p99:.2f}x <= 1.5x", p99 <= 1.5),
            (f"chat lost {chat['lost']} == 0", chat["lost"] == 0),
        ):
            ok_all &= ok
            print(f"  (b) stress {label}: {verdict(ok)}")
    print(f"\n{verdict(ok_all)}")
    return 0 if ok_all else 1


if __name__ == "__main__":
    sys.exit(main())
