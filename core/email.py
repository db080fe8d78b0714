"""The platform's one way to send e-mail: a text part and an HTML part from two templates.

Every app sends through :func:`send_templated_email`, so sender, headers and rendering stay
the same everywhere (and tests read ``mail.outbox`` in one shape). The message is rendered
here, in the caller's active language, and handed to a task (``core.tasks.email_send``)
once the current transaction commits: with the database task backend the request never
waits for SMTP, and a rolled-back change sends nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

from .tasks import email_send


def send_templated_email(
    *,
    to: list[str],
    subject: str,
    template: str,
    context: dict,
    from_email: str | None = None,
) -> None:
    """Render ``<template>.txt`` and ``<template>.html`` with ``context`` and send them.

    ``subject`` is folded onto one line (a header never carries a line break). The context
    gets ``site_url`` (``settings.SITE_URL``) and ``platform_name`` (``settings.PLATFORM_NAME``,
    for the greeting or signature) unless it has them. Rendering happens now (so the active
    language and the objects in ``context`` are those of the caller); the sending is enqueued
    on commit, and the task backend reports a mail backend's error.
    """
    context = {"site_url": settings.SITE_URL, "platform_name": settings.PLATFORM_NAME, **context}
    message = {
        "to": [str(address) for address in to],
        "subject": " ".join(str(subject).split()),
        "body": render_to_string(f"{template}.txt", context),
        "html": render_to_string(f"{template}.html", context),
        "from_email": str(from_email or settings.DEFAULT_FROM_EMAIL),
    }
    transaction.on_commit(lambda: email_send.enqueue(**message))
