#!/usr/bin/env python
"""Start `make run` as a user would and check it: / answers 200, /healthz is ok, and a
websocket handshake on the ASGI server succeeds. Runs it twice on the same database to show
a second `make run` is safe. Used by .ci/run; exits non-zero on any failure.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import websockets

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("SMOKE_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
START_TIMEOUT = 300


def require(condition, message) -> None:
    """Stop with ``message`` unless ``condition`` holds (asserts vanish under -O)."""
    if not condition:
        raise SystemExit(f"FAILED: {message}")


def get(path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(BASE + path, timeout=10) as response:  # noqa: S310 - loopback
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


async def ping_websocket() -> dict:
    async with websockets.connect(
        f"ws://127.0.0.1:{PORT}/ws/ping/", origin=BASE, open_timeout=10
    ) as socket:
        await socket.send(json.dumps({"type": "ping"}))
        return json.loads(await asyncio.wait_for(socket.recv(), 10))


def one_run(env: dict, attempt: int) -> None:
    log = open(ROOT / "test-artifacts" / f"make-run-{attempt}.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        ["make", "run", f"PORT={PORT}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                raise SystemExit(f"make run exited with {process.returncode}; see {log.name}")
            try:
                status, body = get("/healthz")
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"make run did not answer /healthz in {START_TIMEOUT}s")
            time.sleep(1)
        status, body = get("/")
        require(status == 200, f"/ answered {status}")
        require("Основная задача" in body, "the home page lacks its purpose")
        reply = asyncio.run(ping_websocket())
        require(reply.get("type") == "pong", reply)
        print(f"make run #{attempt}: / 200, /healthz ok, websocket handshake and ping ok")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()
    log_text = (ROOT / "test-artifacts" / f"make-run-{attempt}.log").read_text()
    require("admin@example.com" in log_text, "make run did not print the demo logins")
    # Links (printed and in e-mails) follow the port served, not the 8000 default.
    require(f"Site: {BASE}/" in log_text, f"make run did not print «Site: {BASE}/»")


def main() -> int:
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}},
            "DATABASE_URL": f"sqlite:///{tmp}/smoke.sqlite3",
            "CMS_READ_DOTENV": "0",
        }
        for attempt in (1, 2):
            one_run(env, attempt)
    return 0


if __name__ == "__main__":
    sys.exit(main())
