#!/usr/bin/env python
"""Benchmark the indicators (issue 14) on PostgreSQL with ``seed_demo --scale large`` loaded.

Usage (a few minutes to seed, then about a minute; needs PostgreSQL on 127.0.0.1):

    .venv/bin/python scripts/bench_indicators.py
        [--database-url postgres://postgres@127.0.0.1:5432/bench_scale]
        [--redis-url redis://127.0.0.1:6379/14] [--runs 5] [--fresh-db] [--no-seed]
        [--slow 1.0] [--explain] [--jit on|off]

Steps:

1. The database is created when missing (``--fresh-db`` drops it first) and migrated;
   ``seed_demo --scale large --force`` is timed (on data already there it finds its rows
   and makes nothing: that run's time is printed too). ``--no-seed`` skips it.
2. ``extranet.dashboard.indicators.compute_report`` (no cache) for the platform and one
   initiative, for this year and this month: median and p95 over ``--runs`` runs, the number
   of SQL queries, and each section's own time and queries.
3. The page over HTTP with Django's test client as the portal admin
   (``/cabinet/admin/indicators/``, the platform and ``?initiative=``): cold (the cache
   cleared before each request) and cached (the same request again), median and p95 and
   queries.

Every query slower than ``--slow`` seconds is printed with its SQL; ``--explain`` adds its
``EXPLAIN (ANALYZE, BUFFERS)`` plan, to find the index it lacks. ``--jit off`` turns
PostgreSQL's JIT compilation off for the benchmark's connection (``SET jit = off``): the
report's few big aggregate queries have high estimated costs, so the server compiles each
(about half a second apiece) although they run in well under a second. Record the printed figures in
docs/performance.md.

The settings are ``cms.settings.dev`` with DEBUG off (as production renders), the database and
Redis named here; the cache is Redis when ``--redis-url`` is given (else local memory); e-mail
to memory and logging at WARNING, so the demo's own notices are not printed.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def require(condition, message) -> None:
    """Stop with ``message`` unless ``condition`` holds (asserts vanish under -O)."""
    if not condition:
        raise SystemExit(f"FAILED: {message}")


def database_ensure(url: str, *, fresh: bool) -> None:
    """Create the benchmark's database when missing (drop it first with ``fresh``)."""
    parts = urlparse(url)
    name = parts.path.lstrip("/")
    require(name and name.replace("_", "").isalnum(), f"bad database name {name!r}")
    base = [
        "psql",
        "-h",
        parts.hostname or "127.0.0.1",
        "-p",
        str(parts.port or 5432),
        "-U",
        parts.username or "postgres",
        "-d",
        "postgres",
        "-tAc",
    ]
    if fresh:
        subprocess.run([*base, f'DROP DATABASE IF EXISTS "{name}"'], check=True)
    found = subprocess.run(
        [*base, f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],  # noqa: S608 - checked
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if found != "1":
        subprocess.run([*base, f'CREATE DATABASE "{name}"'], check=True)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))]


