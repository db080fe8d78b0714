"""Missed messages become a notice (issue 11, item 6): mailed only after
CHAT_MISSED_MESSAGE_DELAY_MINUTES and only while unread, without the text unless
CHAT_EMAIL_MESSAGE_TEXT, once per message, through the person's «Сообщения» preference."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from notifications.models import Notification

from extranet.chat import broadcasts, missed, receivers, services
from extranet.chat.models import Broadcast, Participant
from extranet.notices import services as notices
from extranet.notices.kinds import Mode
from tests.extranet.notices.conftest import run  # noqa: F401 - the notices' fixture

pytestmark = pytest.mark.django_db

KIND = receivers.MESSAGE_MISSED.key
SECRET = "Пароль от склада: 4815"


def _later(minutes: float):
    return timezone.now() + timedelta(minutes=minutes)


def _mail_to(user) -> list:
    return [message for message in mail.outbox if user.email in message.to]


@pytest.fixture
def pair(people, conversation):
    """Two members of «gorki» and their conversation."""
    return (
        people["member"],
        people["initiative_admin"],
        conversation(people["member"], people["initiative_admin"]),
    )


@pytest.fixture
def write(run):  # noqa: F811
    def call(sender, conv, body=SECRET):
        return run(services.message_send, sender=sender, conversation=conv, body=body)

    return call


@pytest.fixture
def check(run):  # noqa: F811
    def call(minutes: float):
        return run(missed.missed_messages_notify, now=_later(minutes))

    return call


def test_nothing_is_mailed_before_the_delay(pair, write, check, settings):
    """A message younger than the delay is left alone: the recipient may still read it live."""
    settings.CHAT_MISSED_MESSAGE_DELAY_MINUTES = 10
    sender, recipient, conv = pair
    write(sender, conv)
    assert check(9) == 0
    assert not _mail_to(recipient) and not Notification.objects.filter(verb=KIND).exists()


def test_an_unread_message_is_mailed_after_the_delay_without_its_text(pair, write, check):
    """Past the delay the recipient (not the sender) gets one e-mail naming the sender, with
    a link to the conversation and without the message's text."""
    sender, recipient, conv = pair
    write(sender, conv)
    assert check(11) == 1
    [message] = _mail_to(recipient)
    assert sender.get_full_name() in message.subject
    assert f"/cabinet/messages/{conv.pk}/" in message.body
    assert SECRET not in message.body and SECRET not in message.subject
    assert not _mail_to(sender)
    notice = Notification.objects.get(verb=KIND)
    assert notice.recipient == recipient and notice.data["url"] == f"/cabinet/messages/{conv.pk}/"


def test_the_text_is_mailed_when_switched_on(pair, write, check, settings):
    """CHAT_EMAIL_MESSAGE_TEXT on: the e-mail quotes the message."""
    settings.CHAT_EMAIL_MESSAGE_TEXT = True
    sender, recipient, conv = pair
    write(sender, conv)
    check(11)
    [message] = _mail_to(recipient)
    assert SECRET in message.body


def test_a_message_read_in_time_is_never_mailed(pair, write, check, run):  # noqa: F811
    """Who read it live (the conversation marked read before the delay) gets nothing."""
    sender, recipient, conv = pair
    write(sender, conv)
    run(services.conversation_mark_read, user=recipient, conversation=conv)
    assert check(30) == 0
    assert not mail.outbox and not Notification.objects.filter(verb=KIND).exists()


def test_each_message_is_told_once_and_several_make_one_notice(pair, write, check):
    """Three missed messages make one notice; the next run tells nothing; a newer message,
    missed too, makes one more."""
    sender, recipient, conv = pair
    for text in ("Первое", "Второе", "Третье"):
        write(sender, conv, text)
    assert check(11) == 1
    assert check(12) == 0
    assert len(_mail_to(recipient)) == 1
    newest = write(sender, conv, "Четвёртое")
    participant = Participant.objects.get(conversation=conv, user=recipient)
    assert participant.notified_through_id < newest.pk
    assert check(11) == 1
    assert len(_mail_to(recipient)) == 2
    participant.refresh_from_db()
    assert participant.notified_through_id == newest.pk


def test_do_not_send_is_respected(pair, write, check):
    """«Не присылать» for «Сообщения»: no e-mail (the bell still has it)."""
    sender, recipient, conv = pair
    notices.email_settings_save(user=recipient, modes={"messages": Mode.OFF})
    write(sender, conv)
    assert check(11) == 1
    assert not _mail_to(recipient)
    assert Notification.objects.filter(verb=KIND, recipient=recipient).exists()


def test_a_missed_message_to_everyone_is_one_event_for_all(people, gorki, check, run):  # noqa: F811
    """A message to everyone missed by many is told to each of them once, as one notice
    event (one task, fanned out in bulk), with the conversation's address of each."""
    run(
        broadcasts.broadcast_create,
        sender=people["portal_admin"],
        audience=Broadcast.Audience.MEMBERS,
        initiative=gorki,
        body=SECRET,
    )
    assert check(11) == 2
    told = Notification.objects.filter(verb=KIND)
    assert set(told.values_list("recipient_id", flat=True)) == {
        people["member"].pk,
        people["initiative_admin"].pk,
    }
    assert len({notice.data["url"] for notice in told}) == 1
    assert len(_mail_to(people["member"])) == 1
    assert SECRET not in _mail_to(people["member"])[0].body
    assert check(12) == 0


def test_the_command_runs_the_check(pair, write, monkeypatch):
    """``manage.py notify_missed_messages`` (the timer's job) tells what is due."""
    sender, recipient, conv = pair
    write(sender, conv)
    moment = timezone.now() + timedelta(minutes=11)
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
    call_command("notify_missed_messages")
    assert Participant.objects.get(conversation=conv, user=recipient).notified_through_id > 0


def test_a_backend_that_defers_schedules_one_check_per_minute(pair, write, monkeypatch):
    """With a task backend that can defer, sending schedules the check for just after the
    delay, once per minute however many messages are sent."""
    from django_tasks import task_backends

    from extranet.chat import tasks

    scheduled = []

    class Deferred:
        def using(self, *, run_after):
            scheduled.append(run_after)
            return self

        def enqueue(self):
            return None

    monkeypatch.setattr(task_backends["default"], "supports_defer", True)
    monkeypatch.setattr(tasks, "missed_messages_check", Deferred())
    monkeypatch.setitem(receivers._scheduled_minute, "value", None)
    sender, _recipient, conv = pair
    write(sender, conv, "раз")
    write(sender, conv, "два")
    assert len(scheduled) == 1
    assert scheduled[0] > timezone.now() + timedelta(minutes=9)


@pytest.mark.parametrize("count", [3, 30])
def test_the_check_costs_the_same_queries_for_3_and_30_people(
    people,
    conversation,
    count,
    django_assert_max_num_queries,
    run,  # noqa: F811
):
    """Finding the missed messages and recording them as told is a fixed handful of
    statements per batch, whatever the number of people (the notices' own fan-out runs
    after commit, in its task)."""
    from tests.factories import MembershipFactory

    gorki_admin = people["initiative_admin"]
    for _ in range(count):
        member = MembershipFactory(initiative=people["member"].memberships.get().initiative).user
        run(
            services.message_send,
            sender=gorki_admin,
            conversation=conversation(gorki_admin, member),
            body="Привет",
        )
    # One batch: savepoint, the candidates, their messages, the UPDATE, the content type
    # (cached after once), release; then the empty batch that ends the loop (three).
    with django_assert_max_num_queries(9):
        assert missed.missed_messages_notify(now=_later(11)) == count
