"""Background work every app shares (run by the task backend: immediate in development and
tests, the database backend and its worker in production)."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def email_send(*, to: list[str], subject: str, body: str, html: str, from_email: str) -> int:
    """Send one rendered message (text body, HTML alternative); returns the number sent (1).

    Its arguments are plain strings so the database backend can store them; rendering is
    done by ``core.email.send_templated_email`` before the task is enqueued.
    """
    message = EmailMultiAlternatives(subject=subject, body=body, from_email=from_email, to=to)
    message.attach_alternative(html, "text/html")
    return message.send()
