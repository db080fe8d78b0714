"""Files in conversations: sent through the composer's form (checked by core.uploads like
the feed's), listed under «Общие файлы» newest first with sender, date and size, and
downloaded byte for byte by the participants only (404 to everyone else)."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from extranet.chat.models import MessageAttachment
from extranet.feed import samples
from tests.extranet.chat.page_helpers import talk, url
from tests.extranet.feed.files import pe_bytes
from tests.factories import MINIMAL_PDF

pytestmark = pytest.mark.django_db


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def pair(people):
    member, admin = people["member"], people["initiative_admin"]
    return member, admin, talk(member, admin, (admin, "Пришлите, пожалуйста, план"))


def test_a_file_sent_through_the_form_downloads_as_the_same_bytes(pair, client_for, people):
    """The member sends a .docx with text; the admin downloads the same bytes under its
    name, as an attachment, never sniffed; a third person gets 404."""
    member, admin, conversation = pair
    data = samples.docx_bytes("План работ", ["Первый пункт", "Второй пункт"])
    response = client_for(member).post(
        url("chat:conversation", conversation.pk),
        {"text": "Вот план", "files": [SimpleUploadedFile("План работ.docx", data)]},
    )
    assert response.status_code == 302
    attachment = MessageAttachment.objects.get()
    assert attachment.name == "План работ.docx" and attachment.size == len(data)
    assert attachment.message.body == "Вот план" and attachment.conversation == conversation

    download = client_for(admin).get(url("chat_files:file", attachment.pk))
    assert download.status_code == 200
    assert body(download) == data
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert (
        client_for(people["other_member"]).get(url("chat_files:file", attachment.pk)).status_code
        == 404
    )
    assert client_for(None).get(url("chat_files:file", attachment.pk)).status_code == 404
    assert client_for(member).get(url("chat_files:file", 999_999)).status_code == 404


def test_shared_files_lists_every_file_newest_first(pair, client_for):
    """«Общие файлы» lists the files of both people, newest first, with size and sender;
    the conversation page shows them with their message."""
    member, admin, conversation = pair
    member_client, admin_client = client_for(member), client_for(admin)
    member_client.post(
        url("chat:conversation", conversation.pk),
        {"files": [SimpleUploadedFile("Первый.pdf", MINIMAL_PDF)]},
    )
    admin_client.post(
        url("chat:conversation", conversation.pk),
        {
            "text": "Два файла",
            "files": [
                SimpleUploadedFile("Второй.pdf", MINIMAL_PDF),
                SimpleUploadedFile("Таблица.xlsx", samples.xlsx_bytes([["a", 1]])),
            ],
        },
    )
    page = member_client.get(url("chat:files", conversation.pk)).content.decode()
    names = re.findall(r'class="document__name" href="[^"]+" download>([^<]+)<', page)
    assert names == ["Таблица.xlsx", "Второй.pdf", "Первый.pdf"]
    assert admin.get_full_name() in page
    for attachment in MessageAttachment.objects.all():
        assert url("chat_files:file", attachment.pk) in page
    history = member_client.get(url("chat:conversation", conversation.pk)).content.decode()
    assert "file-icon--pdf" in history and "file-icon--spreadsheet" in history


def test_refused_types_are_named_and_nothing_is_stored(pair, client_for):
    """A program disguised as .pdf and a type not accepted are refused with the file named;
    the text stays in the composer and no message or file is stored."""
    member, _admin, conversation = pair
    response = client_for(member).post(
        url("chat:conversation", conversation.pk),
        {
            "text": "Смотрите вложения",
            "files": [
                SimpleUploadedFile("Отчёт.pdf", pe_bytes()),
                SimpleUploadedFile("setup.exe", pe_bytes()),
            ],
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    errors = re.search(r"data-chat-error-list>(.*?)</ul>", page, re.S).group(1)
    assert "Отчёт.pdf" in errors and "setup.exe" in errors
    assert ">Смотрите вложения</textarea>" in page
    assert conversation.messages.count() == 1
    assert not MessageAttachment.objects.exists()


@override_settings(CHAT_MAX_ATTACHMENTS=2)
def test_too_many_files_over_xhr_is_a_json_error(pair, client_for):
    """More files than CHAT_MAX_ATTACHMENTS: chat.js's request gets a 400 with the error
    under «files»."""
    member, _admin, conversation = pair
    response = client_for(member).post(
        url("chat:conversation", conversation.pk),
        {
            "text": "Три",
            "files": [SimpleUploadedFile(f"{i}.pdf", MINIMAL_PDF) for i in range(3)],
        },
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["files"]
    assert not MessageAttachment.objects.exists()


def test_xhr_upload_answers_with_the_file_in_the_payload(pair, client_for):
    """An XMLHttpRequest upload answers with the message's payload, its file linked to the
    download address."""
    member, _admin, conversation = pair
    response = client_for(member).post(
        url("chat:conversation", conversation.pk),
        {"files": [SimpleUploadedFile("План.pdf", MINIMAL_PDF)]},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 201
    (attachment,) = response.json()["message"]["attachments"]
    stored = MessageAttachment.objects.get()
    assert attachment["url"] == url("chat_files:file", stored.pk)
    assert attachment["name"] == "План.pdf" and attachment["family"] == "pdf"
