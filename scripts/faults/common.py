"""What every fault script shares: the stack (scripts/loadtest's topology and Harness on a
small ``seed_demo`` database of its own), the verdict table and its exit code.

The pure parts (``Row``, ``format_table``, ``verdict``, ``count_by_key``) are imported by
tests/scripts/test_faults.py; nothing here starts a process at import time.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
LOADTEST = HERE.parent / "loadtest"
if str(LOADTEST) not in sys.path:
    sys.path.insert(0, str(LOADTEST))

ROOT = HERE.parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/cms_faults"
COLUMNS = ("sent", "stored", "delivered", "lost", "duplicated")


def log(message: str) -> None:
    print(f"[faults {datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


# --- The verdict (pure) ------------------------------------------------------------------------


@dataclass
class Row:
    """One line of the table: what was sent, stored, delivered, and what of it was lost or
    delivered more than once."""

    name: str
    sent: int
    stored: int
    delivered: int
    lost: int
    duplicated: int
    note: str = ""


@dataclass
class Check:
    """A yes/no property of the scenario (a status code, nothing half-written)."""

    name: str
    ok: bool
    detail: str = ""


@dataclass
class Outcome:
    rows: list[Row] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        self.checks.append(Check(name, bool(ok), detail))
        log(f"{'PASS' if ok else 'FAIL'}  {name}{f'  ({detail})' if detail else ''}")
        return bool(ok)


def count_by_key(keys: Iterable) -> tuple[set, int]:
    """The distinct keys and how many repeats (a key seen n times counts n - 1)."""
    counts = Counter(keys)
    return set(counts), sum(n - 1 for n in counts.values() if n > 1)


def delivery_row(
    name: str, *, sent: Iterable, stored: Iterable, delivered: Iterable, note: str = ""
) -> Row:
    """A table row from three lists of keys (a client message id, a recipient): one entry
    per time the key was created, found stored, seen delivered. Lost: sent but never
    stored or never delivered. Duplicated: stored or delivered more than once."""
    sent_keys, _ = count_by_key(sent)
    stored_keys, stored_repeats = count_by_key(stored)
    delivered_keys, delivered_repeats = count_by_key(delivered)
    lost = len(sent_keys - (stored_keys & delivered_keys))
    return Row(
        name=name,
        sent=len(sent_keys),
        stored=len(stored_keys),
        delivered=len(delivered_keys),
        lost=lost,
        duplicated=stored_repeats + delivered_repeats,
        note=note,
    )


def verdict(outcome: Outcome) -> bool:
    """True when nothing was lost or duplicated and every check passed."""
    rows_ok = all(row.lost == 0 and row.duplicated == 0 for row in outcome.rows)
    return rows_ok and all(check.ok for check in outcome.checks)


def format_table(outcome: Outcome) -> str:
    header = ("", *COLUMNS)
    lines = [header] + [
        (row.name, *(str(getattr(row, column)) for column in COLUMNS)) for row in outcome.rows
    ]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = []
    for n, line in enumerate(lines):
        cells = [line[0].ljust(widths[0])] + [
            cell.rjust(width) for cell, width in zip(line[1:], widths[1:], strict=True)
        ]
        out.append("  ".join(cells).rstrip())
        if n == 0:
            out.append("  ".join("-" * width for width in widths))
    notes = [f"  {row.name}: {row.note}" for row in outcome.rows if row.note]
    checks = [
        f"{'PASS' if c.ok else 'FAIL'}  {c.name}{f'  ({c.detail})' if c.detail else ''}"
        for c in outcome.checks
    ]
    verdict_line = "RESULT: " + ("OK, nothing lost or duplicated" if verdict(outcome) else "FAILED")
    return "\n".join([*out, *notes, "", *checks, "", verdict_line])


def finish(title: str, outcome: Outcome) -> int:
    print(f"\n== {title} ==")
    print(format_table(outcome), flush=True)
    return 0 if verdict(outcome) else 1


# --- The stack ---------------------------------------------------------------------------------


def base_parser(description: str, *, port: int, redis_db: int) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help="PostgreSQL database of the faults (created, migrated and seeded when empty)",
    )
    parser.add_argument(
        "--redis-url",
        default=f"redis://127.0.0.1:6379/{redis_db}",
        help="Redis of the stack (cache, sessions, channel layer)",
    )
    parser.add_argument("--port", type=int, default=port, help="nginx's port; the stack the next")
    parser.add_argument(
        "--work-dir",
        type=Path,
        default=Path("/tmp/cms-faults"),  # noqa: S108 - the harness's own folder
        help="processes' logs, nginx's configuration, static and media files",
    )
    return parser


class Stack:
    """scripts/loadtest's topology on one stack (gunicorn, uvicorn, the task worker, nginx),
    prepared on the faults' database; ``app_env`` overrides what the app processes see (a
    proxy's address for the database, the SMTP server, a tiny private media folder)."""

    def __init__(
        self,
        args,
        name: str,
        *,
        extra_env: dict | None = None,
        app_database_url: str | None = None,
        media_dir: Path | None = None,
    ):
        import run
        import topology as topo

        self.run = run
        work_dir = args.work_dir / name
        loadtest_args = run.parse_args(
            [
                "--database-url",
                args.database_url,
                "--redis-url",
                args.redis_url,
                "--port",
                str(args.port),
                "--work-dir",
                str(work_dir),
                "--plan-members",
                "20",
                "--gunicorn-workers",
                "2",
            ]
        )
        self.topology = topo.make_topology(
            port=args.port,
            stacks=1,
            work_dir=work_dir,
            # One collectstatic for every scenario (the later ones copy nothing new).
            static_root=args.work_dir / "static",
            media_dir=media_dir,
            gunicorn_workers=2,
            extra_env={"LOG_LEVEL": "WARNING", **(extra_env or {})},
        )
        self.harness = run.Harness(loadtest_args, self.topology)
        self.app_database_url = app_database_url
        self.plan: dict = {}

    @property
    def base_url(self) -> str:
        return self.topology.base_url

    @property
    def logs(self) -> Path:
        return self.harness.logs

    def __enter__(self):
        log(f"preparing the stack in {self.topology.work_dir}")
        self.plan = self.harness.prepare()
        # The harness's own Django calls (django_setup) reach PostgreSQL directly; the app
        # processes through what the scenario gives (the proxy).
        self.direct_env = dict(self.harness.env)
        if self.app_database_url:
            self.harness.env["DATABASE_URL"] = self.app_database_url
        try:
            self.harness.start()
        except BaseException:
            # __exit__ does not run when __enter__ raises: stop what did start.
            self.harness.stop()
            raise
        return self

    def __exit__(self, *exc):
        self.harness.stop()

    def django_setup(self) -> None:
        """Django in this process with the stack's settings (the direct database)."""
        os.environ.update(self.direct_env)
        if str(ROOT) not in sys.path:
            sys.path.insert(0, str(ROOT))
        import django

        django.setup()

    def process(self, prefix: str) -> subprocess.Popen:
        for name, process in self.harness.processes:
            if name.startswith(prefix):
                return process
        raise LookupError(prefix)

    def kill(self, prefix: str, sig: int = signal.SIGKILL) -> int:
        """Signal a process's whole group (the worker and anything it started); its pid."""
        process = self.process(prefix)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        process.wait(timeout=30)
        self.harness.processes = [(n, p) for n, p in self.harness.processes if p is not process]
        return process.pid

    def start_worker(self) -> None:
        worker = [str(self.run.VENV_BIN / "python"), str(ROOT / "manage.py"), "db_worker"]
        self.harness._start("worker-A", worker)

    def sessions_for(self, user_ids: list[int]) -> dict[int, str]:
        """A signed-in session key per user (what prepare.py makes for the load test)."""
        import prepare

        entries = [{"user_id": pk} for pk in user_ids]
        prepare.create_sessions(entries)
        return {entry["user_id"]: entry["session"] for entry in entries}

    def cookie_name(self) -> str:
        from django.conf import settings

        return settings.SESSION_COOKIE_NAME


def wait_until(predicate, *, timeout: float, every: float = 0.5) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return bool(predicate())
