"""The ASGI application ``scripts/bench_chat.py`` serves: the site's own (``cms.asgi``) plus a
bare relay at ``/ws/bench-relay/``, the baseline the chat is compared with.

Served as production serves ``cms.asgi`` (uvicorn, the production settings, Redis)::

    PYTHONPATH=. uvicorn --app-dir scripts bench_chat_asgi:application ...

The relay is a bare Channels consumer: no session, no user, no database. A client connects
to ``/ws/bench-relay/?key=<its key>`` and joins the group of its key; each frame
``{"to": <peer key>, "payload": ...}`` is ``group_send``-ed to the peer's group and arrives
there as ``{"type": "message", "payload": ...}``. It reads frames with the same reader as the
chat (``core.websocket.frame_read``, 16 KB) and sits behind the same origin check
(``AllowedHostsOriginValidator``), so what differs from ``/ws/chat/`` is the chat's own work.

Environment (benchmark only, read here and not by the settings):

- ``BENCH_CHANNEL_PREFIX``: the channel layer's prefix (default ``bench``). Redis Pub/Sub is
  not scoped by database number, so with the settings' ``cms`` prefix this server's
  ``chat.user.<id>`` groups would be the same Redis channels as those of a test suite on the
  same Redis; only the name changes, not the layer or its configuration.
- ``BENCH_EXPERIMENT``: comma-separated changes to try without editing the chat's code, for
  measured proposals (never the default): ``threads`` runs the chat consumer's database calls
  on a thread pool (``database_sync_to_async(..., thread_sensitive=False)``, the event loop's
  default executor, sized by ``BENCH_THREADS``, default 8) instead of Channels' one shared
  thread per process; ``switch`` lowers the interpreter's thread switch interval from 5 ms
  to ``BENCH_SWITCH`` seconds (default 0.0005): a database thread waiting for the GIL after
  each query's I/O while the event loop's thread is busy waits up to a whole interval.
- ``BENCH_PROFILE``: a path prefix; when set, the process profiles its event-loop thread and
  the single thread Channels runs database code in (``database_sync_to_async``) with cProfile,
  counts the SQL statements it runs, and writes ``<prefix>.loop.prof``, ``<prefix>.db.prof``
  and ``<prefix>.sql.json`` at exit. Use with one worker process.
"""

from __future__ import annotations

import atexit
import contextlib
import cProfile
import json
import os
import re
import sys
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")

from django.conf import settings  # noqa: E402

_PROFILE = os.environ.get("BENCH_PROFILE", "")
_profilers: dict[str, cProfile.Profile] = {}
if _PROFILE:
    _profilers["loop"] = cProfile.Profile()
    _profilers["loop"].enable()

from cms.asgi import application as site_application  # noqa: E402  (sets Django up)

_layers = settings.CHANNEL_LAYERS.get("default", {})
if "CONFIG" in _layers and "prefix" in _layers["CONFIG"]:
    # Before any layer is built (they are built on first use).
    _layers["CONFIG"]["prefix"] = os.environ.get("BENCH_CHANNEL_PREFIX", "bench")

from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from core.websocket import FrameError, frame_read  # noqa: E402

RELAY_PATH = "/ws/bench-relay/"
MAX_FRAME = 16 * 1024
_KEY = re.compile(r"^[A-Za-z0-9_-]{1,60}$")


def relay_group(key: str) -> str:
    return f"bench.relay.{key}"


