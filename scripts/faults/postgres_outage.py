#!/usr/bin/env python
"""Fault: PostgreSQL unreachable for ``--cut`` seconds, then back.

The machine's PostgreSQL stays up for everyone else: the stack's processes reach it through
a TCP proxy in this process (tcpproxy.py, port ``--port + 50``), which the script cuts
(listener closed, every open connection aborted) and restores. Meanwhile a member posts to
a group's feed, one post with a file after another, and a prober asks ``/healthz``, the home
page and the member's feed. Checks:

- while cut: ``/healthz`` answers 503; pages answer the designed error page
  (templates/500.html: ``page-error``), never a traceback, an empty body or nginx's 502/504;
- nothing half-written: every post is either whole (row, attachment row, file on disk) or
  absent, and every post the site acknowledged (302) is stored once;
- after the restore the site recovers by itself: how many requests until ``/healthz`` and
  the pages answer 200 again::

    .venv/bin/python scripts/faults/postgres_outage.py [--cut 25]
"""

from __future__ import annotations

import secrets
import sys
import threading
import time
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
from tcpproxy import CuttableProxy

# As in scripts/loadtest: the production settings' Secure cookies over plain HTTP.
DefaultCookiePolicy.return_ok_secure = lambda self, cookie, request: True

PROXY_PORT_OFFSET = 15  # inside the scenario's 20 ports: the stack uses +0, +1, +10, +11


def parse_args(argv=None):
    parser = common.base_parser(__doc__, port=8660, redis_db=8)
    parser.add_argument("--cut", type=float, default=25.0, help="seconds without PostgreSQL")
    return parser.parse_args(argv)


def proxied_url(database_url: str, port: int) -> str:
    """The same database through the proxy on 127.0.0.1:``port`` (pure: tested)."""
    parsed = urlparse(database_url)
    user = f"{parsed.username}@" if parsed.username else ""
    if parsed.password:
        user = f"{parsed.username}:{parsed.password}@"
    return parsed._replace(netloc=f"{user}127.0.0.1:{port}").geturl()


def designed_error(status: int, body: str) -> bool:
    """The site's own error page: 500/503 with templates/500.html, no traceback (pure)."""
    return (
        status in (500, 503)
        and "page-error" in body
        and "Traceback" not in body
        and "psycopg" not in body
    )


class Poster(threading.Thread):
    """A member posting a document to the feed, one post after another, until stopped."""

    def __init__(self, session, base: str, slug: str, token: str):
        super().__init__(daemon=True)
        self.session, self.base, self.slug, self.token = session, base, slug, token
        self.attempts: list[tuple[str, int]] = []  # (post token, status or 0 for no answer)
        self.stop = threading.Event()

    def run(self):
        url = f"{self.base}/cabinet/groups/{self.slug}/posts/new/"
        n = 0
        while not self.stop.is_set():
            n += 1
            marker = f"{self.token}-{n:03d}"
            try:
                response = self.session.post(
                    url,
                    data={
                        "text": f"Отказ базы {marker}",
                        "kind": "document",
                        "csrfmiddlewaretoken": self.session.cookies.get("csrftoken"),
                    },
                    files={"files": (f"fault-{marker}.txt", f"Файл {marker}\n".encode() * 200)},
                    allow_redirects=False,
                    timeout=40,
                )
                status = response.status_code
            except OSError:
                status = 0
            self.attempts.append((marker, status))
            time.sleep(0.3)


def probe(session, base: str, feed: str) -> dict[str, tuple[int, str]]:
    import requests

    out = {}
    for name, url, client in (
        ("healthz", f"{base}/healthz", requests),
        ("home", f"{base}/", requests),
        ("feed", f"{base}{feed}", session),
    ):
        try:
            response = client.get(url, timeout=40, allow_redirects=False)
            out[name] = (response.status_code, response.text)
        except OSError as error:
            out[name] = (0, repr(error))
    return out


def consistency(token: str, private_root: Path) -> dict[str, dict]:
    """Per post marker: rows and files found (the direct database, not the proxy)."""
    from extranet.feed.models import Attachment, Post

    found: dict[str, dict] = {}
    for post in Post.objects.filter(text__contains=token):
        marker = post.text.rsplit(" ", 1)[-1]
        entry = found.setdefault(marker, {"posts": 0, "attachments": 0, "files": 0})
        entry["posts"] += 1
        for attachment in Attachment.objects.filter(post=post):
            entry["attachments"] += 1
            entry["files"] += int((private_root / attachment.file.name).is_file())
    for path in private_root.rglob(f"fault-{token}-*.txt"):
        marker = path.stem.removeprefix("fault-")
        found.setdefault(marker, {"posts": 0, "attachments": 0, "files": 0})
        if not found[marker]["posts"]:
            found[marker]["files"] += 1  # a file that no row names
    return found


