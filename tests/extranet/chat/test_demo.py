"""The chat's demo data: the demo member's conversations of the mock-up (with the initiative's
admin, with another member sharing files, the portal admin's message to everyone), five of
them unread, no e-mail about them; seeding twice creates nothing new."""

from __future__ import annotations

from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from extranet.chat import demo, missed, services
from extranet.chat.models import (
    Broadcast,
    Conversation,
    Inbox,
    Message,
    MessageAttachment,
    Participant,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _chat_listed(settings):
    # Until cms/settings/base.py lists the chat's seeder (after the feed's).
    if "extranet.chat.demo.seed" not in settings.DEMO_SEEDERS:
        settings.DEMO_SEEDERS = [*django_settings.DEMO_SEEDERS, "extranet.chat.demo.seed"]


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", "--force", stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    return {
        "conversations": sorted(Conversation.objects.values_list("user_a_id", "user_b_id")),
        "messages": sorted(
            Message.objects.values_list("conversation_id", "sender_id", "body", "created_at")
        ),
        "files": sorted(MessageAttachment.objects.values_list("message__body", "name", "size")),
        "broadcasts": list(Broadcast.objects.values_list("body", "status", "recipients_count")),
        "unread": sorted(Participant.objects.values_list("user_id", "conversation_id", "unread")),
    }


@pytest.fixture
def seeded(home_page):
    return seed()


def _user(email):
    return get_user_model().objects.get(email=email)


def test_second_run_creates_nothing(seeded):
    """Seeding again leaves every conversation, message, file and counter as it was."""
    first = snapshot()
    assert first["messages"] and first["files"] and first["broadcasts"]
    assert "chat messages" in seeded
    seed()
    assert snapshot() == first


def test_the_demo_member_has_the_mockup_conversations(seeded):
    """Member ↔ initiative admin (the mock-up's texts), member ↔ member with shared files,
    and the portal admin's message to everyone; five unread, as «Сообщения 5»."""
    member = _user(demo.DEMO_MEMBER)
    admin = _user("admin.gorki@example.com")
    colleague = _user("member2.gorki@example.com")
    portal_admin = _user("admin@example.com")
    with_admin = services.conversation_between(user=member, other=admin)
    texts = list(with_admin.messages.values_list("body", flat=True))
    assert texts[0].startswith("Кластерная инициатива — деятельность")
    assert any(text.startswith("Центры кластерного развития") for text in texts)
    with_colleague = services.conversation_between(user=member, other=colleague)
    assert set(with_colleague.attachments.values_list("name", flat=True)) == set(demo.FILES)
    with_portal_admin = services.conversation_between(user=member, other=portal_admin)
    assert with_portal_admin.messages.get().broadcast.body == demo.BROADCAST_TEXT
    assert Inbox.objects.get(user=member).unread_total == 5
    assert services.unread_total(user=member) == 5
    # The dates are the mock-up's kind: earlier days, in order within each conversation.
    for conversation in (with_admin, with_colleague):
        dates = list(conversation.messages.values_list("created_at", flat=True))
        assert dates == sorted(dates)
        assert conversation.last_message_at == dates[-1]


def test_the_message_to_everyone_reached_every_other_account(seeded):
    """Delivered through broadcast_deliver: everyone active but the portal admin has it."""
    broadcast = Broadcast.objects.get(body=demo.BROADCAST_TEXT)
    others = get_user_model().objects.filter(is_active=True).exclude(pk=broadcast.sender_id)
    assert broadcast.status == Broadcast.Status.DONE
    assert broadcast.recipients_count == others.count()
    assert Message.objects.filter(broadcast=broadcast).count() == others.count()


def test_seeding_mails_nobody_about_old_demo_messages(seeded, mailoutbox):
    """The seeded messages count as told: the missed-message check finds nothing."""
    assert missed.missed_messages_notify() == 0
    assert not [m for m in mailoutbox if "message" in m.subject.lower()]


def test_the_shared_files_are_stored_and_open(seeded):
    """Each shared file is in private storage with its size, the text file reads as written
    and the workbook opens in openpyxl with the plan's header."""
    import io

    import openpyxl

    names = set()
    for attachment in MessageAttachment.objects.all():
        with attachment.file.open("rb") as stored:
            data = stored.read()
        assert attachment.size == len(data)
        names.add(attachment.name)
        if attachment.name.endswith(".txt"):
            assert data == demo.FILES[attachment.name]()
        else:
            sheet = openpyxl.load_workbook(io.BytesIO(data)).active
            assert sheet["B1"].value == "Мероприятие"
    assert names == set(demo.FILES)
