"""«Сообщение всем» (issue 11, item 5): who may open /cabinet/admin/broadcast/, validation that
keeps the input, bulk delivery to everyone / an initiative's members / its admins with the
count, a rerun that delivers nothing twice, the message in each recipient's conversation with
the admin (who can be answered privately), and a query count that does not grow with the
number of recipients."""

from __future__ import annotations

import os
import time

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from extranet.chat import broadcasts, services
from extranet.chat.models import (
    Block,
    Broadcast,
    Conversation,
    Inbox,
    Message,
    Participant,
)
from extranet.chat.services import ChatError
from tests.conftest import EXTRANET_ROLES
from tests.factories import UserFactory

from .page_helpers import url as _url

pytestmark = pytest.mark.django_db

Audience = Broadcast.Audience
TEXT = "Уважаемые участники! Приглашаем на заседание рабочей группы кластера."


@pytest.fixture
def pushed(monkeypatch):
    """The (group, event) pairs the delivery handed to the channel layer, per call."""
    calls: list[list] = []
    monkeypatch.setattr(services, "_group_send_all", lambda sends: calls.append(list(sends)))
    return calls


@pytest.fixture
def send(people, django_capture_on_commit_callbacks):
    """``send(audience, initiative=None)``: the portal admin's message, created and (the
    immediate task backend, on commit) delivered."""

    def call(audience, initiative=None, body=TEXT):
        with django_capture_on_commit_callbacks(execute=True):
            created = broadcasts.broadcast_create(
                sender=people["portal_admin"], audience=audience, initiative=initiative, body=body
            )
        created.refresh_from_db()
        return created

    return call


def _active_others(user):
    return set(
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(pk=user.pk)
        .values_list("pk", flat=True)
    )


def _reached(broadcast) -> set[int]:
    """The people holding the message: the other participant of each conversation it is in."""
    rows = Message.objects.filter(broadcast=broadcast).values_list(
        "conversation__user_a_id", "conversation__user_b_id"
    )
    sender = broadcast.sender_id
    return {b if a == sender else a for a, b in rows}


# --- Who may open the pages ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extranet_client", "role"), [(r, r) for r in EXTRANET_ROLES], indirect=["extranet_client"]
)
def test_only_the_portal_admin_opens_the_form_and_a_message(extranet_client, role, people):
    """Both addresses: the portal admin gets the page, a guest is sent to log in, every other
    role (member, initiative admin, editor…) is refused with 403."""
    broadcast = Broadcast.objects.create(
        sender=people["portal_admin"], audience=Audience.ALL, body=TEXT
    )
    for url in (_url("chat_admin:broadcast"), _url("chat_admin:broadcast_detail", broadcast.pk)):
        response = extranet_client.get(url)
        if role == "portal_admin":
            assert response.status_code == 200, url
        elif role == "guest":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == 403, (role, url)


@pytest.mark.parametrize(
    ("extranet_client", "role"),
    [(r, r) for r in EXTRANET_ROLES if r != "portal_admin"],
    indirect=["extranet_client"],
)
def test_nobody_else_can_post_a_message_to_everyone(extranet_client, role):
    """A POST by anyone but the portal admin stores nothing."""
    response = extranet_client.post(_url("chat_admin:broadcast"), {"audience": "all", "body": TEXT})
    assert response.status_code in (302, 403)
    assert not Broadcast.objects.exists() and not Message.objects.exists()


def test_the_service_refuses_anyone_but_the_portal_admin(people):
    """The rule is the service's too, not only the view's."""
    for role in ("member", "initiative_admin", "editor"):
        with pytest.raises(ChatError) as error:
            broadcasts.broadcast_create(
                sender=people[role], audience=Audience.ALL, initiative=None, body=TEXT
            )
        assert error.value.code == "not_allowed"
    assert not Broadcast.objects.exists()


# --- The form ------------------------------------------------------------------------------------


