"""The header's counted items (``register_nav_item``): the notifications' bell for every
role, its count and screen-reader text, the menu button's dot, one call per request."""

from __future__ import annotations

import json
import re

import pytest
from django.test import RequestFactory
from notifications.models import Notification
from wagtail import hooks

from extranet.members.templatetags.cabinet_tags import NAV_ITEM_HOOK, NavItem, nav_items
from extranet.notices.wagtail_hooks import notifications_bell
from tests.conftest import EXTRANET_ROLES
from tests.extranet.notices.helpers import make_notices

pytestmark = pytest.mark.django_db

BELL = 'data-nav-item="notifications"'


def _bell(html: str) -> str:
    match = re.search(r'<a [^>]*data-nav-item="notifications".*?</a>', html, re.S)
    return match.group(0) if match else ""


def _dot_hidden(html: str) -> bool:
    tag = re.search(r"<span [^>]*data-menu-dot[^>]*>", html).group(0)
    return " hidden" in tag


@pytest.mark.parametrize("role", EXTRANET_ROLES)
def test_bell_per_role(client_for, people, role):
    """Every signed-in role has the bell with its own unread count and the live socket's
    path; a guest has none (and no script)."""
    user = people[role]
    client = client_for(user)
    if user is None:
        html = client.get("/en/cabinet/notifications/", follow=True).content.decode()
        assert BELL not in html
        assert "js/notices.js" not in html
        assert _dot_hidden(html)
        return
    make_notices(user, 2)
    html = client.get("/en/cabinet/").content.decode()
    bell = _bell(html)
    assert 'href="/en/cabinet/notifications/"' in bell
    assert 'data-live-count="/ws/notifications/"' in bell
    assert '<span class="visually-hidden" data-nav-label>Notifications</span>' in bell
    assert '<span aria-hidden="true">2</span>' in bell
    assert "2 unread" in bell
    assert not _dot_hidden(html)
    assert "js/notices.js" in html


def test_no_badge_and_no_dot_at_zero(client_for, people):
    """Nothing unread: the bell has no badge and the menu button no dot."""
    user = people["member"]
    notices = make_notices(user, 1)
    Notification.objects.filter(pk=notices[0].pk).update(unread=False)
    html = client_for(user).get("/en/cabinet/").content.decode()
    assert _bell(html)
    assert "data-nav-count" not in _bell(html)
    assert _dot_hidden(html)


def test_count_follows_mark_all_read(client_for, people):
    """The cached count is forgotten when notices are read: the next page shows none."""
    user = people["member"]
    make_notices(user, 3)
    client = client_for(user)
    assert '<span aria-hidden="true">3</span>' in _bell(client.get("/en/cabinet/").content.decode())
    client.post("/cabinet/notifications/read-all/")
    assert "data-nav-count" not in _bell(client.get("/en/cabinet/").content.decode())


def test_screen_reader_forms_in_russian(client_for, people):
    """The page carries «{n} непрочитанное/…» per plural category for js/notices.js."""
    user = people["member"]
    html = client_for(user).get("/cabinet/").content.decode()
    raw = re.search(r'data-count-forms="([^"]*)"', _bell(html)).group(1)
    forms = json.loads(raw.replace("&quot;", '"'))
    assert set(forms) == {"one", "few", "many", "other"}
    assert forms["one"] == "{n} непрочитанное"
    assert forms["few"] == forms["many"] == "{n} непрочитанных"


def test_current_page_is_marked(client_for, people):
    """On the list itself the bell is the current page."""
    user = people["member"]
    html = client_for(user).get("/cabinet/notifications/").content.decode()
    assert 'aria-current="page"' in _bell(html)


def test_bell_hook_refuses_inactive_accounts(people):
    """The bell's provider gives nothing to a blocked account."""
    user = people["member"]
    user.is_active = False
    assert notifications_bell(user) == []


def test_items_are_asked_once_per_request(people):
    """However many times the header asks (the menu and the dot), each provider runs once."""
    calls = []

    def provider(user):
        calls.append(user.pk)
        return [NavItem(key="extra", label="Ещё", url="/extra/", count=4, icon="chat")]

    request = RequestFactory().get("/")
    request.user = people["member"]
    with hooks.register_temporarily(NAV_ITEM_HOOK, provider, order=20):
        first = nav_items({"request": request})
        second = nav_items({"request": request})
    assert first is second
    assert calls == [people["member"].pk]
    # In hook order: the chat's «Сообщения» (5), the bell (10), this provider (20).
    assert [item.key for item in first] == ["messages", "notifications", "extra"]


def test_another_apps_item_renders_generically(client_for, people):
    """Another registered item gets its icon, label and count, and the
    dot counts it too; an item without a socket has an empty live path."""

    def provider(user):
        return [NavItem(key="extra", label="Extra", url="/extra/", count=4, icon="chat")]

    user = people["member"]
    with hooks.register_temporarily(NAV_ITEM_HOOK, provider):
        html = client_for(user).get("/en/cabinet/").content.decode()
    chat = re.search(r'<a [^>]*data-nav-item="extra".*?</a>', html, re.S).group(0)
    assert 'href="/extra/"' in chat
    assert 'data-live-count=""' in chat
    assert "<svg" in chat
    assert '<span aria-hidden="true">4</span>' in chat
    assert "data-nav-count" not in _bell(html)
    assert not _dot_hidden(html)
