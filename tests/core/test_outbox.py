"""The outbox (core.models.OutgoingEmail, core.email): stored, sent once on commit, retried
with backoff on SMTP errors, ``failed`` after the last try, resendable, deduplicated by key,
and never given a header by user text."""

from __future__ import annotations

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.utils import timezone

from core.email import (
    STALE_CLAIM,
    email_deliver,
    email_queue,
    email_resend,
    send_templated_email,
)
from core.models import OutgoingEmail
from core.tasks import email_send

pytestmark = pytest.mark.django_db

Status = OutgoingEmail.Status
FAILING_BACKEND = f"{__name__}.FailingBackend"
LOCMEM_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


class FailingBackend(BaseEmailBackend):
    """A mail backend whose every send raises ``FailingBackend.error`` (set by the test)."""

    error: Exception = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
    tries = 0

    def send_messages(self, email_messages):
        type(self).tries += 1
        raise type(self).error


@pytest.fixture
def failing(settings):
    """Every send fails with SMTPServerDisconnected until the test switches the backend."""
    settings.EMAIL_BACKEND = FAILING_BACKEND
    settings.EMAIL_RETRY_DELAYS = [60, 300]
    FailingBackend.tries = 0
    FailingBackend.error = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
    return FailingBackend


@pytest.fixture
def clock(monkeypatch):
    """``timezone.now`` that the test moves forward: ``clock.shift(seconds)``."""

    class Clock:
        offset = datetime.timedelta(0)
        real_now = staticmethod(timezone.now)

        def now(self):
            return self.real_now() + self.offset

        def shift(self, seconds: float):
            self.offset += datetime.timedelta(seconds=seconds)

    fake = Clock()
    monkeypatch.setattr(timezone, "now", fake.now)
    return fake


def _queue(capture, **fields) -> OutgoingEmail | None:
    fields = {"to": ["a@example.com"], "subject": "Тема", "body": "Текст", **fields}
    with capture(execute=True):
        outgoing = email_queue(**fields)
    if outgoing is not None:
        outgoing.refresh_from_db()
    return outgoing


def _send_queued() -> str:
    from io import StringIO

    out = StringIO()
    call_command("send_queued_email", stdout=out)
    return out.getvalue().strip()


