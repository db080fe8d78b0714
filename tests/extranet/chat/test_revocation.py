"""Open /ws/chat/ sockets lose access at once: a membership ends (or an application is
withdrawn or rejected, or a role changes), an account is blocked or deleted, a session logs
out or disappears. The receivers never break the change that triggered them."""

from __future__ import annotations

import logging

import pytest
from channels.db import database_sync_to_async
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session

from extranet.chat import services
from extranet.chat.models import Message
from extranet.members import services as members
from extranet.members.models import Membership
from extranet.members.profiles import consent_withdraw
from tests.factories import MembershipFactory

CLOSED = 4403


def _membership(user, initiative):
    return Membership.objects.get(user=user, initiative=initiative)


@database_sync_to_async
def _ensure(conversation, a, b):
    return conversation(a, b)


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_removed_members_socket_stops_receiving_and_cannot_send(
    people, gorki, chat_socket, conversation
):
    """An admin removes a member (members' service; its on-commit signal runs): the
    member's open socket is told at once (``access``), their former co-member's message is
    refused and never reaches them, and they can no longer write to that co-member — while
    the socket itself still works for what stays allowed (the portal admin)."""
    removed, admin = people["member"], people["portal_admin"]
    # A plain co-member: an initiative's admin who wrote first may be answered by anyone.
    other = await database_sync_to_async(lambda: MembershipFactory(initiative=gorki).user)()
    chat = await _ensure(conversation, removed, other)
    with_admin = await _ensure(conversation, admin, removed)
    gone, _ = await chat_socket(removed)
    peer, _ = await chat_socket(other)
    before = await peer.write(chat, "Пока ещё можно")
    assert (await gone.receive())["message"]["id"] == before["id"]
    assert await gone.receive() == {"type": "unread", "count": 1}

    def remove():
        membership = _membership(removed, gorki)
        members.membership_end(membership=membership, by=people["initiative_admin"])

    await database_sync_to_async(remove)()
    assert await gone.receive() == {"type": "access"}

    reply = await peer.ask({"type": "send", "conversation": chat.pk, "text": "Уже нельзя"})
    assert reply["code"] == "not_allowed"
    assert await gone.nothing()
    reply = await gone.ask({"type": "send", "conversation": chat.pk, "text": "А я?"})
    assert reply.get("code") == "not_allowed", reply
    assert await database_sync_to_async(Message.objects.count)() == 1
    # Still an active account: the portal admin's message arrives.
    admin_socket, _ = await chat_socket(admin)
    sent = await admin_socket.write(with_admin, "Администратор на связи")
    assert (await gone.receive())["message"]["id"] == sent["id"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
@pytest.mark.parametrize("change", ["withdraw", "reject", "role"])
async def test_other_membership_changes_tell_the_socket(people, gorki, chat_socket, change):
    """A withdrawn or rejected application and a role change each send ``access`` to the
    person's open sockets (their composers reload what they may write)."""
    user = people["member"] if change == "role" else people["pending"]
    socket, _ = await chat_socket(user)

    def act():
        membership = _membership(user, gorki)
        if change == "withdraw":
            members.membership_withdraw(membership=membership)
        elif change == "reject":
            members.membership_reject(membership=membership, by=people["initiative_admin"])
        else:
            members.membership_set_role(
                membership=membership, role=Membership.Role.ADMIN, by=people["portal_admin"]
            )

    await database_sync_to_async(act)()
    assert await socket.receive() == {"type": "access"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
@pytest.mark.parametrize("how", ["consent_withdrawn", "blocked_by_admin", "deleted"])
async def test_blocked_or_deleted_account_is_closed_at_once(people, chat_socket, how):
    """Consent withdrawn, the portal admin's block (is_active unticked and saved) or the
    account deleted: both of the person's tabs close with 4403 without sending anything."""
    user = people["member"]
    first, _ = await chat_socket(user)
    second, _ = await chat_socket(client=first.client)

    def act():
        if how == "consent_withdrawn":
            consent_withdraw(user=user)
        elif how == "blocked_by_admin":
            account = get_user_model().objects.get(pk=user.pk)
            account.is_active = False
            account.save()
        else:
            get_user_model().objects.get(pk=user.pk).delete()

    await database_sync_to_async(act)()
    assert await first.close_code() == CLOSED
    assert await second.close_code() == CLOSED


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_logout_closes_that_sessions_sockets_only(people, chat_socket):
    """Logging out closes the sockets opened with that session (4403); the same person's
    socket of another session (another browser) stays open."""
    user = people["member"]
    tab, _ = await chat_socket(user)
    other_browser, _ = await chat_socket(user)
    await database_sync_to_async(tab.client.logout)()
    assert await tab.close_code() == CLOSED
    assert await other_browser.ask({"type": "ping"}) == {"type": "pong"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
@pytest.mark.parametrize("frame", ["ping", "not json", "unknown type", "bad id", "hello"])
async def test_a_session_gone_without_an_event_closes_on_the_next_frame(people, chat_socket, frame):
    """The session row removed behind the socket's back (expired and cleared, no event):
    the next frame of any kind — also one that would get an error frame — finds it missing
    and closes with 4403 instead of answering."""
    user = people["member"]
    socket, _ = await chat_socket(user)
    key = socket.client.session.session_key
    await database_sync_to_async(Session.objects.filter(session_key=key).delete)()
    texts = {
        "ping": '{"type": "ping"}',
        "not json": "not json",
        "unknown type": '{"type": "subscribe"}',
        "bad id": '{"type": "send", "conversation": "1", "text": "x"}',
        "hello": '{"type": "hello", "last_id": 0}',
    }
    await socket.send_text(texts[frame])
    assert await socket.close_code() == CLOSED


@pytest.mark.django_db
def test_a_down_channel_layer_does_not_break_the_change(
    people, gorki, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    """The channel layer raising on every send: removing a member and blocking an account
    still succeed (committed), each costing a logged warning."""

    class Down:
        async def group_send(self, group, message):
            raise ConnectionError("redis is down")

    monkeypatch.setattr(services, "get_channel_layer", lambda: Down())
    user = people["member"]
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        members.membership_end(membership=_membership(user, gorki), by=None)
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        consent_withdraw(user=user)
    assert _membership(user, gorki).status == Membership.Status.REMOVED
    user.refresh_from_db()
    assert not user.is_active
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) >= 2


@pytest.mark.django_db
def test_saving_an_active_account_or_other_fields_sends_nothing(
    people, monkeypatch, django_capture_on_commit_callbacks
):
    """Saves that change no chat rights (an active account, an inactive one's last_login)
    queue no event: the receiver stays cheap on the login path."""
    told = []
    monkeypatch.setattr(services, "access_changed", lambda *, user_ids: told.append(user_ids))
    user = people["member"]
    with django_capture_on_commit_callbacks(execute=True):
        user.first_name = "Иван"
        user.save()
    assert told == []
    with django_capture_on_commit_callbacks(execute=True):
        consent_withdraw(user=user)
    assert told == [[user.pk]]
    with django_capture_on_commit_callbacks(execute=True):
        user.save(update_fields=["last_login"])
    assert told == [[user.pk]]
