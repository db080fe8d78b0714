#!/usr/bin/env python
"""The load-test harness (``make bench``): the production topology on this machine, a /ping
baseline with wrk, then locust's mixed load at increasing user counts; a table on stdout and
``results.json`` / ``results.csv`` in ``--out``.

What it starts (docs/architecture.md, README.md "Production"), all with
``cms.settings.production`` on the PostgreSQL database ``--database-url`` (psycopg's pool,
DATABASE_POOL_MIN/MAX) and Redis ``--redis-url`` (cache, sessions, channel layer):

- per stack (``--stacks``, default 1): gunicorn with deploy/gunicorn.conf.py
  (``--gunicorn-workers`` sync workers, default 2) and uvicorn for ``/ws/``
  (deploy/systemd/cms-ws.service's command), and a task worker (``manage.py db_worker``);
- one nginx in front (a generated configuration in ``--work-dir``: own pid, logs and
  temporary folders; round-robin to the stacks, no sticky sessions; static files from
  collectstatic, private files through X-Accel-Redirect as deploy/nginx.conf does).

Then:

1. ``wrk -c<conn> -d<s>`` on ``/ping`` (a plain "ok" through the whole middleware) and on each
   public page as a guest (no cookie): req/s, p50/p95/p99, ``X-Page-Cache`` of the page, and
   each page's throughput as a fraction of /ping's.
2. For each count in ``--users`` (e.g. 16,64,200): that many signed-in members (one action per
   10 s each, a chat websocket open), guests (``--guest-ratio`` of it) and a few admins
   approving applications (locust headless, locustfile.py). Members and admins are signed in
   by sessions prepare.py makes (``--sign-in form``: allauth's form, PBKDF2 included); the
   ``--duration`` measured seconds start only when every one of them has its session and its
   websocket open (the step prints how many were connected), and the step checks that
   members did about one action per ``--pacing`` s each.

The database is created, migrated and seeded (``seed_demo --force --scale <--seed-scale>``)
when it has no users. Each step takes its ``--duration`` plus 10-30 s (spawning, everyone's
start, the stop); the wrk baseline about 2 minutes; ``--users 16,64,200 --duration 120``
about 11 minutes in all::

    .venv/bin/python scripts/loadtest/run.py --users 16,64,200 --duration 120
    .venv/bin/python scripts/loadtest/run.py --page-cache off --out var/loadtest/before

``--stacks 2`` runs two identical stacks behind the one nginx (crosshost.py checks that
sessions, files and chat cross them).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import report  # noqa: E402
import topology as topo  # noqa: E402

ROOT = topo.ROOT
VENV_BIN = Path(sys.executable).parent
HOST = topo.HOST


def log(message: str) -> None:
    print(f"[loadtest {datetime.now():%H:%M:%S}] {message}", flush=True)


def ensure_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not found.fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
            log(f"created database {name}")


def has_users(url: str) -> bool:
    import psycopg

    with psycopg.connect(url) as connection:
        exists = connection.execute("SELECT to_regclass('members_user')").fetchone()[0]
        return bool(exists) and bool(
            connection.execute("SELECT EXISTS (SELECT 1 FROM members_user)").fetchone()[0]
        )


def manage(env: dict, *args: str, log_path: Path | None = None) -> None:
    command = [str(VENV_BIN / "python"), str(ROOT / "manage.py"), *args]
    with open(log_path or os.devnull, "a") as out:
        subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=out, stderr=subprocess.STDOUT)


def get(url: str, timeout: float = 5) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class Harness:
    """The running topology; a context manager that stops every process it started."""

    def __init__(self, args, topology: topo.Topology):
        self.args = args
        self.topology = topology
        self.processes: list[tuple[str, subprocess.Popen]] = []
        self.logs = topology.work_dir / "logs"
        self.steps: dict[int, dict] = {}  # per locust step: who was connected, actions done
        self.env = topo.app_env(
            dict(os.environ),
            topology,
            database_url=args.database_url,
            redis_url=args.redis_url,
            page_cache=args.page_cache == "on",
        )

    # --- preparation ---------------------------------------------------------------------

    def prepare(self) -> dict:
        self.logs.mkdir(parents=True, exist_ok=True)
        for folder in (self.topology.media_root, self.topology.private_media_root):
            folder.mkdir(parents=True, exist_ok=True)
        ensure_database(self.args.database_url)
        log("migrate")
        manage(self.env, "migrate", "--noinput", "-v0", log_path=self.logs / "prepare.log")
        if not has_users(self.args.database_url):
            log(f"seed_demo --scale {self.args.seed_scale} (the database has no users)")
            manage(
                self.env,
                "seed_demo",
                "--force",
                "--scale",
                str(self.args.seed_scale),
                log_path=self.logs / "prepare.log",
            )
        log("collectstatic")
        manage(self.env, "collectstatic", "--noinput", "-v0", log_path=self.logs / "prepare.log")
        plan_path = self.topology.work_dir / "plan.json"
        subprocess.run(
            [
                str(VENV_BIN / "python"),
                str(HERE / "prepare.py"),
                str(plan_path),
                "--members",
                str(self.args.plan_members),
                *(["--no-sessions"] if self.args.sign_in == "form" else []),
            ],
            cwd=ROOT,
            env=self.env,
            check=True,
        )
        # The page cache of an earlier run (another PAGE_CACHE setting) must not answer.
        subprocess.run(
            [
                str(VENV_BIN / "python"),
                "-c",
                "import django; django.setup(); from django.core.cache import cache; cache.clear()",
            ],
            cwd=ROOT,
            env=self.env,
            check=True,
        )
        return json.loads(plan_path.read_text())

    # --- processes -----------------------------------------------------------------------

    def _start(self, name: str, command: list[str], extra_env: dict | None = None) -> None:
        out = open(self.logs / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**self.env, **(extra_env or {})},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append((name, process))

    def start(self) -> None:
        for stack in self.topology.stacks:
            command, extra = topo.gunicorn_command(VENV_BIN, stack, self.topology.gunicorn_workers)
            self._start(f"gunicorn-{stack.name}", command, extra)
            self._start(f"uvicorn-{stack.name}", topo.uvicorn_command(VENV_BIN, stack))
            worker = [str(VENV_BIN / "python"), str(ROOT / "manage.py"), "db_worker"]
            self._start(f"worker-{stack.name}", worker)
        nginx_dir = self.topology.work_dir / "nginx"
        nginx_dir.mkdir(parents=True, exist_ok=True)
        config = nginx_dir / "nginx.conf"
        # As root, nginx's workers drop to nobody (the files they serve are world-readable).
        config.write_text(
            topo.nginx_config(self.topology, user="nobody nogroup" if os.geteuid() == 0 else None)
        )
        self._start("nginx", ["nginx", "-p", str(nginx_dir), "-c", str(config), "-e", "stderr"])
        self.wait_ready()

    def wait_ready(self, timeout: float = 90) -> None:
        urls = [f"http://{HOST}:{s.http_port}/healthz" for s in self.topology.stacks]
        urls += [f"http://{HOST}:{s.ws_port}/healthz" for s in self.topology.stacks]
        urls += [f"http://{HOST}:{s.direct_port}/healthz" for s in self.topology.stacks]
        urls.append(f"{self.topology.base_url}/healthz")
        deadline = time.monotonic() + timeout
        for url in urls:
            while True:
                for name, process in self.processes:
                    if process.poll() is not None:
                        raise SystemExit(
                            f"{name} exited ({process.returncode}); see {self.logs}/{name}.log"
                        )
                with contextlib.suppress(OSError):
                    if get(url, timeout=3)[0] == 200:
                        break
                if time.monotonic() > deadline:
                    raise SystemExit(f"{url} did not answer within {timeout}s; see {self.logs}")
                time.sleep(0.5)
        log(f"ready: {len(self.topology.stacks)} stack(s) behind {self.topology.base_url}")

    def stop(self) -> None:
        for _name, process in reversed(self.processes):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for _name, process in reversed(self.processes):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


# --- measurements ------------------------------------------------------------------------


def wrk(url: str, *, connections: int, seconds: int) -> dict:
    output = subprocess.run(
        [
            "wrk",
            "-t",
            str(min(2, connections)),
            "-c",
            str(connections),
            "-d",
            f"{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(HERE / "wrk_report.lua"),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return report.parse_wrk(output)


def baseline(harness: Harness, plan: dict) -> list[report.Row]:
    base = harness.topology.base_url
    args = harness.args
    rows = []
    targets = [("/ping", "/ping")] + [(f"guest: {p['name']}", p["path"]) for p in plan["public"]]
    for name, path in targets:
        for _ in range(2):  # the first answer fills the page cache
            status, headers, _body = get(base + path, timeout=30)
        if status != 200:
            log(f"{path} answered {status}; measured anyway")
        cache = headers.get("X-Page-Cache", "-")
        result = wrk(base + path, connections=args.wrk_connections, seconds=args.wrk_seconds)
        row = report.wrk_row(name, args.wrk_connections, result)
        row.verdict = ""
        rows.append(row)
        log(f"wrk {path}: {row.rps:.0f} req/s, p99 {row.p99_ms:.1f} ms, X-Page-Cache: {cache}")
        if name != "/ping":
            row.cache_hits = None if cache == "-" else int(cache.lower() == "hit")
    return rows


def mixed_step(harness: Harness, plan: dict, members: int) -> list[report.Row]:
    args = harness.args
    guests = math.ceil(members * args.guest_ratio)
    admins = min(args.admins, len(plan["admins"]))
    total = members + guests + admins
    step_dir = harness.topology.work_dir / f"locust-{members}"
    step_dir.mkdir(parents=True, exist_ok=True)
    hits_path = step_dir / "hits.json"
    start_path = step_dir / "start.json"
    start_path.unlink(missing_ok=True)
    spawn_seconds = math.ceil(total / args.spawn_rate)
    # The locustfile stops the run --duration s after everyone has signed in and connected;
    # -t is only the cap if that never happens.
    run_time = spawn_seconds + args.ready_timeout + args.duration + 30
    env = {
        **os.environ,
        "LOADTEST_PLAN": str(harness.topology.work_dir / "plan.json"),
        "LOADTEST_MEMBERS": str(members),
        "LOADTEST_GUESTS": str(guests),
        "LOADTEST_ADMINS": str(admins),
        "LOADTEST_MEMBER_PACING": str(args.pacing),
        "LOADTEST_GUEST_WAIT": str(args.guest_wait),
        "LOADTEST_HITS": str(hits_path),
        "LOADTEST_START": str(start_path),
        "LOADTEST_SIGN_IN": args.sign_in,
        "LOADTEST_DURATION": str(args.duration),
        "LOADTEST_READY_TIMEOUT": str(args.ready_timeout),
    }
    log(
        f"locust: {members} members, {guests} guests, {admins} admins; "
        f"{args.duration}s measured once all are signed in and connected"
    )
    with open(step_dir / "locust.log", "w") as out:
        subprocess.run(
            [
                str(VENV_BIN / "locust"),
                "-f",
                str(HERE / "locustfile.py"),
                "--headless",
                "-u",
                str(total),
                "-r",
                str(args.spawn_rate),
                "-t",
                f"{run_time}s",
                "--host",
                harness.topology.base_url,
                "--csv",
                str(step_dir / "step"),
                "--only-summary",
                "--stop-timeout",
                "15",
                "--exit-code-on-error",
                "0",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            check=True,
        )
    hits = json.loads(hits_path.read_text()) if hits_path.exists() else {}
    rows = report.parse_locust_stats(step_dir / "step_stats.csv", members, hits)
    start = json.loads(start_path.read_text()) if start_path.exists() else {}
    harness.steps[members] = {
        **start,
        **report.member_actions(rows, members=members, duration=args.duration, pacing=args.pacing),
    }
    log(report.step_summary(members, harness.steps[members]))
    return rows


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/cms_loadtest",
        help="PostgreSQL database (created, migrated and seeded when empty); default $DATABASE_URL",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/13",
        help="Redis database: cache, sessions, channel layer (cleared); default $REDIS_URL",
    )
    parser.add_argument("--stacks", type=int, default=1, help="app stacks behind nginx (default 1)")
    parser.add_argument("--gunicorn-workers", type=int, default=2, help="sync workers per stack")
    parser.add_argument("--port", type=int, default=8480, help="nginx's port; the stacks the next")
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/cms-loadtest"))  # noqa: S108
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "loadtest")
    parser.add_argument("--page-cache", choices=["on", "off"], default="on", help="page cache")
    parser.add_argument("--seed-scale", default="1", help="seed_demo --scale for an empty database")
    parser.add_argument("--users", default="16,64,200", help="members per locust step")
    parser.add_argument("--guest-ratio", type=float, default=0.25, help="guests per member")
    parser.add_argument("--guest-wait", type=float, default=2.0, help="a guest's seconds per page")
    parser.add_argument("--admins", type=int, default=2, help="admins approving applications")
    parser.add_argument("--pacing", type=float, default=10.0, help="seconds per member action")
    parser.add_argument("--spawn-rate", type=float, default=20.0, help="users started per second")
    parser.add_argument(
        "--sign-in",
        choices=["session", "form"],
        default="session",
        help="session: prepared sessions (people who stay signed in); form: allauth's form",
    )
    parser.add_argument(
        "--ready-timeout",
        type=int,
        default=300,
        help="most seconds to wait for every member's sign-in and websocket before measuring",
    )
    parser.add_argument("--duration", type=int, default=60, help="measured seconds per step")
    parser.add_argument("--wrk-connections", type=int, default=16)
    parser.add_argument("--wrk-seconds", type=int, default=10)
    parser.add_argument("--plan-members", type=int, default=400, help="accounts members sign in as")
    parser.add_argument("--no-wrk", action="store_true", help="skip the wrk baseline")
    parser.add_argument("--no-x-accel", action="store_true", help="Django streams private files")
    parser.add_argument(
        "--serve", action="store_true", help="start the topology and wait (Ctrl+C stops); no load"
    )
    return parser.parse_args(argv)


def build_topology(args) -> topo.Topology:
    return topo.make_topology(
        port=args.port,
        stacks=args.stacks,
        work_dir=args.work_dir,
        gunicorn_workers=args.gunicorn_workers,
        x_accel=not args.no_x_accel,
    )


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv=None) -> int:
    args = parse_args(argv)
    # SIGTERM stops like Ctrl+C: the processes started are stopped on the way out.
    signal.signal(signal.SIGTERM, _interrupt)
    for tool in ("nginx", "wrk"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not installed (apt-get install nginx-light wrk)")
    users = [int(n) for n in args.users.split(",") if n.strip()]
    topology = build_topology(args)
    rows: list[report.Row] = []
    with Harness(args, topology) as harness:
        plan = harness.prepare()
        harness.start()
        if args.serve:
            log(f"serving until Ctrl+C (plan: {topology.work_dir / 'plan.json'})")
            with contextlib.suppress(KeyboardInterrupt):
                while True:
                    time.sleep(3600)
            return 0
        if not args.no_wrk:
            rows += baseline(harness, plan)
        for members in users:
            rows += mixed_step(harness, plan, members)
    report.judge(rows)
    meta = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.node()} {os.cpu_count()} CPUs",
        "stacks": args.stacks,
        "gunicorn_workers": args.gunicorn_workers,
        "page_cache": args.page_cache,
        "database": urlparse(args.database_url).path.lstrip("/"),
        "users": users,
        "duration": args.duration,
        "wrk": f"-c{args.wrk_connections} -d{args.wrk_seconds}s",
        "sign_in": args.sign_in,
        "pacing": args.pacing,
    }
    json_path, csv_path = report.write_results(rows, args.out, {**meta, "steps": harness.steps})
    print()
    print(" ".join(f"{k}={v}" for k, v in meta.items()))
    for members, step in harness.steps.items():
        print(report.step_summary(members, step))
    print(report.format_table(rows))
    print(f"\n{json_path}\n{csv_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
