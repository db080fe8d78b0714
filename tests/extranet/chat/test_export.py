"""The chat's part of /cabinet/data.json: the person's conversations with the other person's
name and dates, their own messages and the names of the files they sent; nothing the other
person wrote; two queries however much they wrote."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.uploads import upload_check
from extranet.chat import exports, services

pytestmark = pytest.mark.django_db


def _export(client, user) -> dict:
    client.force_login(user)
    response = client.get("/cabinet/data.json")
    assert response.status_code == 200
    return json.loads(response.content)


def _send(sender, conv, body, files=()):
    uploads = [upload_check(SimpleUploadedFile(name, data)) for name, data in files]
    return services.message_send(
        sender=sender, conversation=conv, body=body, uploads=uploads, publish=False
    )


def test_export_holds_my_conversations_messages_and_file_names(client, people, conversation):
    """The member's conversation with the admin names the admin, has the start date, the
    member's message with its file's name and an absolute link; the admin's text is not in
    it, and a conversation of two other people is not either."""
    me, other = people["member"], people["initiative_admin"]
    conv = conversation(me, other)
    _send(other, conv, "Чужое сообщение администратора")
    mine = _send(me, conv, "Моё сообщение", files=[("Отчёт.txt", "Итоги квартала".encode())])
    strangers = conversation(other, people["portal_admin"])
    _send(people["portal_admin"], strangers, "Сообщение не для меня")

    data = _export(client, me)
    [section] = data["chat"]
    assert section["id"] == conv.pk
    assert section["with"] == other.get_full_name()
    assert section["started"] and section["last_message"]
    assert section["url"] == f"http://testserver/cabinet/messages/{conv.pk}/"
    assert section["my_messages"] == [
        {
            "id": mine.pk,
            "text": "Моё сообщение",
            "sent": mine.created_at.isoformat(),
            "to_everyone": False,
            "files": ["Отчёт.txt"],
        }
    ]
    text = json.dumps(data, ensure_ascii=False)
    assert "Чужое сообщение" not in text and "не для меня" not in text


def test_a_deleted_other_person_reads_as_nobody(people, conversation):
    """A conversation whose other person deleted their account stays in the export, with an
    empty name."""
    me, other = people["member"], people["initiative_admin"]
    conversation(me, other)
    other.delete()
    [section] = exports.account_export(user=me)["chat"]
    assert section["with"] == "" and section["my_messages"] == []


@pytest.mark.parametrize("count", [1, 20])
def test_the_section_costs_two_queries(people, conversation, count):
    """Two queries for one message with a file as for twenty across two conversations."""
    me = people["member"]
    convs = [conversation(me, people["initiative_admin"]), conversation(me, people["portal_admin"])]
    for n in range(count):
        _send(me, convs[n % 2], f"Сообщение {n}", files=[(f"файл{n}.txt", b"data")])
    with CaptureQueriesContext(connection) as queries:
        section = exports.account_export(user=me)["chat"]
    assert len(queries) == 2
    assert sum(len(item["my_messages"]) for item in section) == count
    assert all(m["files"] for item in section for m in item["my_messages"])
