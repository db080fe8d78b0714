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