def main(argv=None) -> int:
    import requests

    args = parse_args(argv)
    proxy_port = args.port + PROXY_PORT_OFFSET
    target = urlparse(args.database_url)
    proxy = CuttableProxy(
        listen_port=proxy_port,
        target_host=target.hostname or "127.0.0.1",
        target_port=target.port or 5432,
    ).start()
    outcome = common.Outcome()
    token = secrets.token_hex(4)
    try:
        with common.Stack(
            args, "postgres_outage", app_database_url=proxied_url(args.database_url, proxy_port)
        ) as stack:
            stack.django_setup()
            member = next(m for m in stack.plan["members"] if m["groups"])
            session = requests.Session()
            session.cookies.set(
                stack.cookie_name(), stack.sessions_for([member["user_id"]])[member["user_id"]]
            )
            slug = member["groups"][0]
            feed = f"/cabinet/groups/{slug}/"
            form = session.get(f"{stack.base_url}{feed}posts/new/", timeout=30)
            outcome.check(
                "the composer opens before the cut", form.status_code == 200, str(form.status_code)
            )
            poster = Poster(session, stack.base_url, slug, token)
            poster.start()
            time.sleep(3)
            common.log(f"cut PostgreSQL for {args.cut:.0f} s ({len(poster.attempts)} posts so far)")
            proxy.cut()
            cut_until = time.monotonic() + args.cut
            during: list[dict] = []
            while time.monotonic() < cut_until - 2:
                during.append(probe(session, stack.base_url, feed))
            poster.stop.set()
            poster.join(timeout=60)
            proxy.restore()
            common.log("PostgreSQL reachable again")
            restored = time.monotonic()
            until_200 = {"healthz": None, "home": None, "feed": None}
            requests_made = 0
            while any(v is None for v in until_200.values()) and time.monotonic() - restored < 120:
                answers = probe(session, stack.base_url, feed)
                requests_made += 1
                for name, (status, _body) in answers.items():
                    if until_200[name] is None and status == 200:
                        until_200[name] = requests_made
                time.sleep(0.2)
            seconds = time.monotonic() - restored
            found = consistency(token, stack.topology.private_media_root)
    finally:
        proxy.stop()

    health = [p["healthz"][0] for p in during]
    pages = [(name, p[name]) for p in during for name in ("home", "feed")]
    outcome.check(
        "/healthz says 503 while cut", bool(health) and set(health) == {503}, f"statuses {health}"
    )
    bad = [(name, status) for name, (status, body) in pages if not designed_error(status, body)]
    outcome.check(
        "pages answer the designed error page while cut (no traceback, no blank, no 502)",
        bool(pages) and not bad,
        f"{len(pages)} page requests, not designed: {bad[:5]}",
    )
    half = {
        marker: entry
        for marker, entry in found.items()
        if entry["posts"] and not (entry["posts"] == entry["attachments"] == entry["files"])
    }
    orphans = sorted(m for m, entry in found.items() if not entry["posts"] and entry["files"])
    outcome.check(
        "nothing half-written (every stored post has its attachment row and its file)",
        not half,
        f"{half}; files without a row (commit outcome unknown, kept): {len(orphans)}",
    )
    outcome.check(
        "recovers by itself: 200 again after the restore",
        all(v is not None for v in until_200.values()),
        f"requests until 200: {until_200}, {seconds:.1f} s",
    )
    acknowledged = [marker for marker, status in poster.attempts if status == 302]
    refused = [status for _marker, status in poster.attempts if status != 302]
    stored = [m for m, entry in found.items() for _ in range(entry["posts"])]
    outcome.rows.append(
        common.Row(
            name="feed posts with a file",
            sent=len(poster.attempts),
            stored=len(set(stored)),
            delivered=len(acknowledged),
            lost=len(set(acknowledged) - set(stored)),
            duplicated=len(stored) - len(set(stored)),
            note=(
                "delivered = acknowledged with 302; "
                f"{len(refused)} refused during the cut (statuses {sorted(set(refused))}), "
                f"{len(set(stored) - set(acknowledged))} stored without an acknowledgement"
            ),
        )
    )
    return common.finish(f"PostgreSQL unreachable for {args.cut:.0f} s", outcome)


if __name__ == "__main__":
    sys.exit(main())
