"""Reading wrk's and locust's results and printing the harness's tables (no processes here,
so tests can feed it sample data)."""

from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass
from pathlib import Path

# The issue's targets (2-core machine, large data): guests' pages >= half the trivial view's
# throughput with p99 < 50 ms at 16 connections; member pages p95 < 150 ms, no errors.
GUEST_RATIO_TARGET = 0.5
GUEST_P99_TARGET_MS = 50.0
MEMBER_P95_TARGET_MS = 150.0


@dataclass
class Row:
    """One measured page: in the wrk baseline (``users`` = connections) or a locust step."""

    phase: str  # "wrk" or "mixed"
    users: int
    name: str
    requests: int
    failures: int
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    cache_hits: int | None = None  # guests' responses with X-Page-Cache: hit, when counted
    ratio_to_ping: float | None = None  # wrk rows of guest pages: rps / /ping's rps
    verdict: str = ""


def parse_wrk(output: str) -> dict:
    """The ``WRK_JSON`` line wrk_report.lua prints."""
    for line in output.splitlines():
        if line.startswith("WRK_JSON "):
            return json.loads(line.removeprefix("WRK_JSON "))
    raise ValueError("no WRK_JSON line in wrk's output (is wrk_report.lua passed with -s?)")


def wrk_row(name: str, connections: int, result: dict, cache_hits: int | None = None) -> Row:
    seconds = result["seconds"] or 1.0
    return Row(
        phase="wrk",
        users=connections,
        name=name,
        requests=result["requests"],
        failures=result["errors"],
        rps=result["requests"] / seconds,
        p50_ms=result["p50_ms"],
        p95_ms=result["p95_ms"],
        p99_ms=result["p99_ms"],
        cache_hits=cache_hits,
    )


def _number(value: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def parse_locust_stats(path: Path, users: int, hits: dict | None = None) -> list[Row]:
    """Rows of locust's ``<prefix>_stats.csv`` (the Aggregated line included)."""
    rows = []
    hits = hits or {}
    with open(path, encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle):
            name = record["Name"] if record["Type"] else "all requests"
            if record["Name"] == "Aggregated":
                name = "all requests"
            counted = hits.get(name)
            if not _number(record["Request Count"]):
                # Only before the measured window (the websockets' connects): nothing to show.
                continue
            rows.append(
                Row(
                    phase="mixed",
                    users=users,
                    name=name,
                    requests=int(_number(record["Request Count"])),
                    failures=int(_number(record["Failure Count"])),
                    rps=_number(record["Requests/s"]),
                    p50_ms=_number(record["50%"]),
                    p95_ms=_number(record["95%"]),
                    p99_ms=_number(record["99%"]),
                    cache_hits=counted[0] if counted else None,
                )
            )
    return rows


def member_actions(rows: list[Row], *, members: int, duration: float, pacing: float) -> dict:
    """Members' actions in a step (each task is one request named ``member: ...``) against
    what the pacing promises: ``members × duration / pacing``."""
    done = sum(r.requests for r in rows if r.phase == "mixed" and r.name.startswith("member: "))
    expected = members * duration / pacing if pacing else 0.0
    return {
        "member_actions": done,
        "expected_actions": round(expected),
        "actions_ratio": round(done / expected, 2) if expected else None,
    }


def step_summary(members: int, step: dict) -> str:
    """One line per locust step: who was connected when measuring began, actions done."""
    if "members_connected" in step:
        connected = (
            f"measuring began with {step['members_connected']}/{members} members connected "
            f"(websocket open), {step.get('members_without_socket', 0)} without a socket, "
            f"{step.get('sign_in_failures', 0)} sign-in failures, "
            f"{step.get('admins', 0)} admins, after {step.get('waited_s', '?')} s"
        )
        if not step.get("everyone_arrived", True):
            connected += " (ready timeout: not everyone had started)"
    else:
        connected = "no start record (the locustfile did not reach its measured window)"
    actions = (
        f"member actions {step.get('member_actions', 0)}, expected ≈ "
        f"{step.get('expected_actions', 0)} (ratio {step.get('actions_ratio')})"
    )
    return f"step {members}: {connected}; {actions}"


def judge(rows: list[Row], *, ping_name: str = "/ping") -> list[Row]:
    """Ratios to the /ping baseline and the targets' verdicts, in place (and returned)."""
    ping = {r.users: r.rps for r in rows if r.phase == "wrk" and r.name == ping_name}
    for row in rows:
        if row.phase == "wrk" and row.name.startswith("guest: ") and ping.get(row.users):
            row.ratio_to_ping = row.rps / ping[row.users]
            ok = (
                row.ratio_to_ping >= GUEST_RATIO_TARGET
                and row.p99_ms < GUEST_P99_TARGET_MS
                and row.failures == 0
            )
            row.verdict = "ok" if ok else "MISS"
        elif row.phase == "mixed" and row.name.startswith(("member: ", "admin: ")):
            ok = row.p95_ms < MEMBER_P95_TARGET_MS and row.failures == 0
            row.verdict = "ok" if ok else "MISS"
        elif row.failures:
            row.verdict = "errors"
    return rows


def _cell(value, digits: int = 0) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


COLUMNS = ["phase", "users", "name", "requests", "failures", "req/s", "p50", "p95", "p99"]


def format_table(rows: list[Row]) -> str:
    """A Markdown table (it reads as plain text too): times in ms."""
    header = [*COLUMNS, "hits", "×ping", "target"]
    body = [
        [
            row.phase,
            str(row.users),
            row.name,
            str(row.requests),
            str(row.failures),
            _cell(row.rps, 1),
            _cell(row.p50_ms, 1),
            _cell(row.p95_ms, 1),
            _cell(row.p99_ms, 1),
            (
                f"{row.cache_hits}/{row.requests}"
                if row.cache_hits is not None and row.phase == "mixed"
                else _cell(row.cache_hits)
            ),
            _cell(row.ratio_to_ping, 2),
            row.verdict or "",
        ]
        for row in rows
    ]
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]
    numeric = {1, 3, 4, 5, 6, 7, 8, 10}

    def render(line):
        cells = [
            cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i])
            for i, cell in enumerate(line)
        ]
        return "| " + " | ".join(cells) + " |"

    separator = (
        "|"
        + "|".join(
            "-" * (w + 1) + ":" if i in numeric else "-" * (w + 2) for i, w in enumerate(widths)
        )
        + "|"
    )
    return "\n".join([render(header), separator, *(render(line) for line in body)])


def write_results(rows: list[Row], out_dir: Path, meta: dict) -> tuple[Path, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path = out_dir / "results.json"
    csv_path = out_dir / "results.csv"
    json_path.write_text(
        json.dumps({"meta": meta, "rows": [asdict(r) for r in rows]}, ensure_ascii=False, indent=1)
    )
    with open(csv_path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(asdict(rows[0]).keys()) if rows else [])
        writer.writeheader()
        for row in rows:
            writer.writerow(asdict(row))
    return json_path, csv_path
