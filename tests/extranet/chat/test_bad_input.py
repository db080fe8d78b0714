"""Every refused message gets a clear error on the page and keeps what was typed: empty, too
long, a bad file, too many files, sent too fast, not allowed (blocked meanwhile), both as a
plain form post (the page again) and as chat.js's XMLHttpRequest (JSON, status 400)."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from extranet.chat.models import MESSAGE_MAX_LENGTH, Block, Message
from tests.extranet.chat.page_helpers import talk, url
from tests.extranet.feed.files import pe_bytes
from tests.factories import MINIMAL_PDF

pytestmark = pytest.mark.django_db

TEXT = "Текст, который нельзя потерять"


@pytest.fixture
def pair(people):
    member, admin = people["member"], people["initiative_admin"]
    return member, admin, talk(member, admin, (admin, "Начало"))


def errors_of(page: str) -> str:
    match = re.search(r"data-chat-error-list>(.*?)</ul>", page, re.S)
    assert match, "no error list"
    return match.group(1)


def refused(client, address, data, *, kept: str):
    """Post ``data`` both ways; the page shows the error with ``kept`` in the textarea, the
    JSON answer has the error. Returns the page's errors."""
    response = client.post(address, data)
    assert response.status_code == 200
    page = response.content.decode()
    errors = errors_of(page)
    assert "<li>" in errors
    assert f">{kept}</textarea>" in page
    assert "data-chat-composer" in page
    answer = client.post(address, data, HTTP_ACCEPT="application/json")
    assert answer.status_code == 400
    assert answer.json()["ok"] is False and answer.json()["error"]
    return errors


def test_empty(pair, client_for):
    """Blank text and no file: «the message is empty»."""
    member, _admin, conversation = pair
    refused(
        client_for(member),
        url("chat:conversation", conversation.pk),
        {"text": "  \n "},
        kept="  \n ",
    )
    assert Message.objects.count() == 1


def test_too_long(pair, client_for):
    """Longer than MESSAGE_MAX_LENGTH: refused with the limit, the whole text kept."""
    member, _admin, conversation = pair
    text = "я" * (MESSAGE_MAX_LENGTH + 1)
    errors = refused(
        client_for(member), url("chat:conversation", conversation.pk), {"text": text}, kept=text
    )
    assert str(MESSAGE_MAX_LENGTH) in errors
    assert Message.objects.count() == 1


def test_bad_file(pair, client_for):
    """A program as .pdf: the file is named, the text kept, and the page says to choose the
    files again."""
    member, _admin, conversation = pair
    client = client_for(member)
    address = url("chat:conversation", conversation.pk)
    response = client.post(
        address, {"text": TEXT, "files": [SimpleUploadedFile("Отчёт.pdf", pe_bytes())]}
    )
    page = response.content.decode()
    assert "Отчёт.pdf" in errors_of(page)
    assert f">{TEXT}</textarea>" in page
    assert "composer__note" in page
    answer = client.post(
        address,
        {"text": TEXT, "files": [SimpleUploadedFile("Отчёт.pdf", pe_bytes())]},
        HTTP_ACCEPT="application/json",
    )
    assert answer.status_code == 400 and "Отчёт.pdf" in answer.json()["errors"]["files"][0]
    assert Message.objects.count() == 1


@override_settings(CHAT_MAX_ATTACHMENTS=1)
def test_too_many_files(pair, client_for):
    """More files than CHAT_MAX_ATTACHMENTS: refused, the text kept."""
    member, _admin, conversation = pair
    client = client_for(member)
    response = client.post(
        url("chat:conversation", conversation.pk),
        {"text": TEXT, "files": [SimpleUploadedFile(f"{i}.pdf", MINIMAL_PDF) for i in range(2)]},
    )
    page = response.content.decode()
    assert "1" in errors_of(page)
    assert f">{TEXT}</textarea>" in page
    assert Message.objects.count() == 1


@override_settings(CHAT_RATE_LIMIT=1, CHAT_RATE_WINDOW=60)
def test_rate_limited(pair, client_for):
    """Past CHAT_RATE_LIMIT messages in the window: «too fast», the text kept."""
    member, _admin, conversation = pair
    client = client_for(member)
    address = url("chat:conversation", conversation.pk)
    assert client.post(address, {"text": "Первое"}).status_code == 302
    refused(client, address, {"text": TEXT}, kept=TEXT)
    assert Message.objects.count() == 2


def test_not_allowed_any_more(pair, client_for):
    """Blocked while typing: the message is refused with the reason, the text is kept in a
    composer under the sentence saying why writing stopped."""
    member, admin, conversation = pair
    Block.objects.create(blocker=admin, blocked=member)
    client = client_for(member)
    address = url("chat:conversation", conversation.pk)
    response = client.post(address, {"text": TEXT})
    page = response.content.decode()
    assert "<li>" in errors_of(page)
    assert f">{TEXT}</textarea>" in page
    assert "data-chat-closed" in page
    answer = client.post(address, {"text": TEXT}, HTTP_ACCEPT="application/json")
    assert answer.status_code == 400
    assert Message.objects.count() == 1


def test_first_message_errors_keep_the_text(people, client_for):
    """«Написать»'s first message that is too long comes back on the empty conversation page
    with the text kept, and nothing is stored."""
    member, portal = people["member"], people["portal_admin"]
    text = "ы" * (MESSAGE_MAX_LENGTH + 1)
    refused(client_for(member), url("chat:with", portal.pk), {"text": text}, kept=text)
    assert not Message.objects.exists()
