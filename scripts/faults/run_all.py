#!/usr/bin/env python
"""Every fault scenario, one after another (``make faults``): each script starts its own
stack, injects its fault and prints its table; this prints a summary and exits non-zero when
any scenario lost or duplicated something or failed a check. About 8 minutes on 2 cores.

    .venv/bin/python scripts/faults/run_all.py [--only redis_outage,disk_full]

docs/reliability.md says what each scenario does and holds the latest output.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

SCENARIOS = ("redis_outage", "postgres_outage", "worker_kill", "smtp_failures", "disk_full")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--only", default="", help=f"comma-separated scenarios (default all: {','.join(SCENARIOS)})"
    )
    args = parser.parse_args(argv)
    chosen = [name.strip() for name in args.only.split(",") if name.strip()] or list(SCENARIOS)
    unknown = sorted(set(chosen) - set(SCENARIOS))
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(unknown)}")
    args.scenarios = chosen
    return args


def summary(results: dict[str, int]) -> tuple[str, int]:
    """The closing lines and the exit code: 1 when any scenario failed (pure: tested)."""
    lines = [
        f"{'OK    ' if code == 0 else 'FAILED'}  {name} (exit {code})"
        for name, code in results.items()
    ]
    return "\n".join(lines), int(any(code != 0 for code in results.values()))


def main(argv=None) -> int:
    args = parse_args(argv)
    results: dict[str, int] = {}
    for name in args.scenarios:
        started = time.monotonic()
        print(f"\n##### {name}", flush=True)
        code = subprocess.run([sys.executable, str(HERE / f"{name}.py")], check=False).returncode
        results[name] = code
        print(f"##### {name}: exit {code} in {time.monotonic() - started:.0f} s", flush=True)
    text, code = summary(results)
    print("\n" + text)
    return code


if __name__ == "__main__":
    sys.exit(main())
