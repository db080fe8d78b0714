"""/ws/notifications/: session auth and origin check, the count on connect and pushed on
change, ping/count messages, bad frames, and blocked accounts closed."""

from __future__ import annotations

import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import transaction
from django.test import Client
from notifications.models import Notification

from cms.asgi import application
from extranet.members.models import Membership
from extranet.members.profiles import consent_withdraw
from extranet.members.services import membership_approve
from extranet.notices import services
from extranet.notices.selectors import unread_count_forget
from tests.conftest import EXTRANET_ROLES
from tests.extranet.notices.helpers import make_notices

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

PATH = "/ws/notifications/"
ORIGIN = (b"origin", b"http://localhost")


def _headers(client=None, origin=ORIGIN):
    headers = [origin]
    if client is not None and "sessionid" in client.cookies:
        headers.append((b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()))
    return headers


async def _login(user):
    """A test client's session for ``user`` (None: a guest), made outside the event loop."""

    def login():
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return await database_sync_to_async(login)()


async def _connect(client=None, origin=ORIGIN):
    communicator = WebsocketCommunicator(application, PATH, headers=_headers(client, origin))
    connected, _ = await communicator.connect()
    return communicator, connected


async def _receive(communicator):
    return json.loads(await communicator.receive_from(timeout=3))


async def _send(communicator, message):
    await communicator.send_to(text_data=json.dumps(message))
    return await _receive(communicator)


@pytest.mark.parametrize("role", EXTRANET_ROLES)
async def test_connect_per_role(people, role):
    """A guest's socket is refused; every signed-in role's opens with their own count."""
    user = people[role]
    client = await _login(user)
    if user is None:
        _communicator, connected = await _connect(client)
        assert not connected
        return
    await database_sync_to_async(make_notices)(user, 2)
    communicator, connected = await _connect(client)
    assert connected
    assert await _receive(communicator) == {"type": "unread", "count": 2}
    await communicator.disconnect()


async def test_anonymous_without_cookie_is_refused():
    """No session: the handshake fails."""
    _communicator, connected = await _connect()
    assert not connected


async def test_foreign_origin_is_refused_even_with_a_session(people):
    """A page of another site cannot open the bell with the person's cookie."""
    client = await _login(people["member"])
    _communicator, connected = await _connect(client, origin=(b"origin", b"https://evil.example"))
    assert not connected


async def test_approval_pushes_the_new_count(people, gorki):
    """The applicant's open bell gets 1 when the admin approves them (the notice is made
    and pushed after the approval commits)."""
    applicant = people["pending"]
    admin = people["initiative_admin"]
    communicator, connected = await _connect(await _login(applicant))
    assert connected
    assert await _receive(communicator) == {"type": "unread", "count": 0}

    def approve():
        membership = Membership.objects.get(user=applicant, initiative=gorki)
        with transaction.atomic():
            membership_approve(membership=membership, by=admin)

    await database_sync_to_async(approve)()
    assert await _receive(communicator) == {"type": "unread", "count": 1}
    await communicator.disconnect()


async def test_mark_all_read_pushes_zero(people):
    """Reading everything (in another tab) sets the bell to 0."""
    user = people["member"]
    await database_sync_to_async(make_notices)(user, 3)
    communicator, _ = await _connect(await _login(user))
    assert await _receive(communicator) == {"type": "unread", "count": 3}
    await database_sync_to_async(services.notifications_mark_all_read)(user=user)
    assert await _receive(communicator) == {"type": "unread", "count": 0}
    await communicator.disconnect()


async def test_other_peoples_changes_are_not_pushed(people):
    """A change of someone else's notices sends nothing to my bell."""
    me, other = people["member"], people["initiative_admin"]
    await database_sync_to_async(make_notices)(other, 1)
    communicator, _ = await _connect(await _login(me))
    assert await _receive(communicator) == {"type": "unread", "count": 0}
    await database_sync_to_async(services.notifications_mark_all_read)(user=other)
    assert await communicator.receive_nothing(timeout=0.3)
    await communicator.disconnect()


async def test_ping_and_count(people):
    """{"type": "ping"} gets pong; {"type": "count"} the count as the database has it."""
    user = people["member"]
    communicator, _ = await _connect(await _login(user))
    assert await _receive(communicator) == {"type": "unread", "count": 0}
    assert await _send(communicator, {"type": "ping"}) == {"type": "pong"}
    # Written without a push (the cached count forgotten, as services do): «count» reads it.
    await database_sync_to_async(make_notices)(user, 1)
    await database_sync_to_async(unread_count_forget)(user.pk)
    assert await _send(communicator, {"type": "count"}) == {"type": "unread", "count": 1}
    await communicator.disconnect()


async def test_bad_frames_get_errors_and_the_socket_stays_open(people):
    """Invalid JSON, a non-object, unknown types, frames over 1 KB and binary frames each get
    an error; the socket still answers afterwards."""
    communicator, _ = await _connect(await _login(people["member"]))
    await _receive(communicator)
    frames = ["not json", json.dumps(["ping"]), json.dumps({"type": "x"}), json.dumps({})]
    frames.append(json.dumps({"type": "ping", "pad": "x" * 1100}))
    for frame in frames:
        await communicator.send_to(text_data=frame)
        reply = await _receive(communicator)
        assert reply["type"] == "error" and reply["error"]
    await communicator.send_to(bytes_data=b"\x00\x01")
    reply = await _receive(communicator)
    assert reply["type"] == "error"
    assert await _send(communicator, {"type": "ping"}) == {"type": "pong"}
    await communicator.disconnect()


async def test_blocked_account_is_closed_on_the_next_push(people):
    """Consent withdrawn (is_active False) while the bell is open: the next push closes it
    instead of sending a count."""
    user = people["member"]
    communicator, _ = await _connect(await _login(user))
    await _receive(communicator)
    await database_sync_to_async(consent_withdraw)(user=user)
    await database_sync_to_async(services.bells_changed)(user_ids=[user.pk])
    output = await communicator.receive_output(timeout=3)
    assert output["type"] == "websocket.close"


async def test_blocked_account_is_closed_on_its_next_message(people):
    """Every client message asks again: a blocked account's ping closes the socket."""
    user = people["member"]
    communicator, _ = await _connect(await _login(user))
    await _receive(communicator)
    await database_sync_to_async(consent_withdraw)(user=user)
    await communicator.send_to(text_data=json.dumps({"type": "ping"}))
    output = await communicator.receive_output(timeout=3)
    assert output["type"] == "websocket.close"


async def test_blocked_account_cannot_connect(people):
    """An account blocked after logging in cannot open the bell with its old session."""
    user = people["member"]
    client = await _login(user)
    await database_sync_to_async(consent_withdraw)(user=user)
    _communicator, connected = await _connect(client)
    assert not connected


async def test_deleted_notice_counts_nowhere(people):
    """The count is the database's: a soft-deleted notice is not counted."""
    user = people["member"]
    notices = await database_sync_to_async(make_notices)(user, 2)
    await database_sync_to_async(Notification.objects.filter(pk=notices[0].pk).update)(deleted=True)
    communicator, _ = await _connect(await _login(user))
    assert await _receive(communicator) == {"type": "unread", "count": 1}
    await communicator.disconnect()
