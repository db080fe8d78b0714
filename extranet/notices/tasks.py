"""The notices' background work: fanning one event out to its recipients."""

from __future__ import annotations

from django_tasks import task


@task()
def notice_deliver(**event) -> int:
    """Create the notifications, e-mails and digest items of one event (``services.notify``).

    The arguments are plain values (ids, strings) so the database backend can store them.
    Returns the number of recipients reached; 0 when the event was delivered already.
    """
    from .services import notice_event_deliver

    return notice_event_deliver(**event)
