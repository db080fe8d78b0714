"""The platform's one way to send e-mail: a text part and an HTML part from two templates.

Every app sends through :func:`send_templated_email`, so sender, headers and rendering stay
the same everywhere (and tests read ``mail.outbox`` in one shape).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def send_templated_email(
    *,
    to: list[str],
    subject: str,
    template: str,
    context: dict,
    from_email: str | None = None,
) -> int:
    """Render ``<template>.txt`` and ``<template>.html`` with ``context`` and send them.

    ``subject`` is folded onto one line (a header never carries a line break). The context
    gets ``site_url`` (``settings.SITE_URL``) and ``platform_name`` (``settings.PLATFORM_NAME``,
    for the greeting or signature) unless it has them. Returns the number of messages sent (1),
    as Django's ``send`` does; errors of the mail backend propagate.
    """
    context = {"site_url": settings.SITE_URL, "platform_name": settings.PLATFORM_NAME, **context}
    text_body = render_to_string(f"{template}.txt", context)
    html_body = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(str(subject).split()),
        body=text_body,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(to),
    )
    message.attach_alternative(html_body, "text/html")
    return message.send()