def test_the_form_shows_how_many_it_reaches_and_the_past_messages(people, gorki, client_for):
    """The page counts everyone (besides the admin) and each initiative's members and admins,
    and lists the past messages with «получили: N»."""
    admin = people["portal_admin"]
    Broadcast.objects.create(
        sender=admin, audience=Audience.ALL, body="Прошлое сообщение", recipients_count=7
    )
    with translation.override("ru"):
        response = client_for(admin).get(_url("chat_admin:broadcast"))
    page = response.content.decode()
    assert response.context["reach"] == len(_active_others(admin))
    assert response.context["form"].counts["initiatives"][gorki.pk] == {"members": 2, "admins": 1}
    assert "Прошлое сообщение" in page
    assert response.context["rows"][0]["broadcast"].recipients_count == 7


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        ({"audience": "members", "initiative": "", "body": TEXT}, "initiative", "no_initiative"),
        ({"audience": "admins", "initiative": "", "body": TEXT}, "initiative", "no_initiative"),
        ({"audience": "all", "body": "   \n  "}, "body", "empty"),
        ({"audience": "all", "body": "я" * 4001}, "body", "too_long"),
        ({"audience": "everyone", "body": TEXT}, "audience", "invalid_choice"),
    ],
)
def test_bad_input_gets_an_error_on_its_field_and_keeps_the_text(
    people, client_for, data, field, code
):
    """Each mistake is shown on its own field, the typed text comes back in the form, and
    nothing is stored or sent."""
    response = client_for(people["portal_admin"]).post(_url("chat_admin:broadcast"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    assert [error.code for error in errors.get(field, [])] == [code], errors
    if data["body"].strip():
        assert data["body"][:50] in response.content.decode()
    assert not Broadcast.objects.exists()


def test_a_submitted_message_is_delivered_and_leads_to_its_page(
    people, gorki, client_for, django_capture_on_commit_callbacks
):
    """Submitting stores the message, enqueues its delivery (run on commit by the immediate
    backend here) and redirects to /cabinet/admin/broadcast/<id>/, which says how many got it."""
    client = client_for(people["portal_admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url("chat_admin:broadcast"),
            {"audience": "members", "initiative": gorki.pk, "body": TEXT},
        )
    broadcast = Broadcast.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("chat_admin:broadcast_detail", broadcast.pk)
    assert broadcast.status == Broadcast.Status.DONE and broadcast.recipients_count == 2
    with translation.override("ru"):
        page = client.get(response["Location"]).content.decode()
    assert "Получили: 2" in page or "Received: 2" in page


def test_the_request_only_enqueues(people, django_capture_on_commit_callbacks, monkeypatch):
    """Creating the message writes one row and hands one task to the backend after commit:
    no message is written on the request path."""
    from extranet.chat import tasks

    enqueued = []

    class Recorder:
        def enqueue(self, **kwargs):
            enqueued.append(kwargs)

    monkeypatch.setattr(tasks, "broadcast_send", Recorder())
    with django_capture_on_commit_callbacks(execute=True):
        broadcast = broadcasts.broadcast_create(
            sender=people["portal_admin"], audience=Audience.ALL, initiative=None, body=TEXT
        )
    assert enqueued == [{"broadcast_id": broadcast.pk}]
    assert not Message.objects.exists()
    assert Broadcast.objects.get().status == Broadcast.Status.QUEUED


# --- Delivery ------------------------------------------------------------------------------------


def test_to_all_users_reaches_every_active_account_but_the_sender(people, send, pushed):
    """«Все пользователи»: every active account except the admin, each once; blocked
    (inactive) accounts and people who blocked the admin are left out."""
    admin = people["portal_admin"]
    inactive = UserFactory(is_active=False)
    Block.objects.create(blocker=people["registered"], blocked=admin)
    broadcast = send(Audience.ALL)
    expected = _active_others(admin) - {people["registered"].pk}
    assert _reached(broadcast) == expected
    assert inactive.pk not in _reached(broadcast)
    assert broadcast.status == Broadcast.Status.DONE
    assert broadcast.recipients_count == len(expected)
    assert broadcast.finished_at is not None
    # Each recipient's sockets were told once, with their own message and unread total.
    events = [event for call in pushed for event in call]
    assert sorted(group for group, _event in events) == sorted(
        services.user_group(pk) for pk in expected
    )
    _group, event = events[0]
    assert event["type"] == "chat.message" and event["message"]["broadcast"] is True
    assert list(event["unread"].values()) == [1]


def test_to_an_initiatives_members_reaches_its_approved_members_and_admins(people, gorki, send):
    """«Участники инициативы»: the approved members (its admins too), not the applicant nor
    another initiative's member."""
    broadcast = send(Audience.MEMBERS, gorki)
    assert _reached(broadcast) == {people["member"].pk, people["initiative_admin"].pk}
    assert broadcast.recipients_count == 2


def test_to_an_initiatives_admins_reaches_only_them(people, gorki, send):
    """«Администраторы инициативы»: its admins only."""
    broadcast = send(Audience.ADMINS, gorki)
    assert _reached(broadcast) == {people["initiative_admin"].pk}
    assert broadcast.recipients_count == 1


def test_a_second_run_delivers_nothing(people, gorki, send):
    """The task run again (a retried worker) claims nothing and writes nothing; a claimed
    message delivered again by hand skips everyone who has it."""
    broadcast = send(Audience.MEMBERS, gorki)
    assert broadcasts.broadcast_deliver(broadcast_id=broadcast.pk) == 0
    Broadcast.objects.filter(pk=broadcast.pk).update(status=Broadcast.Status.QUEUED)
    assert broadcasts.broadcast_deliver(broadcast_id=broadcast.pk) == 0
    assert Message.objects.filter(broadcast=broadcast).count() == 2
    assert Inbox.objects.get(user=people["member"]).unread_total == 1
    broadcast.refresh_from_db()
    assert broadcast.recipients_count == 2


def test_each_recipient_has_it_in_their_conversation_with_the_admin_and_can_answer(
    people, gorki, send, django_capture_on_commit_callbacks
):
    """The message lands in the member's own conversation with the admin (unread, counted in
    the header), and the member's answer goes to the admin alone."""
    admin, member, other = people["portal_admin"], people["member"], people["initiative_admin"]
    earlier = services.conversations_ensure(user_id=member.pk, other_ids=[admin.pk])[admin.pk]
    broadcast = send(Audience.MEMBERS, gorki)
    conversation = services.conversation_between(user=member, other=admin)
    assert conversation.pk == earlier.pk  # the existing conversation, not a new one
    message = Message.objects.get(conversation=conversation)
    assert message.broadcast_id == broadcast.pk and message.sender_id == admin.pk
    assert conversation.last_message_id == message.pk
    assert conversation.last_message_at == message.created_at
    assert Participant.objects.get(conversation=conversation, user=member).unread == 1
    assert services.unread_total(user=member) == 1
    assert services.message_payload(message)["broadcast"] is True
    with django_capture_on_commit_callbacks(execute=True):
        answer = services.message_send(
            sender=member, conversation=conversation, body="Спасибо, буду!"
        )
    assert answer.conversation_id == conversation.pk
    assert services.unread_total(user=admin) == 1
    theirs = services.conversation_between(user=other, other=admin)
    assert not Message.objects.filter(conversation=theirs, sender=member).exists()


def test_a_failed_delivery_is_marked_failed(people, monkeypatch, pushed, client_for):
    """An error mid-way leaves the message «failed» with the count of those who got it
    before (the first batch's); the error is kept and shown on its page."""
    real = broadcasts._deliver_batch
    calls = []

    def second_batch_fails(broadcast, ids):
        calls.append(ids)
        if len(calls) > 1:
            raise RuntimeError("database went away")
        return real(broadcast, ids)

    monkeypatch.setattr(broadcasts, "_deliver_batch", second_batch_fails)
    broadcast = Broadcast.objects.create(
        sender=people["portal_admin"], audience=Audience.ALL, body=TEXT
    )
    with pytest.raises(RuntimeError):
        broadcasts.broadcast_deliver(broadcast_id=broadcast.pk, batch_size=2)
    broadcast.refresh_from_db()
    assert broadcast.status == Broadcast.Status.FAILED
    assert broadcast.finished_at is not None and broadcast.recipients_count == 2
    assert Message.objects.filter(broadcast=broadcast).count() == 2
    assert broadcast.last_error == "RuntimeError: database went away"
    page = client_for(people["portal_admin"]).get(_url("chat_admin:broadcast_detail", broadcast.pk))
    assert "RuntimeError: database went away" in page.content.decode()


def _deliver_counting(admin, size: int) -> tuple[int, list[str]]:
    users = UserFactory.create_batch(size, verified=False)
    broadcast = Broadcast.objects.create(sender=admin, audience=Audience.ALL, body=TEXT)
    with CaptureQueriesContext(connection) as queries:
        delivered = broadcasts.broadcast_deliver(broadcast_id=broadcast.pk)
    Message.objects.all().delete()
    Conversation.objects.all().delete()
    get_user_model().objects.filter(pk__in=[u.pk for u in users]).delete()
    return delivered, [query["sql"] for query in queries.captured_queries]


def test_delivery_costs_the_same_queries_for_10_and_200_recipients(people, pushed):
    """The bulk path: no per-recipient round trip, so 200 recipients cost the statements
    10 do (one batch either way). SQLite splits a long INSERT by its parameter limit (about
    200 rows a statement here), so there only the other statements are compared."""
    admin = people["portal_admin"]
    others = len(_active_others(admin))
    small, small_queries = _deliver_counting(admin, 10)
    large, large_queries = _deliver_counting(admin, 200)
    assert (small, large) == (10 + others, 200 + others)
    if connection.vendor == "sqlite":
        small_queries = [sql for sql in small_queries if not sql.startswith("INSERT")]
        large_queries = [sql for sql in large_queries if not sql.startswith("INSERT")]
    assert len(small_queries) == len(large_queries), (len(small_queries), len(large_queries))
    assert len(large_queries) <= 25


@pytest.mark.skipif(
    not os.environ.get("CHAT_BENCH_BROADCAST"), reason="a measurement: CHAT_BENCH_BROADCAST=1"
)
def test_measure_a_message_to_10000_people(people, pushed):
    """Prints the time and query count of delivering to 10,000 people (not a timed
    assertion); checks that every one of them got it."""
    admin = people["portal_admin"]
    User = get_user_model()
    User.objects.bulk_create(
        [
            User(email=f"bench{n}@example.com", first_name="Bench", last_name=str(n))
            for n in range(10_000)
        ],
        batch_size=2000,
    )
    expected = len(_active_others(admin))
    for label in ("first (conversations started)", "second (conversations exist)"):
        broadcast = Broadcast.objects.create(sender=admin, audience=Audience.ALL, body=TEXT)
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            delivered = broadcasts.broadcast_deliver(broadcast_id=broadcast.pk)
        elapsed = time.perf_counter() - started
        print(
            f"\n{label} message to {delivered} recipients: {elapsed:.2f} s, "
            f"{len(queries)} queries ({connection.vendor})"
        )
        assert delivered == expected
        assert Message.objects.filter(broadcast=broadcast).count() == expected
    assert Inbox.objects.filter(unread_total=2).count() == expected
