"""The load mix, for locust (run.py starts it headless; it can also run alone:
``LOADTEST_PLAN=plan.json locust -f scripts/loadtest/locustfile.py --host http://127.0.0.1:8480``).

Three kinds of simulated people, counts from the environment (run.py sets them per step):

- ``Guest`` (``LOADTEST_GUESTS``): no cookies ever kept, so each request is a first visit;
  browses the public pages of the plan, one every ``LOADTEST_GUEST_WAIT`` s on average.
- ``Member`` (``LOADTEST_MEMBERS``): signs in through allauth's form (CSRF token from the
  form's cookie), keeps a chat websocket (``/ws/chat/``) open the whole run as the header's
  script does, and does one action per ``LOADTEST_MEMBER_PACING`` s on average (constant
  pacing): read the group feed, the member directory, the conversation list, post to the
  feed, or send a chat message (timed from send to the server's ack).
- ``Admin`` (``LOADTEST_ADMINS``): signs in, opens the applications queue and approves one
  pending application per ``LOADTEST_MEMBER_PACING`` s.

Every simulated person sends its own ``X-Forwarded-For`` address (nginx appends the real
one), so allauth's per-IP rate limits and the audience count see many people, as in life.

Request names are the report's row names: ``guest: <page>``, ``member: feed`` and so on.
Guests' answers with ``X-Page-Cache: hit`` are counted and written to ``LOADTEST_HITS``.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from http.cookiejar import DefaultCookiePolicy

import gevent
import websocket  # websocket-client; locust's gevent makes its socket cooperative
from gevent.event import AsyncResult
from locust import HttpUser, between, constant_pacing, events, task

PLAN = json.loads(open(os.environ.get("LOADTEST_PLAN", "plan.json"), encoding="utf-8").read())  # noqa: SIM115
GUEST_WAIT = float(os.environ.get("LOADTEST_GUEST_WAIT", "2"))
PACING = float(os.environ.get("LOADTEST_MEMBER_PACING", "10"))
HITS_FILE = os.environ.get("LOADTEST_HITS", "")
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

_addresses = itertools.count(1)
_member_accounts = itertools.cycle(PLAN["members"] or [None])
_admin_accounts = itertools.cycle(PLAN["admins"] or [None])
_client_ids = itertools.count(1)
hits: dict[str, list[int]] = {}


def fake_address() -> str:
    """A distinct client address per simulated person (10.x.y.z)."""
    n = next(_addresses)
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


# Send Secure cookies over plain HTTP: the production settings mark the session and CSRF
# cookies Secure, and behind TLS a browser would send them; here nothing terminates TLS. For
# the whole process (it is only a load generator): requests copies a session's cookies into a
# new jar with the default policy for every request, so a policy set on one jar is not kept.
DefaultCookiePolicy.return_ok_secure = lambda self, cookie, request: True


def _count_hit(name: str, response) -> None:
    counts = hits.setdefault(name, [0, 0])
    counts[1] += 1
    if response.headers.get("X-Page-Cache", "").lower() == "hit":
        counts[0] += 1


@events.reset_stats.add_listener
def _reset_hits(**kwargs):
    hits.clear()


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
            else:
                _count_hit(name, response)
        self.client.cookies.clear()


class SignedIn(HttpUser):
    abstract = True
    account: dict | None = None

    def sign_in(self) -> bool:
        self.client.headers["X-Forwarded-For"] = fake_address()
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
    wait_time = constant_pacing(PACING)

    def on_start(self):
        self.account = next(_member_accounts)
        self.socket = None
        self.pending: dict[int, tuple[AsyncResult, float]] = {}
        if self.account is None or not self.sign_in():
            self.stop()
            return
        # Reading one's position in time: the first action of everyone is not at once.
        gevent.sleep(random.uniform(0, PACING))  # noqa: S311
        self.open_socket()

    def on_stop(self):
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
    wait_time = constant_pacing(PACING)

    def on_start(self):
        self.account = next(_admin_accounts)
        if self.account is None or not self.sign_in():
            self.stop()

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
