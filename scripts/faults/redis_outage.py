#!/usr/bin/env python
"""Fault: Redis stopped for ``--outage`` seconds during chat traffic, then restarted.

The stack gets a redis-server of its own (``--redis-port``, no persistence: a restart comes
back empty, as a cache-only Redis does), so the machine's Redis stays up for everyone else.
``--pairs`` conversations, both people of each with a chat websocket (``/ws/chat/``, the
protocol of static/js/chat.js: ``hello`` with a stream position → ``missed``; ``send`` with
a ``client_id`` → ``ack``; live ``message`` frames), each sending a message every
``--interval`` s. A client whose socket drops reconnects with backoff, sends ``hello`` from
its starting position (de-duplicating by message id, as chat.js does), counts an unacked
message of its own found in the stream as sent and sends again only those that are not.
Meanwhile a prober reads a group's feed and members directory as a signed-in member.

Counts by client message id: sent (created by a client), stored (rows in the database),
delivered (seen by the other person's client); lost = sent but not stored and delivered,
duplicated = stored or delivered more than once. Checks that pages answered 200 from the
database during the outage::

    .venv/bin/python scripts/faults/redis_outage.py [--pairs 3] [--outage 30]
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import subprocess
import sys
import threading
import time
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

DefaultCookiePolicy.return_ok_secure = lambda self, cookie, request: True


def parse_args(argv=None):
    parser = common.base_parser(__doc__, port=8680, redis_db=0)
    parser.add_argument("--redis-port", type=int, default=6395, help="the stack's own Redis")
    parser.add_argument("--pairs", type=int, default=3, help="conversations with traffic")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between sends")
    parser.add_argument("--before", type=float, default=10.0, help="traffic before the stop")
    parser.add_argument("--outage", type=float, default=30.0, help="seconds Redis is down")
    parser.add_argument("--after", type=float, default=15.0, help="traffic after the restart")
    args = parser.parse_args(argv)
    args.redis_url = f"redis://127.0.0.1:{args.redis_port}/0"
    return args


def marker(token: str, client: str, seq: int) -> str:
    return f"{token}:{client}:{seq}"


def parse_marker(text: str, token: str) -> str | None:
    """The client message id in a message's text, or None for another run's (pure)."""
    for word in text.split():
        if word.startswith(f"{token}:"):
            return word
    return None


class ChatClient:
    """One person's tab: a socket to /ws/chat/, reconnecting, catching up and resending."""

    def __init__(self, *, name, user_id, cookie, conversation, ws_url, origin, token, start):
        self.name, self.user_id, self.cookie = name, user_id, cookie
        self.conversation, self.ws_url, self.origin = conversation, ws_url, origin
        self.token, self.start = token, start
        self.seq = 0
        self.sent: list[str] = []  # client ids created
        self.outstanding: dict[str, str] = {}  # client id -> text, no ack yet
        self.acked: dict[str, int] = {}
        self.received: dict[int, dict] = {}  # message id -> payload (de-duplicated by id)
        self.connects = 0
        self.resent = 0
        self.sending = True
        self.finished = False
        self.socket = None
        self.drops: list[str] = []

    # --- frames ---------------------------------------------------------------------------

    def _take(self, payload: dict) -> None:
        self.received[payload["id"]] = payload
        if payload["sender"] == self.user_id:
            cid = parse_marker(payload["text"], self.token)
            if cid in self.outstanding:
                self.outstanding.pop(cid)
                self.acked.setdefault(cid, payload["id"])

    def handle(self, frame: dict) -> None:
        kind = frame.get("type")
        if kind == "ack":
            cid = frame.get("client_id")
            self.outstanding.pop(cid, None)
            self.acked[cid] = frame["message"]["id"]
            self._take(frame["message"])
        elif kind == "message":
            self._take(frame["message"])
        elif kind == "missed":
            for payload in frame["messages"]:
                self._take(payload)

    async def _send(self, cid: str) -> None:
        text = f"Чат при отказе Redis {self.outstanding[cid]}"
        frame = {"type": "send", "conversation": self.conversation, "text": text, "client_id": cid}
        await self.socket.send(json.dumps(frame))

    async def _catch_up(self, socket) -> None:
        """``hello`` from the starting position until nothing more is missed."""
        position = self.start
        while True:
            await socket.send(json.dumps({"type": "hello", "last_id": position}))
            while True:
                frame = json.loads(await asyncio.wait_for(socket.recv(), 15))
                self.handle(frame)
                if frame.get("type") == "missed":
                    break
            if not frame.get("more"):
                return
            position = frame["last_id"]

    # --- the loops ------------------------------------------------------------------------

    async def _sender(self, interval: float):
        while not self.finished:
            if self.sending:
                self.seq += 1
                cid = marker(self.token, self.name, self.seq)
                self.sent.append(cid)
                self.outstanding[cid] = cid
                if self.socket is not None:
                    with contextlib.suppress(Exception):
                        await self._send(cid)
            await asyncio.sleep(interval)

    async def _connection(self):
        import websockets

        backoff = 0.5
        while not self.finished:
            try:
                async with websockets.connect(
                    self.ws_url,
                    origin=self.origin,
                    additional_headers={"Cookie": self.cookie},
                    open_timeout=5,
                ) as socket:
                    self.connects += 1
                    await self._catch_up(socket)
                    self.socket = socket
                    backoff = 0.5
                    # Unacked messages found in the stream are sent; the rest are sent again.
                    for cid in list(self.outstanding):
                        self.resent += 1
                        await self._send(cid)
                    async for raw in socket:
                        frame = json.loads(raw)
                        self.handle(frame)
                        if frame.get("type") == "error" and frame.get("client_id"):
                            # Refused (rate limit): kept outstanding, sent at the next connect.
                            await asyncio.sleep(1)
                            await self._send(frame["client_id"])
            except Exception as error:  # noqa: BLE001 - any drop: reconnect
                self.drops.append(type(error).__name__)
            self.socket = None
            if not self.finished:
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 4)

    async def settle(self, timeout: float) -> None:
        """After sending stops: reconnect until nothing is outstanding."""
        deadline = time.monotonic() + timeout
        while self.outstanding and time.monotonic() < deadline:
            if self.socket is not None:
                with contextlib.suppress(Exception):
                    await self.socket.close()  # a fresh connect catches up and resends
            await asyncio.sleep(3)


