"""Background work every app shares (run by the task backend: immediate in development and
tests, the database backend and its worker in production)."""

from __future__ import annotations

from django_tasks import task


@task()
def email_send(*, outgoing_id: int) -> int:
    """Send one outbox row (``core.email.email_deliver``); 0 when it was sent already.

    Its argument is the row's id, so the database backend stores a number and a retried
    task finds the row's outcome rather than sending again.
    """
    from .email import email_deliver

    return email_deliver(outgoing_ids=[outgoing_id])
