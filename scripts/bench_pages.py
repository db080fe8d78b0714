#!/usr/bin/env python
"""Benchmark the public pages in-process: latency percentiles and SQL queries per request.

Usage (on whatever DATABASE_URL / REDIS_URL the environment names; defaults to a throwaway
SQLite file so it never touches your development data):

    .venv/bin/python scripts/bench_pages.py [--requests 200] [--scale 1] [--keep-db PATH]
        [--reuse-db] [--only SUBSTRING ...]

It migrates a fresh database, runs ``seed_demo --scale N``, warms each page once, then times
``--requests`` sequential GETs per page with Django's test client (no network, no server:
this measures the application's own cost). Record the printed table in docs/performance.md.

``--reuse-db`` with ``--keep-db`` skips the migration and the seeding when the file is
already there (a second run on the data of the first: before and after a change).
``--only`` times only the given paths (an entry ending in ``*`` is a prefix), e.g.
``--only '/cabinet/groups/gorki/?after=*' /cabinet/messages/``; a path timed for several
people is timed for each.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def require(condition, message) -> None:
    """Stop with ``message`` unless ``condition`` holds (asserts vanish under -O)."""
    if not condition:
        raise SystemExit(f"FAILED: {message}")


def measure(client, connection, capture, path: str, requests: int) -> None:
    response = client.get(path)
    require(response.status_code == 200, (path, response.status_code))
    connection.queries_log.clear()
    with capture(connection) as queries:
        client.get(path)
    query_count = len(queries)
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    median = statistics.median(timings)
    p95 = timings[int(len(timings) * 0.95) - 1]
    shown = path if len(path) < 42 else path[:38] + "…"
    print(f"{shown:<42}{median:>11.2f}{p95:>9.2f}{1000 / median:>8.0f}{query_count:>9}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--keep-db", help="SQLite file to use instead of a temporary one")
    parser.add_argument(
        "--reuse-db",
        action="store_true",
        help="with --keep-db: do not migrate and seed when the file exists",
    )
    parser.add_argument(
        "--only", nargs="+", default=(), help="time only these paths (a trailing * makes a prefix)"
    )
    args = parser.parse_args()
    reuse = bool(args.reuse_db and args.keep_db and Path(args.keep_db).exists())

    tmp = tempfile.mkdtemp(prefix="cms-bench-")
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{args.keep_db or Path(tmp) / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    os.environ["CMS_READ_DOTENV"] = "0"
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")

    import warnings

    import django

    # whitenoise warns that collectstatic has not run; static files are not measured here.
    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.core.management import call_command
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    # Keep one connection across requests, as production's connection pool does; otherwise
    # every request would also pay for connecting (and the query log would reset).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)

    if not reuse:
        call_command("migrate", verbosity=0, interactive=False)
        call_command(
            "seed_demo",
            "--force",
            "--scale",
            str(args.scale),
            verbosity=0,
            stdout=io.StringIO(),
        )

    paths = [
        "/",
        "/about/",
        "/en/",
        "/search/?q=кластер",
        "/initiatives/",
        "/initiatives/?stage=active",
        "/initiatives/gorki/",
        "/news/",
        "/news/?tag=seminar",
        "/news/feed/",
        "/sitemap.xml",
        "/healthz",
    ]
    # Events (issue 12): the list, the month calendar, the plan, the iCal feed and one page.
    from events.models import EventPage

    events = EventPage.objects.live().order_by("starts_at")
    require(events.exists(), "seed_demo made no events")
    print(f"live events: {events.count()}")
    paths += [
        "/events/",
        "/events/?view=calendar",
        "/events/plan/",
        "/events/calendar.ics",
        events.first().url,
    ]
    # The ideas exchange (issue 13): the board, a filter, a search, the RSS feed, one idea.
    from ideas_exchange.models import Idea

    ideas = Idea.objects.filter(moderation="approved", visibility="public").order_by("pk")
    require(ideas.exists(), "seed_demo made no public ideas")
    print(f"approved ideas: {Idea.objects.filter(moderation='approved').count()}")
    paths += [
        "/ideas/",
        "/ideas/?kind=request",
        "/ideas/?q=оборудование",
        "/ideas/rss/",
        f"/ideas/{ideas.first().pk}/",
    ]
    from django.contrib.auth import get_user_model

    User = get_user_model()
    print(f"database: {connection.vendor}; requests per page: {args.requests}; scale: {args.scale}")
    print(f"{'path':<42}{'median ms':>11}{'p95 ms':>9}{'req/s':>8}{'queries':>9}")
    # (who, paths): guests first, then the extranet pages as the people who use them.
    # A fellow member's card: the first approved member of «gorki» who is not its admin.
    from extranet.members.models import Membership

    fellow = (
        Membership.objects.filter(initiative__slug="gorki", status="approved", role="member")
        .order_by("user__last_name", "pk")
        .values_list("user_id", flat=True)
        .first()
    )
    # An ordinary member of «gorki» with conversations: the one with the most.
    from extranet.chat.models import Participant

    member_ids = Membership.objects.filter(
        initiative__slug="gorki", status="approved", role="member"
    ).values_list("user_id", flat=True)
    talker = (
        Participant.objects.filter(user_id__in=member_ids)
        .values_list("user_id")
        .annotate(n=Count("id"))
        .order_by("-n", "user_id")
        .first()
    )
    member_email = User.objects.get(pk=talker[0] if talker else fellow).email
    # The feed's second page, found by the keyset cursor «Показать ещё» carries.
    from extranet.feed import selectors as feed_selectors
    from initiatives.models import InitiativePage

    cursor = feed_selectors.feed_page(
        initiative=InitiativePage.objects.get(slug="gorki")
    ).next_cursor
    more = [f"/cabinet/groups/gorki/?after={cursor}"] if cursor else []
    plan = [
        (None, paths),
        (
            "admin.gorki@example.com",
            [
                "/cabinet/",
                "/cabinet/groups/gorki/applications/",
                "/cabinet/groups/gorki/",
                *more,
                "/cabinet/groups/gorki/documents/",
                "/cabinet/groups/gorki/members/",
                f"/cabinet/people/{fellow}/",
                "/ideas/",
                f"/ideas/{ideas.first().pk}/",
            ],
        ),
        # A member's pages (issue 15, part 2): the conversation list, the directory, the
        # events list and the ideas board as an ordinary approved member sees them.
        (
            member_email,
            [
                "/cabinet/messages/",
                "/cabinet/groups/gorki/",
                "/cabinet/groups/gorki/members/",
                "/events/",
                "/ideas/",
            ],
        ),
        (
            "admin@example.com",
            ["/cabinet/admin/users/", "/cabinet/admin/initiatives/", "/cabinet/groups/"],
        ),
    ]
    for email, who_paths in plan:
        client = Client()
        if email:
            client.force_login(User.objects.get(email=email))
        for path in who_paths:
            if args.only and not any(
                path.startswith(only[:-1]) if only.endswith("*") else path == only
                for only in args.only
            ):
                continue
            measure(client, connection, CaptureQueriesContext, path, args.requests)
    return 0


if __name__ == "__main__":
    sys.exit(main())