def pairs_of_people(count: int):
    """``count`` conversations whose two people may write to each other."""
    from extranet.chat import permissions
    from extranet.chat.models import Conversation

    found = []
    for conversation in Conversation.objects.select_related("user_a", "user_b").order_by("pk"):
        a, b = conversation.user_a, conversation.user_b
        if not (a.is_active and b.is_active):
            continue
        if permissions.can_write(a, b, conversation=conversation) and permissions.can_write(
            b, a, conversation=conversation
        ):
            if {a.pk, b.pk} & {pk for pair in found for pk in pair[1:]}:
                continue
            found.append((conversation.pk, a.pk, b.pk))
        if len(found) >= count:
            break
    return found


class PageProber(threading.Thread):
    """A signed-in member reading a feed and a members directory, with the time of each."""

    def __init__(self, base: str, cookie_name: str, session_key: str, slug: str):
        import requests

        super().__init__(daemon=True)
        self.session = requests.Session()
        self.session.cookies.set(cookie_name, session_key)
        self.urls = [f"{base}/cabinet/groups/{slug}/", f"{base}/cabinet/groups/{slug}/members/"]
        self.answers: list[tuple[float, str, int]] = []
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            for url in self.urls:
                try:
                    status = self.session.get(url, timeout=20, allow_redirects=False).status_code
                except OSError:
                    status = 0
                self.answers.append((time.monotonic(), url.rsplit("/", 2)[-2], status))
            time.sleep(0.5)


def start_redis(port: int, work_dir: Path) -> subprocess.Popen:
    work_dir.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(work_dir),
        ],
        stdout=open(work_dir / "redis.log", "a"),  # noqa: SIM115 - lives with the process
        stderr=subprocess.STDOUT,
    )
    import redis

    client = redis.Redis(port=port)
    common.wait_until(lambda: _pings(client), timeout=10, every=0.1)
    return process


def _pings(client) -> bool:
    try:
        return bool(client.ping())
    except Exception:  # noqa: BLE001
        return False


def stop_redis(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=15)