class RelayConsumer(AsyncWebsocketConsumer):
    """Forwards each frame's payload to the peer's group; nothing else."""

    group: str | None = None

    async def connect(self):
        key = parse_qs(self.scope.get("query_string", b"").decode()).get("key", [""])[0]
        if not _KEY.match(key):
            await self.close()
            return
        self.group = relay_group(key)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)
            self.group = None

    async def receive(self, text_data=None, bytes_data=None):
        try:
            frame = frame_read(text_data, max_size=MAX_FRAME)
        except FrameError as error:
            await self.send(json.dumps({"type": "error", "error": str(error)}))
            return
        to = frame.get("to")
        if not isinstance(to, str) or not _KEY.match(to):
            await self.send(json.dumps({"type": "error", "error": "bad peer key"}))
            return
        await self.channel_layer.group_send(
            relay_group(to), {"type": "relay.message", "payload": frame.get("payload")}
        )

    async def relay_message(self, event):
        await self.send(json.dumps({"type": "message", "payload": event["payload"]}))


relay_application = AllowedHostsOriginValidator(RelayConsumer.as_asgi())


async def application(scope, receive, send):
    """``/ws/bench-relay/`` to the relay, everything else to the site's application."""
    if scope["type"] == "websocket" and scope.get("path") == RELAY_PATH:
        return await relay_application(scope, receive, send)
    return await site_application(scope, receive, send)


# --- Experiments (BENCH_EXPERIMENT) ----------------------------------------------------------

EXPERIMENTS = {name for name in os.environ.get("BENCH_EXPERIMENT", "").split(",") if name}

if "threads" in EXPERIMENTS:
    from concurrent.futures import ThreadPoolExecutor

    from channels.db import DatabaseSyncToAsync

    from extranet.chat import consumers as chat_consumers

    _executor = ThreadPoolExecutor(max_workers=int(os.environ.get("BENCH_THREADS", "8")))
    for _name in dir(chat_consumers):
        _wrapped = getattr(chat_consumers, _name)
        if isinstance(_wrapped, DatabaseSyncToAsync):
            setattr(
                chat_consumers,
                _name,
                DatabaseSyncToAsync(_wrapped.func, thread_sensitive=False, executor=_executor),
            )


if "switch" in EXPERIMENTS:
    sys.setswitchinterval(float(os.environ.get("BENCH_SWITCH", "0.0005")))


# --- Profiling (BENCH_PROFILE) ----------------------------------------------------------------

_sql: dict[str, list[float]] = {}
_sql_lock = threading.Lock()
_NUMBERS = re.compile(r"\b\d+\b")
_STRINGS = re.compile(r"'(?:[^']|'')*'")
_IN_LISTS = re.compile(r"IN \((?:%s, )*%s\)")


def _sql_counter(execute, sql, params, many, context):
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        shape = _IN_LISTS.sub("IN (...)", _NUMBERS.sub("N", _STRINGS.sub("'…'", sql)))
        with _sql_lock:
            entry = _sql.setdefault(shape, [0, 0.0])
            entry[0] += 1
            entry[1] += time.perf_counter() - started


def _count_queries(sender, connection, **kwargs):
    if _sql_counter not in connection.execute_wrappers:
        connection.execute_wrappers.append(_sql_counter)


def _enable_db_profiler():
    _profilers["db"] = cProfile.Profile()
    _profilers["db"].enable()


def _write_profiles():
    for name, profiler in list(_profilers.items()):
        with contextlib.suppress(Exception):  # another thread's profiler: best effort
            profiler.disable()
        profiler.dump_stats(f"{_PROFILE}.{name}.prof")
    with _sql_lock:
        rows = sorted(_sql.items(), key=lambda item: -item[1][1])
    Path(f"{_PROFILE}.sql.json").write_text(
        json.dumps([{"sql": sql, "count": n, "seconds": s} for sql, (n, s) in rows], indent=1)
    )


if _PROFILE:
    from asgiref.sync import SyncToAsync
    from django.db import connections
    from django.db.backends.signals import connection_created

    connection_created.connect(_count_queries)
    # The database thread's profiler is switched on in that thread (cProfile is per thread).
    SyncToAsync.single_thread_executor.submit(_enable_db_profiler).result()
    for alias in connections:
        if connections[alias].connection is not None:
            _count_queries(None, connections[alias])
    atexit.register(_write_profiles)
