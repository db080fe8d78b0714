"""The load mix, for locust (run.py starts it headless; it can also run alone:
``LOADTEST_PLAN=plan.json locust -f scripts/loadtest/locustfile.py --host http://127.0.0.1:8480``).

Three kinds of simulated people, counts from the environment (run.py sets them per step):

- ``Guest`` (``LOADTEST_GUESTS``): no cookies ever kept, so each request is a first visit;
  browses the public pages of the plan, one every ``LOADTEST_GUEST_WAIT`` s on average.
- ``Member`` (``LOADTEST_MEMBERS``): is signed in (the session prepare.py made, as for
  someone who stays signed in; with ``LOADTEST_SIGN_IN=form`` through allauth's form), keeps
  a chat websocket (``/ws/chat/``) open the whole run as the header's script does, and does
  one action per ``LOADTEST_MEMBER_PACING`` s (constant pacing, each member's phase random):
  read the group feed, the member directory, the conversation list, post to the feed, or
  send a chat message (timed from send to the server's ack).
- ``Admin`` (``LOADTEST_ADMINS``): signed in the same way, opens the applications queue and
  approves one pending application per ``LOADTEST_MEMBER_PACING`` s.

The measured window: statistics are reset only when every member's and admin's ``on_start``
(sign-in, websocket connect) has finished and spawning is over (or after
``LOADTEST_READY_TIMEOUT`` s), then the run lasts ``LOADTEST_DURATION`` s more and stops
itself. What was connected at that moment is written to ``LOADTEST_START`` (JSON) and logged.

Every simulated person sends its own ``X-Forwarded-For`` address (nginx appends the real
one), so allauth's per-IP rate limits and the audience count see many people, as in life.

Request names are the report's row names: ``guest: <page>``, ``member: feed`` and so on.
Guests' answers with ``X-Page-Cache: hit`` are counted and written to ``LOADTEST_HITS``.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import random
import re
import string
import time
from http.cookiejar import DefaultCookiePolicy
from urllib.parse import urlparse

import gevent
import websocket  # websocket-client; locust's gevent makes its socket cooperative
from gevent.event import AsyncResult, Event
from locust import HttpUser, between, events, task
from locust.runners import STATE_SPAWNING

PLAN = json.loads(open(os.environ.get("LOADTEST_PLAN", "plan.json"), encoding="utf-8").read())  # noqa: SIM115
GUEST_WAIT = float(os.environ.get("LOADTEST_GUEST_WAIT", "2"))
PACING = float(os.environ.get("LOADTEST_MEMBER_PACING", "10"))
HITS_FILE = os.environ.get("LOADTEST_HITS", "")
START_FILE = os.environ.get("LOADTEST_START", "")
SIGN_IN = os.environ.get("LOADTEST_SIGN_IN", "session")
DURATION = float(os.environ.get("LOADTEST_DURATION", "0"))  # 0: run until locust's -t
READY_TIMEOUT = float(os.environ.get("LOADTEST_READY_TIMEOUT", "300"))
SESSION_COOKIE = PLAN.get("session_cookie", "sessionid")
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

_addresses = itertools.count(1)
_member_accounts = itertools.cycle(PLAN["members"] or [None])
_admin_accounts = itertools.cycle(PLAN["admins"] or [None])
_client_ids = itertools.count(1)
hits: dict[str, list[int]] = {}
_members: set = set()  # the running Member users (their sockets are counted at the start)


class Arrivals:
    """Members and admins whose on_start has finished, and how it went: the measured window
    opens when all have arrived."""

    def __init__(self, expected: int):
        self.expected = expected
        self.counts = {"members_connected": 0, "members_without_socket": 0, "admins": 0}
        self.failed = 0
        self.everyone = Event()
        if expected == 0:
            self.everyone.set()

    def arrive(self, kind: str | None) -> None:
        if kind is None:
            self.failed += 1
        else:
            self.counts[kind] += 1
        if sum(self.counts.values()) + self.failed >= self.expected:
            self.everyone.set()


arrivals = Arrivals(
    int(os.environ.get("LOADTEST_MEMBERS", "0")) + int(os.environ.get("LOADTEST_ADMINS", "0"))
)


def fake_address() -> str:
    """A distinct client address per simulated person (10.x.y.z)."""
    n = next(_addresses)
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


# Send Secure cookies over plain HTTP: the production settings mark the session and CSRF
# cookies Secure, and behind TLS a browser would send them; here nothing terminates TLS. For
# the whole process (it is only a load generator): requests copies a session's cookies into a
# new jar with the default policy for every request, so a policy set on one jar is not kept.
DefaultCookiePolicy.return_ok_secure = lambda self, cookie, request: True


@events.request.add_listener
def _count_hit(name, response=None, exception=None, **kwargs):
    """Guests' answers served from the page cache, counted where locust counts requests (so
    the two agree after a statistics reset)."""
    if not name.startswith("guest: ") or exception is not None or response is None:
        return
    counts = hits.setdefault(name, [0, 0])
    counts[1] += 1
    if response.headers.get("X-Page-Cache", "").lower() == "hit":
        counts[0] += 1


@events.reset_stats.add_listener
def _reset_hits(**kwargs):
    hits.clear()


def _measure(environment) -> None:
    """Reset the statistics once everyone is signed in and connected, then stop the run
    ``DURATION`` s later."""
    waited = time.monotonic()
    arrived = arrivals.everyone.wait(timeout=READY_TIMEOUT)
    runner = environment.runner
    while runner.state == STATE_SPAWNING:
        gevent.sleep(0.2)
    environment.stats.reset_all()
    hits.clear()
    members_open = sum(1 for member in _members if member.socket is not None)
    start = {
        **arrivals.counts,
        "sign_in_failures": arrivals.failed,
        "expected": arrivals.expected,
        "everyone_arrived": arrived,
        "waited_s": round(time.monotonic() - waited, 1),
        "users": runner.user_count,
        "members_open_now": members_open,
        "duration_s": DURATION,
    }
    logging.info("LOADTEST_START %s", json.dumps(start))
    if START_FILE:
        with open(START_FILE, "w", encoding="utf-8") as out:
            json.dump(start, out)
    if DURATION:
        gevent.sleep(DURATION)
        logging.info("measured %ss: stopping", DURATION)
        runner.quit()


@events.test_start.add_listener
def _start_measuring(environment, **kwargs):
    gevent.spawn(_measure, environment)


@events.test_stop.add_listener
def _write_hits(**kwargs):
    if HITS_FILE:
        with open(HITS_FILE, "w", encoding="utf-8") as out:
            json.dump(hits, out)


class Guest(HttpUser):
    """A visitor without an account: never keeps a cookie (the page cache's case)."""

    fixed_count = int(os.environ.get("LOADTEST_GUESTS", "0"))
    wait_time = between(GUEST_WAIT * 0.5, GUEST_WAIT * 1.5)

    def on_start(self):
        self.address = fake_address()

    @task
    def browse(self):
        page = random.choice(PLAN["public"])  # noqa: S311 - not security
        name = f"guest: {page['name']}"
        self.client.cookies.clear()
        with self.client.get(
            page["path"], name=name, headers={"X-Forwarded-For": self.address}, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
        self.client.cookies.clear()


def _csrf_secret() -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(random.choice(alphabet) for _ in range(32))  # noqa: S311


class SignedIn(HttpUser):
    abstract = True
    account: dict | None = None
    next_action = 0.0

    def wait_time(self) -> float:
        """Constant pacing anchored to each person's own schedule: an action every ``PACING``
        s from their first one (locust's constant_pacing counts from before on_start, so the
        random phase slept there would make the first two actions come together)."""
        now = time.perf_counter()
        self.next_action = max(now, self.next_action + PACING)
        return self.next_action - now

    def begin_pacing(self) -> None:
        """Sleep a random phase of the pacing interval; the first action follows at once."""
        gevent.sleep(random.uniform(0, PACING))  # noqa: S311
        self.next_action = time.perf_counter()

    def sign_in(self) -> bool:
        self.client.headers["X-Forwarded-For"] = fake_address()
        if SIGN_IN == "session" and self.account.get("session"):
            # Someone who stays signed in: the session prepare.py made, and the CSRF cookie a
            # browser got on an earlier visit (Django accepts its unmasked secret in the form).
            # The host's own domain, as the server's Set-Cookie has: its later CSRF cookie (same
            # value) then replaces this one instead of standing beside it.
            domain = urlparse(self.host).hostname
            self.client.cookies.set(SESSION_COOKIE, self.account["session"], domain=domain)
            self.client.cookies.set("csrftoken", _csrf_secret(), domain=domain)
            return True
        form = self.client.get("/accounts/login/", name="login form")
        token = self.client.cookies.get("csrftoken") or ""
        with self.client.post(
            "/accounts/login/",
            data={
                "login": self.account["email"],
                "password": PLAN["password"],
                "csrfmiddlewaretoken": token,
            },
            headers={"Referer": form.url},
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302 or "sessionid" not in self.client.cookies:
                response.failure(f"login refused ({response.status_code})")
                return False
        return True

    def csrf_token(self) -> str:
        return self.client.cookies.get("csrftoken") or ""

    def page(self, path: str, name: str):
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            return response


class Member(SignedIn):
    """A signed-in member of one or more groups, with the chat socket open."""

    fixed_count = int(os.environ.get("LOADTEST_MEMBERS", "0"))

    def on_start(self):
        self.account = next(_member_accounts)
        self.socket = None
        _members.add(self)
        self.pending: dict[int, tuple[AsyncResult, float]] = {}
        if self.account is None or not self.sign_in():
            arrivals.arrive(None)
            self.stop()
            return
        self.open_socket()
        arrivals.arrive("members_connected" if self.socket else "members_without_socket")
        # Each member's own phase: their actions are spread over the pacing interval.
        self.begin_pacing()

    def on_stop(self):
        _members.discard(self)
        if self.socket is not None:
            self.socket.close()
            self.socket = None

    def open_socket(self):
        cookies = "; ".join(f"{c.name}={c.value}" for c in self.client.cookies)
        url = self.host.replace("http", "ws", 1) + "/ws/chat/"
        started = time.perf_counter()
        try:
            self.socket = websocket.create_connection(
                url, header=[f"Cookie: {cookies}"], origin=self.host, timeout=30
            )
        except Exception as error:  # noqa: BLE001 - recorded as the failure it is
            self._report("ws connect", started, error)
            return
        self._report("ws connect", started, None)
        self.socket.send(json.dumps({"type": "hello", "last_id": 0}))
        gevent.spawn(self._read_loop, self.socket)

    def _read_loop(self, socket):
        while True:
            try:
                frame = json.loads(socket.recv())
            except Exception:  # noqa: BLE001 - closed (on_stop) or dropped
                if self.socket is socket:
                    self.socket = None
                for result, _started in self.pending.values():
                    result.set(RuntimeError("socket closed"))
                return
            if frame.get("type") == "ack" and frame.get("client_id") in self.pending:
                self.pending[frame["client_id"]][0].set(None)
            elif frame.get("type") == "error" and frame.get("client_id") in self.pending:
                self.pending[frame["client_id"]][0].set(RuntimeError(frame.get("code")))

    def _report(self, name, started, error):
        events.request.fire(
            request_type="WS",
            name=name,
            response_time=(time.perf_counter() - started) * 1000,
            response_length=0,
            exception=error,
            context={},
        )

    @task(4)
    def feed(self):
        self.page(f"/cabinet/groups/{random.choice(self.account['groups'])}/", "member: feed")  # noqa: S311

    @task(2)
    def directory(self):
        slug = random.choice(self.account["groups"])  # noqa: S311
        self.page(f"/cabinet/groups/{slug}/members/", "member: directory")

    @task(2)
    def messages(self):
        self.page("/cabinet/messages/", "member: messages")

    @task(1)
    def post(self):
        slug = random.choice(self.account["groups"])  # noqa: S311
        with self.client.post(
            f"/cabinet/groups/{slug}/posts/new/",
            data={
                "text": f"Нагрузочный тест: сообщение {random.randint(1, 10**9)}",  # noqa: S311
                "kind": PLAN["post_kind"],
                "csrfmiddlewaretoken": self.csrf_token(),
            },
            headers={"Referer": f"{self.host}/cabinet/groups/{slug}/"},
            name="member: post",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"status {response.status_code}")

    @task(2)
    def chat(self):
        if not self.account["conversations"]:
            self.feed()  # still one action in this pacing interval
            return
        if self.socket is None:
            self.open_socket()
            if self.socket is None:
                return
        client_id = next(_client_ids)
        result = AsyncResult()
        started = time.perf_counter()
        self.pending[client_id] = (result, started)
        error = None
        try:
            self.socket.send(
                json.dumps(
                    {
                        "type": "send",
                        "conversation": random.choice(self.account["conversations"]),  # noqa: S311
                        "text": f"Нагрузочный тест {client_id}",
                        "client_id": client_id,
                    }
                )
            )
            error = result.get(timeout=30)
        except Exception as exc:  # noqa: BLE001
            error = exc
        finally:
            self.pending.pop(client_id, None)
        self._report("member: chat send→ack", started, error)


class Admin(SignedIn):
    """An initiative's administrator working through the applications queue."""

    fixed_count = int(os.environ.get("LOADTEST_ADMINS", "0"))

    def on_start(self):
        self.account = next(_admin_accounts)
        if self.account is None or not self.sign_in():
            arrivals.arrive(None)
            self.stop()
            return
        arrivals.arrive("admins")
        self.begin_pacing()

    @task
    def approve(self):
        slug = self.account["slug"]
        self.page(f"/cabinet/groups/{slug}/applications/", "admin: applications")
        if not self.account["pending"]:
            return
        membership_id = self.account["pending"].pop(0)
        with self.client.post(
            f"/cabinet/groups/{slug}/applications/{membership_id}/approve/",
            data={"csrfmiddlewaretoken": self.csrf_token()},
            headers={"Referer": f"{self.host}/cabinet/groups/{slug}/applications/"},
            name="admin: approve",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"status {response.status_code}")