async def traffic(args, clients, redis_box, work_dir):
    tasks = [asyncio.create_task(c._connection()) for c in clients]
    tasks += [asyncio.create_task(c._sender(args.interval)) for c in clients]
    await asyncio.sleep(args.before)
    common.log(
        f"stop Redis for {args.outage:.0f} s; sent so far {sum(len(c.sent) for c in clients)}"
    )
    await asyncio.to_thread(stop_redis, redis_box["process"])
    redis_box["down"] = time.monotonic()
    await asyncio.sleep(args.outage)
    redis_box["process"] = await asyncio.to_thread(start_redis, args.redis_port, work_dir)
    redis_box["up"] = time.monotonic()
    common.log("Redis restarted (empty)")
    await asyncio.sleep(args.after)
    for c in clients:
        c.sending = False
    common.log("sending stopped; settling")
    await asyncio.sleep(3)
    await asyncio.gather(*(c.settle(60) for c in clients))
    await asyncio.sleep(3)  # the last live deliveries
    # A last catch-up for everyone: what the other person's tab shows after a reload.
    for c in clients:
        if c.socket is not None:
            with contextlib.suppress(Exception):
                await c.socket.close()
    await asyncio.sleep(3)
    for c in clients:
        c.finished = True
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def count(clients, peers, token) -> tuple[common.Row, dict]:
    from extranet.chat.models import Message

    stored = [
        parse_marker(body, token)
        for body in Message.objects.filter(body__contains=token).values_list("body", flat=True)
    ]
    delivered = []
    for c in clients:
        peer = peers[c.name]
        delivered += [
            parse_marker(p["text"], token)
            for p in peer.received.values()
            if p["sender"] == c.user_id and parse_marker(p["text"], token)
        ]
    sent = [cid for c in clients for cid in c.sent]
    row = common.delivery_row(
        "chat messages (by client id)",
        sent=sent,
        stored=[s for s in stored if s],
        delivered=delivered,
        note=(
            f"acked {sum(len(c.acked) for c in clients)}, sent again after a reconnect "
            f"{sum(c.resent for c in clients)}, connects {sum(c.connects for c in clients)}"
        ),
    )
    return row, {"outstanding": sum(len(c.outstanding) for c in clients)}


def main(argv=None) -> int:
    args = parse_args(argv)
    work_dir = args.work_dir / "redis_outage"
    redis_box = {"process": start_redis(args.redis_port, work_dir / "redis")}
    outcome = common.Outcome()
    token = secrets.token_hex(4)
    try:
        with common.Stack(args, "redis_outage", extra_env={"CHAT_RATE_LIMIT": "1000"}) as stack:
            stack.django_setup()
            from extranet.chat.models import Message

            pairs = pairs_of_people(args.pairs)
            if len(pairs) < args.pairs:
                raise SystemExit(f"only {len(pairs)} conversations to use")
            people = [pk for _c, a, b in pairs for pk in (a, b)]
            member = next(m for m in stack.plan["members"] if m["groups"])
            sessions = stack.sessions_for([*people, member["user_id"]])
            start = Message.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            ws_url = stack.base_url.replace("http://", "ws://", 1) + "/ws/chat/"
            name = stack.cookie_name()
            clients, peers = [], {}
            for n, (conversation, a, b) in enumerate(pairs):
                pair = [
                    common_client(
                        n,
                        side,
                        pk,
                        f"{name}={sessions[pk]}",
                        conversation,
                        ws_url,
                        stack.base_url,
                        token,
                        start,
                    )
                    for side, pk in (("a", a), ("b", b))
                ]
                clients += pair
                peers[pair[0].name], peers[pair[1].name] = pair[1], pair[0]
            prober = PageProber(
                stack.base_url, name, sessions[member["user_id"]], member["groups"][0]
            )
            prober.start()
            asyncio.run(traffic(args, clients, redis_box, work_dir / "redis"))
            prober.stop.set()
            prober.join(timeout=30)
            row, extra = count(clients, peers, token)
            outcome.rows.append(row)
    finally:
        with contextlib.suppress(Exception):
            stop_redis(redis_box["process"])
    down, up = redis_box.get("down", 0), redis_box.get("up", 0)
    during = [status for at, _page, status in prober.answers if down <= at <= up]
    outcome.check(
        "feed and directory answered 200 from the database while Redis was down",
        bool(during) and set(during) == {200},
        f"{len(during)} requests, statuses {sorted(set(during))}",
    )
    after = [status for at, _page, status in prober.answers if at > up]
    outcome.check(
        "pages answer 200 after the restart",
        bool(after) and set(after) == {200},
        f"{len(after)} requests, statuses {sorted(set(after))}",
    )
    outcome.check("no message left unacknowledged", extra["outstanding"] == 0, str(extra))
    return common.finish(
        f"Redis stopped {args.outage:.0f} s during chat ({2 * args.pairs} clients)", outcome
    )


def common_client(n, side, pk, cookie, conversation, ws_url, origin, token, start) -> ChatClient:
    return ChatClient(
        name=f"p{n}{side}",
        user_id=pk,
        cookie=cookie,
        conversation=conversation,
        ws_url=ws_url,
        origin=origin,
        token=token,
        start=start,
    )


if __name__ == "__main__":
    sys.exit(main())
