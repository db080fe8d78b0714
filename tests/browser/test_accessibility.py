"""axe-core over every page each role reaches, in Russian as the site is first shown: the
guest's public pages, the member's cabinet, group, chat and notifications, the initiative
admin's group tools and the portal admin's pages. Any violation of any impact fails, with
its rule, impact, the elements' selectors and the page.

axe comes from axe-playwright-python, which bundles axe.min.js and injects it with
``page.evaluate``: nothing is downloaded. Its only request of its own (the ``preload`` of
stylesheets) is switched off, and every request a page makes that would leave 127.0.0.1 is
aborted and fails the test, so a page that reaches for the internet is caught too.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from extranet.chat import services as chat_services
from extranet.members.services import membership_apply
from extranet.notices import services as notices_services
from tests.browser.conftest import ARTIFACTS
from tests.events.factories import EventPageFactory, event_index
from tests.factories import (
    PASSWORD,
    AttachmentFactory,
    CommentFactory,
    MembershipFactory,
    NewsPageFactory,
    PortalAdminFactory,
    PostFactory,
    ProfileFactory,
    UserFactory,
)
from tests.ideas_exchange.factories import IdeaCommentFactory, IdeaFactory, ideas_page

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Axe()
# Every rule axe runs by default (WCAG 2.x A and AA, best practices); no stylesheet preload,
# which would fetch the page's CSS once more through XMLHttpRequest.
AXE_OPTIONS = {"resultTypes": ["violations"], "preload": False}
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def _login(page, base: str, email: str) -> None:
    """Sign in through allauth's Russian login form (the site's first language)."""
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, f"{email} could not sign in"


def _resolves(path: str) -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve(path)
    except Resolver404:
        return False
    return True


class Audit:
    """One role's browser context: visits pages, runs axe on each, collects what it finds."""

    def __init__(self, browser, base: str, role: str):
        self.base = base
        self.role = role
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
        self.page = self.context.new_page()
        self.page.set_default_timeout(10_000)
        self.outside: list[str] = []
        self.problems: list[str] = []
        self.audited: list[str] = []
        self.context.route("**/*", self._only_local)

    def _only_local(self, route):
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname not in LOCAL_HOSTS:
            self.outside.append(url)
            route.abort()
        else:
            route.continue_()

    def visit(self, path: str, *, status: int = 200) -> None:
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == status, (
            f"{self.role}: {path} answered {response and response.status}, not {status}"
        )
        self.page.wait_for_load_state()
        self.check(path)

    def check(self, label: str) -> None:
        """axe over the page as it is now (after a visit, or after an action on it)."""
        results = AXE.run(self.page, options=AXE_OPTIONS).response
        self.audited.append(label)
        if results["violations"]:
            # CI keeps test-artifacts/: the page as axe saw it, to look at beside the report.
            ARTIFACTS.mkdir(exist_ok=True)
            name = f"axe-{self.role}-{len(self.audited)}.png".replace(" ", "-")
            self.page.screenshot(path=str(ARTIFACTS / name), full_page=True)
            label += f" (test-artifacts/{name})"
        for violation in results["violations"]:
            for node in violation["nodes"]:
                # What axe measured (a contrast ratio and its colours, the duplicate name...).
                checks = [c["message"] for c in node["any"] + node["all"] + node["none"]]
                self.problems.append(
                    f"{self.role} {label}: {violation['id']} ({violation['impact']}) "
                    f"at {' '.join(map(str, node['target']))}: {violation['help']}"
                    + (f" [{checks[0]}]" if checks else "")
                    + f"\n    {node['html'][:160]}"
                )

    def finish(self) -> None:
        self.context.close()
        assert not self.outside, f"{self.role}: requests left the machine: {self.outside}"
        assert not self.problems, (
            f"axe found {len(self.problems)} violation(s) over {len(self.audited)} pages "
            "(rule (impact) at the element's selector; https://dequeuniversity.com/rules/"
            "axe/4.12/<rule> explains each):\n" + "\n".join(self.problems)
        )


@pytest.fixture
def site(asgi_live_server, gorki, polotsk):
    """Something on every page: news, an event, ideas, posts with a comment and a document,
    a pending application, a conversation, notifications; one user per role. Made in the
    server's thread (``asgi_live_server.call``): the services push to sockets after their
    commits, which the test thread, running Playwright's loop, cannot."""
    return asgi_live_server.call(lambda: _make_site(gorki, polotsk)) | {
        "base": asgi_live_server.url
    }