class QueryLog:
    """Every SQL statement run inside ``capture()``: its time and text."""

    def __init__(self):
        self.rows: list[tuple[float, str, object]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.rows.append((time.perf_counter() - started, sql, params))


@contextmanager
def capture(connection):
    log = QueryLog()
    with connection.execute_wrapper(log):
        yield log


def line(label: str, timings_ms: list[float], queries: int) -> None:
    print(
        f"{label:<58}{statistics.median(timings_ms):>10.1f}"
        f"{percentile(timings_ms, 0.95):>10.1f}{queries:>9}"
    )


def header(title: str) -> None:
    print()
    print(title)
    print(f"{'':<58}{'median ms':>10}{'p95 ms':>10}{'queries':>9}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bench_scale")
    parser.add_argument("--redis-url", default="")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--fresh-db", action="store_true")
    parser.add_argument("--no-seed", action="store_true")
    parser.add_argument("--slow", type=float, default=1.0, help="seconds; print slower queries")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--jit", choices=["on", "off"], default="on")
    args = parser.parse_args()
    require(args.database_url.startswith("postgres"), "the benchmark runs on PostgreSQL")

    database_ensure(args.database_url, fresh=args.fresh_db)
    os.environ["DATABASE_URL"] = args.database_url
    if args.redis_url:
        os.environ["REDIS_URL"] = args.redis_url
    else:
        os.environ.pop("REDIS_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.dev"
    os.environ["CMS_READ_DOTENV"] = "0"
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    # The demo's own notices are e-mailed while seeding: kept in memory, not printed.
    os.environ["EMAIL_BACKEND"] = "locmem"
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation

    # One connection across requests, as production's pool keeps.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)

    print(f"python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cpus")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        print(f"PostgreSQL {cursor.fetchone()[0]}; cache: {args.redis_url or 'local memory'}")

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    print(f"migrate: {time.perf_counter() - started:.1f} s")
    if not args.no_seed:
        for attempt in ("first", "second"):
            out = io.StringIO()
            started = time.perf_counter()
            call_command("seed_demo", "--force", "--scale", "large", stdout=out)
            elapsed = time.perf_counter() - started
            summary = next(
                (row for row in out.getvalue().splitlines() if row.startswith("Demo data ready")),
                "",
            )
            print(f"seed_demo --scale large ({attempt} run): {elapsed:.1f} s — {summary}")
            for row in out.getvalue().splitlines():
                if row.startswith("  ") and row.rstrip().endswith(" s"):
                    print(f"    {row.strip()}")

    from django.contrib.auth import get_user_model

    from events.models import EventPage, Registration
    from extranet.chat.models import Message
    from extranet.dashboard import indicators
    from extranet.dashboard.indicators import compute_report
    from extranet.dashboard.indicators.base import Scope
    from extranet.dashboard.models import AudienceVisit
    from extranet.dashboard.periods import month_period, platform_today, year_period
    from extranet.feed.models import Comment, Post
    from extranet.members.models import Membership
    from ideas_exchange.models import Idea
    from initiatives.models import InitiativePage

    User = get_user_model()
    volumes = {
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "posts": Post.objects.count(),
        "comments": Comment.objects.count(),
        "chat messages": Message.objects.count(),
        "events": EventPage.objects.count(),
        "registrations": Registration.objects.count(),
        "ideas": Idea.objects.count(),
        "audience visits": AudienceVisit.objects.count(),
    }
    print("data: " + ", ".join(f"{k} {v:,}" for k, v in volumes.items()))
    require(volumes["chat messages"] >= 900_000, "the large data is not loaded")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        # Session-wide: the test client's requests run on this same connection.
        cursor.execute(f"SET jit = {'on' if args.jit == 'on' else 'off'}")
    print(f"jit: {args.jit}")

    today = platform_today()
    initiative = InitiativePage.objects.live().get(slug="gorki")
    periods = [
        ("year", year_period(today.year)),
        ("month", month_period(today.year, today.month)),
    ]
    scopes = [("platform", None), (f"initiative {initiative.slug}", initiative)]
    slow: list[tuple[float, str, object, str]] = []

    header(f"compute_report, cold (no cache), {args.runs} runs each")
    for scope_name, scope_initiative in scopes:
        scope = Scope(initiative=scope_initiative)
        for period_name, period in periods:
            timings, queries = [], 0
            for _ in range(args.runs):
                with capture(connection) as log:
                    started = time.perf_counter()
                    compute_report(scope=scope, period=period)
                    timings.append((time.perf_counter() - started) * 1000)
                queries = len(log.rows)
                label = f"{scope_name}, {period_name} {period.label}"
                slow += [(d, sql, p, label) for d, sql, p in log.rows if d > args.slow]
            line(f"{scope_name}, {period_name}", timings, queries)

    header("sections of the platform's year report, cold")
    scope, period = Scope(), periods[0][1]
    for section in indicators.SECTIONS:
        timings, queries = [], 0
        for _ in range(args.runs):
            with capture(connection) as log:
                started = time.perf_counter()
                section(scope=scope, period=period)
                timings.append((time.perf_counter() - started) * 1000)
            queries = len(log.rows)
        line(f"  {section.__module__.rsplit('.', 1)[-1]}", timings, queries)

    admin = User.objects.get(email="admin@example.com")
    client = Client()
    client.force_login(admin)
    with translation.override("ru"):
        base = reverse("dashboard:indicators")
    pages = [
        ("platform, this year", f"{base}?period=year&year={today.year}"),
        ("platform, this month", f"{base}?period=month&year={today.year}&month={today.month}"),
        (
            f"{initiative.slug}, this year",
            f"{base}?period=year&year={today.year}&initiative={initiative.slug}",
        ),
    ]
    header(f"GET {base} as the portal admin, {args.runs} runs each")
    for name, path in pages:
        response = client.get(path)
        require(response.status_code == 200, (path, response.status_code))
        for state in ("cold", "cached"):
            timings, queries = [], 0
            for _ in range(args.runs):
                if state == "cold":
                    cache.clear()
                with capture(connection) as log:
                    started = time.perf_counter()
                    response = client.get(path)
                    timings.append((time.perf_counter() - started) * 1000)
                require(response.status_code == 200, (path, response.status_code))
                queries = len(log.rows)
                if state == "cold":
                    slow += [(d, sql, p, f"GET {name}") for d, sql, p in log.rows if d > args.slow]
            line(f"{name}, {state}", timings, queries)

    print()
    if not slow:
        print(f"no query slower than {args.slow} s")
        return 0
    print(f"queries slower than {args.slow} s:")
    seen = set()
    for duration, sql, params, where in sorted(slow, key=lambda row: -row[0]):
        if sql in seen:
            continue
        seen.add(sql)
        print(f"--- {duration:.2f} s in {where}")
        print(sql[:2000])
        if args.explain:
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
                for (row,) in cursor.fetchall():
                    print(f"    {row}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
