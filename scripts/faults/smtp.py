"""A real SMTP server for the fault scripts: aiosmtpd on 127.0.0.1 in a thread, with a mode
the script switches: ``accept`` (250, the message is kept), ``refuse4xx`` (451 at RCPT),
``refuse5xx`` (550 at RCPT) or ``hang`` (DATA answered only after ``hang_seconds``, with 451:
the client has timed out by then, so nothing was delivered). ``delay`` slows every accepted
message down (a batch that takes long enough to be interrupted)."""

from __future__ import annotations

import asyncio
import email
import email.policy
import threading

from aiosmtpd.controller import Controller

MODES = ("accept", "refuse4xx", "refuse5xx", "hang")


class FaultySMTP:
    def __init__(self, *, delay: float = 0.0, hang_seconds: float = 30.0):
        self.mode = "accept"
        self.delay = delay
        self.hang_seconds = hang_seconds
        self.lock = threading.Lock()
        self.received: list[dict] = []  # accepted: recipients, Message-ID, subject
        self.refused = 0  # RCPT refused or DATA not accepted
        self.in_data = 0  # messages between DATA and the reply now
        self.dropped = 0  # DATA whose sender disappeared before the reply

    def set_mode(self, mode: str) -> None:
        if mode not in MODES:
            raise ValueError(mode)
        self.mode = mode

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.mode == "refuse4xx":
            self.refused += 1
            return "451 4.3.0 Temporary failure (faults: refusing)"
        if self.mode == "refuse5xx":
            self.refused += 1
            return "550 5.7.1 Refused (faults: refusing)"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.mode == "hang":
            self.refused += 1
            await asyncio.sleep(self.hang_seconds)
            return "451 4.4.2 Timed out (faults: hanging)"
        if self.delay:
            # Before the reply: a sender killed now never got 250, so the message is not
            # counted (as a real MTA discards a message whose DATA was not acknowledged).
            self.in_data += 1
            try:
                await asyncio.sleep(self.delay)
            finally:
                self.in_data -= 1
            transport = getattr(server, "transport", None)
            if transport is None or transport.is_closing():
                # The sender is gone before the reply: an MTA keeps a message only once it
                # could say 250 (the other case, RFC 1047's duplicate, is in
                # docs/reliability.md).
                with self.lock:
                    self.dropped += 1
                return "451 4.4.2 Sender gone"
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self.lock:
            self.received.append(
                {
                    "to": list(envelope.rcpt_tos),
                    "message_id": str(message["Message-ID"]),
                    "subject": str(message["Subject"]),
                }
            )
        return "250 OK"

    def recipients(self) -> list[str]:
        with self.lock:
            return [address for item in self.received for address in item["to"]]

    def start(self, port: int) -> Controller:
        controller = Controller(self, hostname="127.0.0.1", port=port)
        controller.start()
        return controller
