"""A real SMTP server for tests: aiosmtpd on 127.0.0.1, and Django's SMTP backend aimed at it.

``smtp_server(settings)`` starts a server with a handler that keeps what it receives (or one
that refuses every recipient) and points ``EMAIL_*`` at it; the ``smtp_server`` fixture of a
test module wraps it. Only the loopback address is ever used.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import socket
import time
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class Collector:
    """aiosmtpd handler that keeps every message it receives."""

    def __init__(self):
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"

    def parsed(self) -> list[EmailMessage]:
        """The received messages as ``email.message.EmailMessage`` (headers decoded)."""
        return [
            email.message_from_bytes(envelope.original_content, policy=email.policy.default)
            for envelope in self.messages
        ]

    def wait_for(self, count: int, timeout: float = 5.0) -> None:
        """Wait until ``count`` messages arrived (the server runs in its own thread)."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)


class Refuser(Collector):
    """aiosmtpd handler that refuses every recipient with a permanent error."""

    REPLY = "550 5.1.1 Mailbox unavailable"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return self.REPLY


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def smtp_server(settings, handler: Collector | None = None):
    """Run an SMTP server on 127.0.0.1 and aim Django's SMTP backend at it; yields the handler."""
    handler = handler if handler is not None else Collector()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    try:
        yield handler
    finally:
        controller.stop()
