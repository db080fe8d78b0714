"""The header's «Сообщения (N)» is cached between pages and forgotten whenever it changes."""

from __future__ import annotations

import re

import pytest

from extranet.chat import broadcasts, services
from extranet.chat.models import Broadcast

from .page_helpers import talk, url

pytestmark = pytest.mark.django_db


def _header_count(client) -> int:
    html = client.get(url("cabinet")).content.decode()
    item = re.search(r'<a [^>]*data-nav-item="messages".*?</a>', html, re.S)
    assert item, "the header has no «Сообщения» item"
    number = re.search(r'<span aria-hidden="true">(\d+)</span>', item.group(0))
    return int(number.group(1)) if number else 0


def test_a_new_message_and_reading_it_change_the_cached_count(
    people, client_for, django_capture_on_commit_callbacks
):
    """B's header count, once cached, goes up when A writes and down when B reads: every
    change forgets the cached total after its commit."""
    a, b = people["member"], people["initiative_admin"]
    client = client_for(b)
    assert _header_count(client) == 0
    with django_capture_on_commit_callbacks(execute=True):
        conversation = talk(a, b, (a, "Первое"), (a, "Второе"))
    assert _header_count(client) == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_mark_read(user=b, conversation=conversation)
    assert _header_count(client) == 0


def test_a_message_to_everyone_changes_the_cached_count(
    people, client_for, django_capture_on_commit_callbacks
):
    """A delivered message to everyone forgets each recipient's cached total."""
    member = people["member"]
    client = client_for(member)
    assert _header_count(client) == 0
    with django_capture_on_commit_callbacks(execute=True):
        broadcasts.broadcast_create(
            sender=people["portal_admin"],
            audience=Broadcast.Audience.ALL,
            initiative=None,
            body="Всем участникам",
        )
    assert _header_count(client) == 1