def test_a_message_is_stored_then_sent_when_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    """The row is written at once (queued, both parts, the kind), nothing is sent before the
    commit, and the commit's task sends it and records the send."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        outgoing = email_queue(
            to=["a@example.com"],
            subject="Тема",
            body="Текст",
            html="<p>Текст</p>",
            kind="test:hello",
        )
    row = OutgoingEmail.objects.get()
    assert row.pk == outgoing.pk
    assert (row.status, row.attempts, row.sent_at, row.kind) == (
        Status.QUEUED,
        0,
        None,
        "test:hello",
    )
    assert row.html == "<p>Текст</p>"
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (Status.SENT, 1, "")
    assert row.sent_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].alternatives == [("<p>Текст</p>", "text/html")]


def test_send_templated_email_records_the_rendered_message(
    gorki, django_capture_on_commit_callbacks
):
    """The templated path writes the same row: the rendered text and HTML, the sender."""
    with django_capture_on_commit_callbacks(execute=True):
        send_templated_email(
            to=["a@example.com"],
            subject="Приглашение",
            template="members/emails/invitation",
            context={
                "initiative": gorki,
                "inviter_name": "",
                "url": "http://x/",
                "expires_at": None,
            },
            kind="invitation",
        )
    row = OutgoingEmail.objects.get()
    assert row.status == Status.SENT
    assert gorki.title in row.body and gorki.title in row.html
    assert row.kind == "invitation"
    assert row.from_email == mail.outbox[0].from_email


def test_a_task_run_twice_sends_once(django_capture_on_commit_callbacks):
    """A retried or duplicated task (the same id again) sends nothing the second time, and
    neither does a second ``email_deliver`` of the same row."""
    outgoing = _queue(django_capture_on_commit_callbacks)
    assert outgoing.status == Status.SENT
    assert email_send.call(outgoing_id=outgoing.pk) == 0
    assert email_deliver(outgoing_ids=[outgoing.pk, outgoing.pk]) == 0
    assert len(mail.outbox) == 1
    outgoing.refresh_from_db()
    assert outgoing.attempts == 1


def test_two_deliveries_of_one_queued_row_send_it_once(django_capture_on_commit_callbacks):
    """Two tasks for one queued row (enqueued twice) send one message."""
    with django_capture_on_commit_callbacks(execute=False):
        outgoing = email_queue(to=["a@example.com"], subject="x", body="y")
    assert email_send.call(outgoing_id=outgoing.pk) == 1
    assert email_send.call(outgoing_id=outgoing.pk) == 0
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "error",
    [
        smtplib.SMTPRecipientsRefused({"a@example.com": (550, b"No such user")}),
        smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
        TimeoutError("timed out"),  # socket.timeout,
    ],
    ids=["recipients-refused", "disconnected", "timeout"],
)
def test_an_smtp_error_is_recorded_and_retried_later(
    error, failing, clock, django_capture_on_commit_callbacks
):
    """The failed send is recorded (attempts 1, the error's name and text), the row stays
    queued with its next try after the first delay, and nothing was delivered."""
    failing.error = error
    before = timezone.now()
    outgoing = _queue(django_capture_on_commit_callbacks)
    after = timezone.now()
    assert failing.tries == 1
    assert outgoing.status == Status.QUEUED
    assert outgoing.attempts == 1
    assert outgoing.last_error.startswith(type(error).__name__ + ": ")
    assert str(error) in outgoing.last_error
    delay = datetime.timedelta(seconds=60)
    assert before + delay <= outgoing.next_attempt_at <= after + delay
    assert outgoing.sent_at is None
    assert mail.outbox == []


def test_send_queued_email_sends_a_failed_message_once_it_is_due(
    failing, clock, settings, django_capture_on_commit_callbacks
):
    """``manage.py send_queued_email`` leaves the message alone before its retry time and
    sends it (once) after; a second run sends nothing."""
    outgoing = _queue(django_capture_on_commit_callbacks)
    settings.EMAIL_BACKEND = LOCMEM_BACKEND
    clock.shift(59)
    assert _send_queued() == "sent 0"
    assert mail.outbox == []
    clock.shift(2)
    assert _send_queued() == "sent 1"
    assert _send_queued() == "sent 0"
    assert len(mail.outbox) == 1
    outgoing.refresh_from_db()
    assert (outgoing.status, outgoing.attempts, outgoing.next_attempt_at) == (
        Status.SENT,
        2,
        None,
    )
    assert outgoing.sent_at is not None


def test_after_the_last_delay_the_message_is_failed(
    failing, clock, django_capture_on_commit_callbacks
):
    """With delays [60, 300]: the first send and two retries fail, then the row is
    ``failed`` with the last error, no next try, and the command no longer touches it."""
    outgoing = _queue(django_capture_on_commit_callbacks)
    clock.shift(61)
    assert _send_queued() == "sent 0"
    outgoing.refresh_from_db()
    assert (outgoing.status, outgoing.attempts) == (Status.QUEUED, 2)
    assert outgoing.next_attempt_at > timezone.now() + datetime.timedelta(seconds=299)
    clock.shift(301)
    _send_queued()
    outgoing.refresh_from_db()
    assert (outgoing.status, outgoing.attempts, outgoing.next_attempt_at) == (
        Status.FAILED,
        3,
        None,
    )
    assert "SMTPServerDisconnected" in outgoing.last_error
    clock.shift(100_000)
    _send_queued()
    assert failing.tries == 3


def test_a_stale_sending_claim_is_retried_and_a_fresh_one_is_not(
    clock, django_capture_on_commit_callbacks
):
    """A row left "sending" by a worker that died is sent again once the claim is older than
    STALE_CLAIM; a claim younger than that belongs to a running worker and is left alone."""
    with django_capture_on_commit_callbacks(execute=False):
        outgoing = email_queue(to=["a@example.com"], subject="x", body="y")
    OutgoingEmail.objects.filter(pk=outgoing.pk).update(
        status=Status.SENDING, claimed_at=timezone.now()
    )
    assert email_send.call(outgoing_id=outgoing.pk) == 0
    assert _send_queued() == "sent 0"
    clock.shift(STALE_CLAIM.total_seconds() + 1)
    assert _send_queued() == "sent 1"
    assert len(mail.outbox) == 1
    outgoing.refresh_from_db()
    assert outgoing.status == Status.SENT


def test_resend_of_a_failed_message_sends_it(
    failing, clock, settings, django_capture_on_commit_callbacks
):
    """``email_resend`` puts a failed message back (attempts from zero, error cleared) and
    its task sends it."""
    settings.EMAIL_RETRY_DELAYS = []
    outgoing = _queue(django_capture_on_commit_callbacks)
    assert outgoing.status == Status.FAILED
    settings.EMAIL_BACKEND = LOCMEM_BACKEND
    with django_capture_on_commit_callbacks(execute=True):
        email_resend(outgoing=outgoing)
    outgoing.refresh_from_db()
    assert (outgoing.status, outgoing.attempts, outgoing.last_error) == (Status.SENT, 1, "")
    assert len(mail.outbox) == 1


def test_resend_of_a_sent_message_sends_it_again(django_capture_on_commit_callbacks):
    """A sent message can be sent again on purpose (the recipient lost it)."""
    outgoing = _queue(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        email_resend(outgoing=outgoing)
    outgoing.refresh_from_db()
    assert outgoing.status == Status.SENT
    assert len(mail.outbox) == 2


def test_a_resend_is_queued_only_when_the_transaction_commits(
    failing, django_capture_on_commit_callbacks
):
    """Resending does not send inside the request's transaction: a rolled-back resend
    sends nothing."""
    failing.error = smtplib.SMTPServerDisconnected("x")
    outgoing = _queue(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email_resend(outgoing=outgoing)
    assert len(callbacks) == 1
    assert failing.tries == 1


def _headers_of(message) -> list[tuple[str, str]]:
    return list(message.message().items())


def test_user_text_never_adds_a_header(django_capture_on_commit_callbacks):
    """A subject and an extra header value carrying «\\r\\nBcc:» stay one header each: the
    message has no Bcc and goes to its one recipient."""
    evil = "Иван\r\nBcc: victim@example.com\r\n"
    outgoing = _queue(
        django_capture_on_commit_callbacks,
        subject=f"{evil} подал заявку",
        headers={"X-Note": evil, "List-Unsubscribe": f"<http://testserver/u/>{evil}"},
    )
    assert outgoing.status == Status.SENT
    message = mail.outbox[0]
    assert message.recipients() == ["a@example.com"]
    names = [name.lower() for name, _ in _headers_of(message)]
    assert "bcc" not in names
    raw = message.message().as_bytes()
    assert b"\nBcc:" not in raw and b"\rBcc:" not in raw
    assert "\n" not in message.subject and "\r" not in message.subject
    assert outgoing.subject == "Иван Bcc: victim@example.com подал заявку"


def test_a_name_with_a_line_break_in_a_notice_adds_no_header(
    people, gorki, django_capture_on_commit_callbacks
):
    """Through a real notice: the applicant's name (user text) with «\\r\\nBcc:» goes into
    the admin's e-mail subject on one line, and the message has no Bcc."""
    from extranet.members.models import Membership
    from extranet.notices.services import notify

    applicant = people["registered"]
    applicant.first_name = "Иван\r\nBcc: victim@example.com"
    applicant.save()
    membership = Membership.objects.create(user=applicant, initiative=gorki, status="pending")
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            kind="members.application_new",
            recipients=[people["initiative_admin"]],
            actor=applicant,
            target=membership,
            initiative=gorki,
            url="/cabinet/",
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.recipients() == [people["initiative_admin"].email]
    assert "bcc" not in [name.lower() for name, _ in _headers_of(message)]
    assert "victim@example.com" in message.subject
    assert "\n" not in message.subject


def test_a_second_message_with_the_same_key_is_not_queued(django_capture_on_commit_callbacks):
    """``key`` names what the message is about: queuing it again returns None, stores and
    sends nothing; messages without a key are never deduplicated."""
    first = _queue(django_capture_on_commit_callbacks, key="notice:abc:1")
    assert first is not None
    assert _queue(django_capture_on_commit_callbacks, key="notice:abc:1") is None
    assert OutgoingEmail.objects.filter(key="notice:abc:1").count() == 1
    assert _queue(django_capture_on_commit_callbacks) is not None
    assert _queue(django_capture_on_commit_callbacks) is not None
    assert OutgoingEmail.objects.count() == 3
    assert len(mail.outbox) == 3


def test_a_duplicate_key_inside_a_transaction_keeps_the_transaction_usable(
    django_capture_on_commit_callbacks,
):
    """The duplicate is refused in a savepoint: the caller's transaction goes on (a later
    write in it succeeds) rather than being broken by the IntegrityError."""
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        email_queue(to=["a@example.com"], subject="x", body="y", key="k")
        assert email_queue(to=["a@example.com"], subject="x", body="y", key="k") is None
        email_queue(to=["b@example.com"], subject="x", body="y", key="k2")
    assert sorted(OutgoingEmail.objects.values_list("key", flat=True)) == ["k", "k2"]
    assert len(mail.outbox) == 2


def test_a_first_send_whose_task_was_lost_is_picked_up(clock, django_capture_on_commit_callbacks):
    """A message queued but never handed to the worker (the process died between commit and
    enqueue: no retry time is set) is sent by send_queued_email once it is older than
    STALE_CLAIM, and not while its own task may still be on the way."""
    with django_capture_on_commit_callbacks(execute=False):
        email_queue(to=["a@example.com"], subject="x", body="y")
    assert _send_queued() == "sent 0"
    clock.shift(STALE_CLAIM.total_seconds() + 1)
    assert _send_queued() == "sent 1"
    assert _send_queued() == "sent 0"
    assert len(mail.outbox) == 1
