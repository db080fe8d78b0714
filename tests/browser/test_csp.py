"""The Content-Security-Policy in a real browser: the site's pages, the member pages, the chat
(its websocket included) and Wagtail admin raise no CSP violation under the policy the site
sends (core/csp.py). One browser context per role; every ``securitypolicyviolation`` event
and every console "Refused to …" is collected, and the test fails listing them."""

from __future__ import annotations

import pytest

from tests.browser.helpers import log_in
from tests.events.factories import EventPageFactory, event_index
from tests.factories import (
    PASSWORD,
    ImageFactory,
    MembershipFactory,
    NewsPageFactory,
    PostFactory,
    SuperuserFactory,
)
from tests.ideas_exchange.factories import IdeaFactory, ideas_page

pytestmark = pytest.mark.django_db(transaction=True)

# Runs before the page's own scripts, outside its policy (Playwright injects it).
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolation({
    page: location.pathname,
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    where: (event.sourceFile || "") + ":" + event.lineNumber,
    sample: event.sample,
  });
});
"""
LIVE = '.site-header [data-nav-item="messages"][data-live-state="open"]'


def _context(browser, role: str, found: list):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.expose_function("__cspViolation", lambda violation: found.append((role, violation)))
    context.add_init_script(REPORT_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(10_000)

    def console(message):
        text = message.text
        if "Content Security Policy" in text or text.startswith("Refused to"):
            found.append((role, {"page": page.url, "console": text}))

    page.on("console", console)
    return context, page


def _listing(found: list) -> str:
    return "CSP violations:\n" + "\n".join(f"{role}: {violation}" for role, violation in found)


def _visit(page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, (url, response and response.status)
    page.wait_for_load_state("load")


def test_pages_chat_and_admin_raise_no_csp_violation(browser, asgi_live_server, gorki, settings):
    """Guest: home, initiative, news, events and an event, ideas, search. Member: cabinet, the
    group feed with its composer, directory, notifications, the chat (open, send, the socket
    open). Superuser: Wagtail dashboard, explorer, a page's edit form with StreamField, its
    image chooser, snippets, the ideas moderation view, and a public page with Wagtail's
    userbar. Nothing may be refused."""
    base = asgi_live_server.url
    # The userbar loads its scripts from the admin's base URL, the site's own in production.
    settings.WAGTAILADMIN_BASE_URL = base
    news = NewsPageFactory(parent=gorki, title="Новость для проверки политики")
    ImageFactory()  # one to choose
    event = EventPageFactory(title="Семинар под политикой")
    IdeaFactory(title="Идея под политикой")
    member = MembershipFactory(initiative=gorki).user
    other = MembershipFactory(initiative=gorki).user
    PostFactory(initiative=gorki, author=other)
    root = SuperuserFactory()
    found: list = []
    contexts = []
    try:
        context, guest = _context(browser, "guest", found)
        contexts.append(context)
        for path in (
            "/en/",
            gorki.url,
            news.url,
            event_index().url,
            event.url,
            ideas_page().url,
            "/en/search/?q=кластер",
        ):
            _visit(guest, base + path)

        context, page = _context(browser, "member", found)
        contexts.append(context)
        log_in(page, base, member.email, PASSWORD)
        for path in ("/en/cabinet/", "/en/cabinet/groups/gorki/"):
            _visit(page, base + path)
        page.wait_for_selector("form textarea")  # the feed's composer
        for path in ("/en/cabinet/groups/gorki/members/", "/en/cabinet/notifications/"):
            _visit(page, base + path)
        _visit(page, base + f"/en/cabinet/messages/with/{other.pk}/")
        page.fill("form[data-chat-composer] textarea[name=text]", "Сообщение под политикой")
        page.click("form[data-chat-composer] button[type=submit]")
        page.wait_for_url("**/cabinet/messages/*/")
        page.wait_for_selector(".chat-message--mine >> text=Сообщение под политикой")
        page.wait_for_selector(LIVE)  # the chat's websocket connected under the policy
        page.fill("form[data-chat-composer] textarea[name=text]", "Второе, по сокету")
        page.click("form[data-chat-composer] button[type=submit]")
        page.wait_for_selector(".chat-message--mine >> text=Второе, по сокету")

        context, admin = _context(browser, "admin", found)
        contexts.append(context)
        log_in(admin, base, root.email, PASSWORD)
        for path in ("/admin/", f"/admin/pages/{gorki.pk}/", "/admin/snippets/"):
            _visit(admin, base + path)
        _visit(admin, base + "/admin/ideas_exchange/idea/")
        _visit(admin, base + f"/admin/pages/{news.pk}/edit/")
        admin.wait_for_selector("[data-streamfield-stream-container]")  # drawn by telepath
        admin.locator("[data-chooser-action-choose]:visible").first.click()
        admin.wait_for_selector(".modal [data-chooser-modal-choice], .modal .listing, .modal table")
        admin.wait_for_timeout(300)
        _visit(admin, base + news.url)  # a public page with Wagtail's userbar
        admin.wait_for_selector("wagtail-userbar", state="attached")
    except Exception as error:
        # A refused script usually shows as a page that never finishes drawing: name the
        # violations rather than only the selector that timed out.
        if found:
            pytest.fail(f"{_listing(found)}\n(then: {error})")
        raise
    finally:
        for context in contexts:
            context.close()
    assert not found, _listing(found)
