"""The header's counters (the chat's «Сообщения (N)», the bell) come from one cache lookup per
page (extranet/members/nav.py), with no query of their own once warm, and change on the very
next page after a new message, a new notice, or a new application (its notice to the
group's admins)."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from extranet.chat import services as chat_services
from extranet.members import services as members_services
from extranet.members.nav import nav_items_forget
from extranet.notices import services as notices_services
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

PAGE = "/en/cabinet/"


def _count(html: str, key: str) -> int:
    """The badge number of the header item ``key`` (0 without a badge)."""
    item = re.search(rf'<a [^>]*data-nav-item="{key}".*?</a>', html, re.S)
    assert item, key
    badge = re.search(r'data-nav-count><span aria-hidden="true">(\d+)</span>', item.group(0))
    return int(badge.group(1)) if badge else 0


def _page(client) -> str:
    response = client.get(PAGE)
    assert response.status_code == 200
    return response.content.decode()


def test_one_cache_lookup_and_no_counter_query(client_for, people):
    """Warm, a page reads the header's items with one cache get (no per-counter keys) and
    runs no query on the chat's inbox or the notifications."""
    client = client_for(people["member"])
    _page(client)
    backend = caches["default"]
    with (
        mock.patch.object(backend, "get", wraps=backend.get) as get,
        CaptureQueriesContext(connection) as queries,
    ):
        _page(client)
    keys = [call.args[0] for call in get.call_args_list]
    assert [k for k in keys if k.startswith("nav:items:")] == [
        f"nav:items:{people['member'].pk}:en"
    ]
    assert not [k for k in keys if k.startswith(("chat:unread:", "notices:unread:"))]
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "chat_inbox" not in sql
    assert "notifications_notification" not in sql


def test_new_message_shows_on_the_next_page(client_for, people, django_capture_on_commit_callbacks):
    """Another member writes: the recipient's «Сообщения» count goes from 0 to 1 at once."""
    member, writer = people["member"], people["initiative_admin"]
    client = client_for(member)
    assert _count(_page(client), "messages") == 0
    conversation = chat_services.conversation_open(user=writer, other=member)
    # The services forget the cached counts after the commit, as in production.
    with django_capture_on_commit_callbacks(execute=True):
        chat_services.message_send(sender=writer, conversation=conversation, body="Привет")
    assert _count(_page(client), "messages") == 1
    with django_capture_on_commit_callbacks(execute=True):
        chat_services.conversation_mark_read(user=member, conversation=conversation)
    assert _count(_page(client), "messages") == 0


def test_new_notification_shows_on_the_next_page(
    client_for, people, django_capture_on_commit_callbacks
):
    """A notice for the member: the bell goes from 0 to 1 at once, and back to 0 when all
    are marked read."""
    member = people["member"]
    client = client_for(member)
    assert _count(_page(client), "notifications") == 0
    with django_capture_on_commit_callbacks(execute=True):
        notices_services.notify(
            kind="members.application_approved",
            recipients=[member],
            target=member,
            url="/cabinet/",
            params={"initiative": "Горки"},
        )
    assert _count(_page(client), "notifications") == 1
    with django_capture_on_commit_callbacks(execute=True):
        notices_services.notifications_mark_all_read(user=member)
    assert _count(_page(client), "notifications") == 0


def test_new_application_shows_on_the_admins_next_page(
    client_for, people, gorki, django_capture_on_commit_callbacks
):
    """Someone applies to «gorki»: its admin's bell counts one more on the next page."""
    admin = people["initiative_admin"]
    client = client_for(admin)
    before = _count(_page(client), "notifications")
    applicant = ProfileFactory(user__email="applicant@example.com").user
    with django_capture_on_commit_callbacks(execute=True):
        members_services.membership_apply(user=applicant, initiative=gorki)
    assert _count(_page(client), "notifications") == before + 1


def test_forget_drops_every_language(client_for, people):
    """``nav_items_forget`` drops the user's entry in every language of the site."""
    member = people["member"]
    client = client_for(member)
    _page(client)
    client.get("/cabinet/")
    backend = caches["default"]
    assert backend.get(f"nav:items:{member.pk}:en") is not None
    nav_items_forget(member.pk)
    assert backend.get(f"nav:items:{member.pk}:en") is None
    assert backend.get(f"nav:items:{member.pk}:ru") is None
