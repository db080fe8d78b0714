"""The chat's background work (the task backend: immediate in development and tests, the
database backend and its worker in production): delivering a message to everyone, and the
missed-message check that e-mails what was not read in time."""

from __future__ import annotations

from django_tasks import task


@task()
def broadcast_send(*, broadcast_id: int) -> int:
    """Deliver one message to everyone (``broadcasts.broadcast_deliver``); 0 when another
    run claimed it already. The argument is the row's id, so the database backend stores a
    number."""
    from .broadcasts import broadcast_deliver

    return broadcast_deliver(broadcast_id=broadcast_id)


@task()
def missed_messages_check() -> int:
    """Notify the people whose messages stayed unread past the delay
    (``missed.missed_messages_notify``); also run every minute by ``notify_missed_messages``."""
    from .missed import missed_messages_notify

    return missed_messages_notify()
