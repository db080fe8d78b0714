"""Playwright for Python driving Debian's Chromium (/usr/bin/chromium); never a downloaded one.

Without the browser these tests skip with the reason, so `make test` runs anywhere;
CI sets CMS_REQUIRE_BROWSER=1, which turns that skip into a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CMS_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]

# Playwright's sync API keeps an event loop in the test thread; Django's ORM refuses to run in
# such a thread unless told it is safe, which it is here (the loop never runs ORM code).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
    # Browser tests run last: they are the slowest, and Playwright's event loop must not be
    # running in the main thread while the asyncio tests run.
    items.sort(key=lambda item: "tests/browser/" in str(item.fspath))


def _unavailable_reason() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -r requirements-dev.txt)"
    return None


@pytest.fixture(scope="module")
def browser():
    reason = _unavailable_reason()
    if reason:
        if os.environ.get("CMS_REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests are required here: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def screenshot(request):
    """Save a PNG of ``page`` under test-artifacts/ (git-ignored) and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def asgi_live_server(transactional_db):
    """``cms.asgi.application`` (HTTP and websockets) served by uvicorn in a thread on
    127.0.0.1 and a free port, on the test database; pytest-django's ``live_server`` is WSGI
    and has no websockets. ``.url`` is its address.

    The server's ORM work runs in asgiref's worker thread: on SQLite that thread opens the
    same shared-cache in-memory test database, on PostgreSQL the same test database; data the
    test commits (``transactional_db``) is seen by both sides. Mail goes to the locmem outbox
    of this process either way.

    ``.call(fn)`` runs ``fn()`` in a worker thread of the server's event loop and returns its
    result: what the server side would do (a service that pushes to open sockets). The test
    thread cannot push itself: Playwright's event loop runs there, and ``async_to_sync``
    refuses to run beside it; from the server's loop the push reaches the sockets
    thread-safely with the in-memory channel layer too.
    """
    import asyncio
    import socket
    import threading
    import time
    from types import SimpleNamespace

    import uvicorn
    from asgiref.sync import sync_to_async
    from django.db import connections

    from cms.asgi import application

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        application, lifespan="off", log_level="warning", ws="websockets-sansio", loop="asyncio"
    )
    server = uvicorn.Server(config)
    state = {}

    def run():
        loop = asyncio.new_event_loop()
        state["loop"] = loop
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(server.serve(sockets=[sock]))
        finally:
            loop.close()

    thread = threading.Thread(target=run, name="asgi-live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the ASGI live server did not start")
        time.sleep(0.02)

    def call(fn, timeout=30):
        def work():
            try:
                return fn()
            finally:
                connections.close_all()

        future = asyncio.run_coroutine_threadsafe(
            sync_to_async(work, thread_sensitive=False)(), state["loop"]
        )
        return future.result(timeout=timeout)

    try:
        yield SimpleNamespace(url=f"http://127.0.0.1:{port}", port=port, call=call)
    finally:
        # Close the connections the server's worker thread opened, so the database can be
        # flushed (and, on PostgreSQL, dropped at the end of the run).
        loop = state.get("loop")
        if loop is not None and loop.is_running():
            closing = asyncio.run_coroutine_threadsafe(
                sync_to_async(connections.close_all, thread_sensitive=True)(), loop
            )
            closing.result(timeout=10)
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()