def _make_site(gorki, polotsk) -> dict:
    NewsPageFactory(title="Семинар по биотехнологиям прошёл в Горках")
    event = EventPageFactory(
        index=event_index(), title="Открытый семинар", initiative=gorki, slug="open-seminar"
    )
    ideas_page()
    idea = IdeaFactory(title="Ищем партнёра по переработке отходов", tags=["биотехнологии"])
    IdeaCommentFactory(idea=idea)

    member = MembershipFactory(initiative=gorki).user
    colleague = MembershipFactory(initiative=gorki).user
    admin = MembershipFactory(initiative=gorki, role="admin").user
    portal_admin = ProfileFactory(user=PortalAdminFactory()).user
    post = PostFactory(initiative=gorki, author=colleague, text="Итоги семинара в Горках")
    CommentFactory(post=post, author=member)
    AttachmentFactory(post=PostFactory(initiative=gorki, author=admin, kind="document"))
    applicant = ProfileFactory(user=UserFactory(email="applicant@example.com")).user
    membership_apply(user=applicant, initiative=gorki, message="Хотим участвовать")
    conversation = chat_services.conversations_ensure(user_id=member.pk, other_ids=[colleague.pk])[
        colleague.pk
    ]
    chat_services.message_send(
        sender=colleague, conversation=conversation, body="Добрый день! https://example.com"
    )
    chat_services.message_send(sender=member, conversation=conversation, body="Здравствуйте")
    notices_services.notify(
        kind="members.application_approved",
        recipients=[member],
        target=member,
        url="/cabinet/",
        params={"initiative": gorki.title},
    )
    return {
        "gorki": gorki,
        "event": event,
        "idea": idea,
        "post": post,
        "member": member,
        "colleague": colleague,
        "admin": admin,
        "portal_admin": portal_admin,
        "conversation": conversation,
    }


def test_guest_pages_have_no_axe_violations(browser, site):
    """Home, initiatives, news, events, ideas, search, login and sign-up as a guest."""
    audit = Audit(browser, site["base"], "guest")
    try:
        for path in (
            "/",
            "/initiatives/",
            site["gorki"].url,
            "/news/",
            NewsPageFactory._meta.model.objects.live().first().url,
            "/events/",
            site["event"].url,
            "/ideas/",
            f"/ideas/{site['idea'].pk}/",
            "/search/?q=кластер",
            "/accounts/login/",
            "/accounts/signup/",
            "/accounts/password/reset/",
        ):
            audit.visit(path)
    finally:
        audit.finish()


def test_member_pages_have_no_axe_violations(browser, site):
    """The cabinet, the group's feed with its composer, a post, the documents, the directory,
    a person's card, notifications, the chat's list and an open conversation, an event with
    its registration, the ideas board's forms and the account pages."""
    base = site["base"]
    audit = Audit(browser, base, "member")
    conversation = site["conversation"]
    try:
        _login(audit.page, base, site["member"].email)
        for path in (
            "/cabinet/",
            "/cabinet/groups/",
            "/cabinet/groups/gorki/",
            f"/cabinet/groups/gorki/posts/{site['post'].pk}/",
            "/cabinet/groups/gorki/documents/",
            "/cabinet/groups/gorki/members/",
            f"/cabinet/people/{site['colleague'].pk}/",
            "/cabinet/notifications/",
            "/cabinet/notifications/settings/",
            "/cabinet/messages/",
            f"/cabinet/messages/{conversation.pk}/",
            f"/cabinet/messages/{conversation.pk}/files/",
            "/ideas/new/",
            f"/ideas/{site['idea'].pk}/",
            "/accounts/email/",
            "/accounts/password/change/",
        ):
            audit.visit(path)
        # MFA and the sessions page (allauth.mfa, allauth.usersessions) are checked once the
        # project mounts them; until then these addresses do not resolve and are skipped.
        for path in ("/accounts/2fa/", "/accounts/sessions/"):
            if _resolves(path):
                audit.visit(path)
        # The event page with the member's one-click registration, then registered.
        audit.visit(site["event"].url)
        audit.page.locator("form[action$='/register/'] button[type=submit]").first.click()
        audit.page.wait_for_load_state()
        audit.check(site["event"].url + " (registered)")
    finally:
        audit.finish()


def test_initiative_admin_pages_have_no_axe_violations(browser, site):
    """The applications queue, invitations, the group's indicators and the feed as its admin."""
    audit = Audit(browser, site["base"], "initiative admin")
    try:
        _login(audit.page, site["base"], site["admin"].email)
        for path in (
            "/cabinet/",
            "/cabinet/groups/gorki/",
            "/cabinet/groups/gorki/applications/",
            "/cabinet/groups/gorki/invite/",
            "/cabinet/groups/gorki/indicators/",
        ):
            audit.visit(path)
    finally:
        audit.finish()


def test_portal_admin_pages_have_no_axe_violations(browser, site):
    """The portal admin's pages: the registry, users, e-mails, indicators and targets,
    organisations' merge and the broadcast («Сообщение всем»)."""
    audit = Audit(browser, site["base"], "portal admin")
    try:
        _login(audit.page, site["base"], site["portal_admin"].email)
        for name in (
            "dashboard:initiatives",
            "dashboard:users",
            "dashboard:emails",
            "dashboard:indicators",
            "dashboard:indicator_targets",
            "dashboard:organisation_merge",
            "chat_admin:broadcast",
        ):
            audit.visit(reverse(name))
        audit.visit("/cabinet/groups/gorki/applications/")
    finally:
        audit.finish()
