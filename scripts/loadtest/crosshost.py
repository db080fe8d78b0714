#!/usr/bin/env python
"""More than one app host, proved on one machine: starts two identical stacks (run.py's
``--stacks 2``: gunicorn + uvicorn + task worker each, the same PostgreSQL, Redis and media
folders) behind one nginx, and checks that what a person does crosses them:

1. a session made by signing in on stack A works on stack B, and through the balancer
   (round-robin, no stickiness) every request of it is signed in, whichever stack answers;
2. a file attached to a feed post through stack B's form downloads, byte for byte, through
   stack A (its permission check, then the shared folder), and a guest gets 404 for it;
3. a chat message sent on B's websocket reaches the recipient's websocket on A (Redis
   Pub/Sub channel layer), and is stored once.

"Stack A's port" is nginx's server that reaches stack A only (topology.py), as a host's own
address would. Prints each check, exits 1 when one fails. Usage (about a minute)::

    .venv/bin/python scripts/loadtest/crosshost.py [--database-url ...] [--redis-url ...]

Takes run.py's options (database, Redis, ports, work dir); the database is seeded when empty.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import sys
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import requests  # noqa: E402
import run  # noqa: E402
import websockets  # noqa: E402

# As in locustfile.py: the production settings' Secure cookies over plain HTTP to 127.0.0.1.
DefaultCookiePolicy.return_ok_secure = lambda self, cookie, request: True

results: list[tuple[str, bool, str]] = []


def check(name: str, ok: bool, detail: str = "") -> bool:
    results.append((name, ok, detail))
    print(f"{'PASS' if ok else 'FAIL'}  {name}{f'  ({detail})' if detail else ''}", flush=True)
    return ok


def sign_in(base: str, email: str, password: str, address: str) -> requests.Session:
    session = requests.Session()
    session.headers["X-Forwarded-For"] = address
    session.get(f"{base}/accounts/login/", timeout=30)
    response = session.post(
        f"{base}/accounts/login/",
        data={
            "login": email,
            "password": password,
            "csrfmiddlewaretoken": session.cookies.get("csrftoken"),
        },
        allow_redirects=False,
        timeout=30,
    )
    if response.status_code != 302:
        raise SystemExit(f"sign-in of {email} at {base} answered {response.status_code}")
    return session


def django_setup(env: dict) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(run.ROOT))
    import django

    django.setup()


def pick_people(plan: dict):
    """A member who may post in a group and has a conversation, and its other participant."""
    from extranet.chat.models import Conversation

    for member in plan["members"]:
        if member["conversations"] and member["groups"]:
            conversation = Conversation.objects.select_related("user_a", "user_b").get(
                pk=member["conversations"][0]
            )
            other = (
                conversation.user_b
                if conversation.user_a.email == member["email"]
                else conversation.user_a
            )
            return member, other.email, conversation.pk
    raise SystemExit("the plan has no member with a conversation")


def check_sessions(a: str, b: str, balancer: str, member: dict, password: str) -> requests.Session:
    session = sign_in(a, member["email"], password, "10.200.0.1")
    response = session.get(f"{b}/cabinet/", allow_redirects=False, timeout=30)
    check(
        "session made on A is signed in on B",
        response.status_code == 200,
        f"GET B /cabinet/ → {response.status_code}",
    )
    upstreams = set()
    statuses = []
    for _ in range(6):
        response = session.get(f"{balancer}/cabinet/", allow_redirects=False, timeout=30)
        statuses.append(response.status_code)
        upstreams.add(response.headers.get("X-Upstream", "?"))
    check(
        "balancer without sticky sessions: every request signed in, both stacks answered",
        set(statuses) == {200} and len(upstreams) >= 2,
        f"statuses {sorted(set(statuses))}, upstreams {sorted(upstreams)}",
    )
    return session


def check_files(a: str, b: str, session: requests.Session, member: dict) -> None:
    from extranet.feed.models import Attachment

    slug = member["groups"][0]
    token = secrets.token_hex(8)
    name = f"crosshost-{token}.txt"
    content = f"Файл для проверки между хостами {token}\n".encode() * 50
    response = session.post(
        f"{b}/cabinet/groups/{slug}/posts/new/",
        data={
            "text": f"Проверка между хостами {token}",
            "kind": "document",
            "csrfmiddlewaretoken": session.cookies.get("csrftoken"),
        },
        files={"files": (name, content, "text/plain")},
        allow_redirects=False,
        timeout=30,
    )
    check("upload through B's feed form", response.status_code == 302, f"→ {response.status_code}")
    attachment = Attachment.objects.filter(name=name).first()
    if not check("the attachment is stored", attachment is not None, name):
        return
    download = session.get(f"{a}/files/{attachment.pk}/", timeout=30)
    check(
        "download of B's upload through A, byte for byte",
        download.status_code == 200 and download.content == content,
        f"→ {download.status_code}, {len(download.content)} of {len(content)} bytes",
    )
    guest = requests.get(f"{a}/files/{attachment.pk}/", timeout=30)
    check("a guest gets 404 for it on A", guest.status_code == 404, f"→ {guest.status_code}")


def _ws_url(base: str) -> str:
    return base.replace("http://", "ws://", 1) + "/ws/chat/"


def _cookie_header(session: requests.Session) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies)


async def _chat(a: str, b: str, receiver, sender, conversation_id: int, text: str):
    async with (
        websockets.connect(
            _ws_url(a), origin=a, additional_headers={"Cookie": _cookie_header(receiver)}
        ) as on_a,
        websockets.connect(
            _ws_url(b), origin=b, additional_headers={"Cookie": _cookie_header(sender)}
        ) as on_b,
    ):
        # The consumer joins the person's group before it accepts the handshake, so both
        # sockets are listening once connect() returns.
        await on_b.send(
            json.dumps(
                {"type": "send", "conversation": conversation_id, "text": text, "client_id": 1}
            )
        )

        async def wait_for(socket, predicate):
            while True:
                frame = json.loads(await socket.recv())
                if predicate(frame):
                    return frame

        ack = await asyncio.wait_for(
            wait_for(on_b, lambda f: f.get("type") in {"ack", "error"}), 15
        )
        received = await asyncio.wait_for(
            wait_for(
                on_a,
                lambda f: f.get("type") == "message" and f["message"].get("text") == text,
            ),
            15,
        )
        return ack, received


def check_chat(a: str, b: str, member_session, member: dict, other_email, conversation_id, pw):
    from extranet.chat.models import Message

    sender = sign_in(b, other_email, pw, "10.200.0.2")
    text = f"Между хостами {secrets.token_hex(6)}"
    try:
        ack, received = asyncio.run(_chat(a, b, member_session, sender, conversation_id, text))
    except (TimeoutError, OSError, websockets.WebSocketException) as error:
        check("chat message sent on B reaches A's websocket", False, repr(error))
        return
    check("chat message sent on B is acknowledged on B", ack.get("type") == "ack", ack.get("type"))
    check(
        "chat message sent on B reaches the recipient's websocket on A",
        received["message"]["text"] == text,
        f"message {received['message'].get('id')}",
    )
    stored = Message.objects.filter(body=text).count()
    check("the message is stored once", stored == 1, f"{stored} row(s)")


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = run.parse_args([*argv, "--stacks", "2"])
    topology = run.build_topology(args)
    with run.Harness(args, topology) as harness:
        plan = harness.prepare()
        harness.start()
        django_setup(harness.env)
        a = f"http://{run.HOST}:{topology.stacks[0].direct_port}"
        b = f"http://{run.HOST}:{topology.stacks[1].direct_port}"
        member, other_email, conversation_id = pick_people(plan)
        print(f"A = {a} (stack A only), B = {b} (stack B only), balancer {topology.base_url}")
        session = check_sessions(a, b, topology.base_url, member, plan["password"])
        check_files(a, b, session, member)
        check_chat(a, b, session, member, other_email, conversation_id, plan["password"])
    failed = [name for name, ok, _detail in results if not ok]
    print(f"\n{len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
