"""The platform's one way to send e-mail.

Every app sends through :func:`send_templated_email` (or :func:`email_queue` for a message it
rendered itself), so sender, headers, rendering and the record of what was sent are the same
everywhere. A message is rendered in the caller's active language, stored in the outbox
(:class:`core.models.OutgoingEmail`) and handed to a task (``core.tasks.email_send``) once the
current transaction commits: with the database task backend the request never waits for
SMTP, and a rolled-back change sends nothing.

Sending (:func:`email_deliver`) claims the row first, so a task that is retried or runs
twice sends once; an SMTP error is recorded and retried with backoff
(``EMAIL_RETRY_DELAYS``); after the last attempt the message is ``failed`` and the portal admin
sees it (``/cabinet/admin/emails/``) and may resend it (:func:`email_resend`).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from .models import OutgoingEmail

logger = logging.getLogger(__name__)

Status = OutgoingEmail.Status

# A message left "sending" this long (its worker died mid-send) may be tried again.
STALE_CLAIM = datetime.timedelta(minutes=15)


def one_line(value: str) -> str:
    """A header value on one line: user text (a name in a subject) never adds a header."""
    return " ".join(str(value).split())


def send_templated_email(
    *,
    to: list[str],
    subject: str,
    template: str,
    context: dict,
    from_email: str | None = None,
    headers: dict[str, str] | None = None,
    key: str | None = None,
    kind: str = "",
) -> OutgoingEmail | None:
    """Render ``<template>.txt`` and ``<template>.html`` with ``context`` and queue them.

    The context gets ``site_url`` (``settings.SITE_URL``) and ``platform_name``
    (``settings.PLATFORM_NAME``) unless it has them. Rendering happens now (so the active
    language and the objects in ``context`` are those of the caller). See :func:`email_queue`
    for ``key``, ``kind`` and ``headers``.
    """
    context = {"site_url": settings.SITE_URL, "platform_name": settings.PLATFORM_NAME, **context}
    return email_queue(
        to=to,
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        html=render_to_string(f"{template}.html", context),
        from_email=from_email,
        headers=headers,
        key=key,
        kind=kind,
    )


def email_build(
    *,
    to: list[str],
    subject: str,
    body: str,
    html: str = "",
    from_email: str | None = None,
    headers: dict[str, str] | None = None,
    key: str | None = None,
    kind: str = "",
) -> OutgoingEmail:
    """An unsaved outbox row with the subject and header values folded onto one line."""
    return OutgoingEmail(
        key=key,
        kind=kind,
        to=[str(address) for address in to],
        from_email=one_line(from_email or settings.DEFAULT_FROM_EMAIL),
        subject=one_line(subject)[:998],
        body=body,
        html=html,
        headers={one_line(name): one_line(value) for name, value in (headers or {}).items()},
    )


def email_queue(**fields) -> OutgoingEmail | None:
    """Store one message in the outbox and send it through the task after commit.

    ``key`` names what the message is about: when a message with that key exists already
    (the event was mailed to this person before), nothing is queued and None is returned.
    ``kind`` labels it for the portal admin's list; ``headers`` are extra headers
    (``List-Unsubscribe``).
    """
    outgoing = email_build(**fields)
    try:
        with transaction.atomic():
            outgoing.save()
    except IntegrityError:
        if outgoing.key and OutgoingEmail.objects.filter(key=outgoing.key).exists():
            return None
        raise
    email_enqueue(outgoing_ids=[outgoing.pk])
    return outgoing


def email_enqueue(*, outgoing_ids: list[int], run_after: datetime.datetime | None = None) -> None:
    """Hand outbox rows to the sending task once the current transaction commits."""
    from .tasks import email_send

    def enqueue():
        task = email_send
        if run_after is not None:
            task = task.using(run_after=run_after)
        for outgoing_id in outgoing_ids:
            task.enqueue(outgoing_id=outgoing_id)

    transaction.on_commit(enqueue)


def _message(outgoing: OutgoingEmail, connection) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=outgoing.subject,
        body=outgoing.body,
        from_email=outgoing.from_email,
        to=outgoing.to,
        headers=outgoing.headers,
        connection=connection,
    )
    if outgoing.html:
        message.attach_alternative(outgoing.html, "text/html")
    return message


def _claim(outgoing_id: int, now) -> bool:
    """Mark a due row "sending"; False when another run has it or it was sent already."""
    due = Q(status=Status.QUEUED) | Q(status=Status.SENDING, claimed_at__lt=now - STALE_CLAIM)
    return bool(
        OutgoingEmail.objects.filter(due, pk=outgoing_id).update(
            status=Status.SENDING, claimed_at=now
        )
    )


def retry_delay(attempts: int) -> datetime.timedelta | None:
    """How long to wait after the ``attempts``-th failure; None when it was the last one."""
    delays = settings.EMAIL_RETRY_DELAYS
    if attempts > len(delays):
        return None
    return datetime.timedelta(seconds=delays[attempts - 1])


def email_deliver(*, outgoing_ids: Iterable[int], connection=None) -> int:
    """Send the given outbox rows over one SMTP connection; returns how many were sent.

    Each row is claimed before it is sent, so a retried or duplicated task sends nothing
    twice. A failure is recorded on the row (``attempts``, ``last_error``) and retried after
    ``retry_delay``; the task backend is asked to run it then when it can defer tasks, and
    ``manage.py send_queued_email`` (cron) picks up the rest.
    """
    from django_tasks import default_task_backend

    sent = 0
    own_connection = connection is None
    connection = connection or get_connection()
    try:
        for outgoing_id in outgoing_ids:
            now = timezone.now()
            if not _claim(outgoing_id, now):
                continue
            outgoing = OutgoingEmail.objects.get(pk=outgoing_id)
            try:
                _message(outgoing, connection).send()
            except Exception as exc:  # noqa: BLE001 - every SMTP or socket error is recorded
                outgoing.attempts += 1
                outgoing.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                delay = retry_delay(outgoing.attempts)
                if delay is None:
                    outgoing.status = Status.FAILED
                    outgoing.next_attempt_at = None
                    logger.error("e-mail %s failed for good: %s", outgoing.pk, outgoing.last_error)
                else:
                    outgoing.status = Status.QUEUED
                    outgoing.next_attempt_at = now + delay
                    logger.warning(
                        "e-mail %s failed, will retry: %s", outgoing.pk, outgoing.last_error
                    )
                outgoing.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
                if delay is not None and default_task_backend.supports_defer:
                    email_enqueue(outgoing_ids=[outgoing.pk], run_after=outgoing.next_attempt_at)
                continue
            outgoing.attempts += 1
            outgoing.status = Status.SENT
            outgoing.sent_at = timezone.now()
            outgoing.next_attempt_at = None
            outgoing.save(update_fields=["attempts", "status", "sent_at", "next_attempt_at"])
            sent += 1
    finally:
        if own_connection:
            connection.close()
    return sent


def email_retry_due(*, now=None) -> int:
    """Send the queued messages whose retry time has come (``manage.py send_queued_email``)."""
    now = now or timezone.now()
    due = OutgoingEmail.objects.filter(
        Q(status=Status.QUEUED, next_attempt_at__lte=now)
        # A first send whose task was lost (the process died between commit and enqueue).
        | Q(status=Status.QUEUED, next_attempt_at__isnull=True, created_at__lt=now - STALE_CLAIM)
        | Q(status=Status.SENDING, claimed_at__lt=now - STALE_CLAIM)
    ).values_list("pk", flat=True)
    return email_deliver(outgoing_ids=list(due.order_by("pk")[:1000]))


def email_resend(*, outgoing: OutgoingEmail) -> OutgoingEmail:
    """Queue a failed (or sent) message again, with its attempts counted from zero."""
    OutgoingEmail.objects.filter(pk=outgoing.pk).update(
        status=Status.QUEUED, attempts=0, next_attempt_at=None, claimed_at=None, last_error=""
    )
    email_enqueue(outgoing_ids=[outgoing.pk])
    outgoing.refresh_from_db()
    return outgoing
