"""Every address of the chat's pages for every role of the ``people`` fixture and a guest,
with exact status codes: guests go to the login page (a file: 404), people outside a
conversation get 404 as if it did not exist, «Написать» is 404 for people one may not write
to, and the POST-only addresses refuse GET."""

from __future__ import annotations

import pytest

from core.uploads import upload_check
from extranet.chat import services
from tests.conftest import EXTRANET_ROLES
from tests.extranet.chat.page_helpers import url
from tests.extranet.feed.files import upload
from tests.factories import MINIMAL_PDF

pytestmark = pytest.mark.django_db

PARTICIPANTS = {"member", "initiative_admin"}


@pytest.fixture
def scene(people):
    """A conversation of the member and the initiative admin with one file."""
    member, admin = people["member"], people["initiative_admin"]
    conversation = services.conversation_open(user=admin, other=member)
    message = services.message_send(
        sender=admin,
        conversation=conversation,
        body="Документ",
        uploads=[upload_check(upload(MINIMAL_PDF, "План.pdf"))],
        publish=False,
    )
    return conversation, message.attachments.get()


def status(client, method, address):
    response = getattr(client, method)(address)
    return response.status_code, response.get("Location", "")


def expect_login(result, address):
    code, location = result
    assert code == 302
    assert location.startswith(url("account_login")) and "next=" in location, location


@pytest.mark.parametrize("role", EXTRANET_ROLES)
def test_conversation_list(role, people, client_for, scene):
    """«Сообщения» is open to every signed-in role; guests go to the login page."""
    result = status(client_for(people[role]), "get", url("chat:index"))
    if role == "guest":
        expect_login(result, url("chat:index"))
    else:
        assert result[0] == 200


@pytest.mark.parametrize("role", EXTRANET_ROLES)
@pytest.mark.parametrize("name", ["chat:conversation", "chat:files"])
def test_conversation_pages(role, name, people, client_for, scene):
    """A conversation and its «Общие файлы»: its two participants only (404 to others)."""
    conversation, _attachment = scene
    address = url(name, conversation.pk)
    result = status(client_for(people[role]), "get", address)
    if role == "guest":
        expect_login(result, address)
    elif role in PARTICIPANTS:
        assert result[0] == 200
    else:
        assert result[0] == 404


@pytest.mark.parametrize("role", EXTRANET_ROLES)
def test_posting_in_a_conversation(role, people, client_for, scene):
    """Only a participant's message is accepted (a redirect to it); others get 404."""
    conversation, _attachment = scene
    address = url("chat:conversation", conversation.pk)
    client = client_for(people[role])
    response = client.post(address, {"text": "Сообщение"})
    if role == "guest":
        expect_login((response.status_code, response.get("Location", "")), address)
    elif role in PARTICIPANTS:
        assert response.status_code == 302
        assert response["Location"].startswith(address + "#message-")
    else:
        assert response.status_code == 404
    assert conversation.messages.count() == (2 if role in PARTICIPANTS else 1)


@pytest.mark.parametrize("role", EXTRANET_ROLES)
def test_file_download(role, people, client_for, scene):
    """/files/chat/<id>/: the participants download it; everyone else, guests too, 404."""
    _conversation, attachment = scene
    response = client_for(people[role]).get(url("chat_files:file", attachment.pk))
    assert response.status_code == (200 if role in PARTICIPANTS else 404)


@pytest.mark.parametrize("role", EXTRANET_ROLES)
@pytest.mark.parametrize("name", ["chat:block", "chat:unblock"])
def test_block_and_unblock_are_post_only(role, name, people, client_for, scene):
    """Blocking: POST by a participant (back to the conversation); 404 to others; GET 405."""
    conversation, _attachment = scene
    address = url(name, conversation.pk)
    client = client_for(people[role])
    if role == "guest":
        expect_login(status(client, "get", address), address)
        expect_login(status(client, "post", address), address)
        return
    assert client.get(address).status_code == 405
    response = client.post(address)
    if role in PARTICIPANTS:
        assert response.status_code == 302
        assert response["Location"] == url("chat:conversation", conversation.pk)
    else:
        assert response.status_code == 404


# Whom each role may start a conversation with, among the others of the fixture (issue 11,
# item 1): members of the same initiative to each other, anyone to the portal admin and the
# portal admin to anyone, the initiative admin to its applicants.
MAY_WRITE = {
    "registered": {"portal_admin"},
    "editor": {"portal_admin"},
    "pending": {"portal_admin"},
    "other_member": {"portal_admin"},
    "member": {"initiative_admin", "portal_admin"},
    "initiative_admin": {"member", "pending", "portal_admin"},
    "portal_admin": {
        "registered",
        "editor",
        "pending",
        "other_member",
        "member",
        "initiative_admin",
    },
}


@pytest.mark.parametrize("role", EXTRANET_ROLES)
@pytest.mark.parametrize("subject", [r for r in EXTRANET_ROLES if r != "guest"])
def test_write_to(role, subject, people, client_for):
    """«Написать» (chat:with): 200 with an empty conversation for a person one may write
    to, 404 for anyone else (oneself included), the login page for guests."""
    address = url("chat:with", people[subject].pk)
    client = client_for(people[role])
    result = status(client, "get", address)
    if role == "guest":
        expect_login(result, address)
    elif subject in MAY_WRITE[role]:
        assert result[0] == 200
    else:
        assert result[0] == 404


def test_write_to_an_unknown_or_inactive_person_is_404(people, client_for):
    """An id that does not exist and a blocked (inactive) account look the same: 404."""
    portal = people["portal_admin"]
    people["member"].is_active = False
    people["member"].save()
    client = client_for(portal)
    assert client.get(url("chat:with", 999_999)).status_code == 404
    assert client.get(url("chat:with", people["member"].pk)).status_code == 404


def test_write_to_with_a_conversation_redirects_for_its_participant(people, client_for, scene):
    """When the conversation exists, «Написать» leads to it (also after the right to write
    ended: the history is the participant's)."""
    conversation, _attachment = scene
    response = client_for(people["member"]).get(url("chat:with", people["initiative_admin"].pk))
    assert response.status_code == 302
    assert response["Location"] == url("chat:conversation", conversation.pk)
