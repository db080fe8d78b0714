"""Tell people about the chat messages they did not read in time (timer, every minute):
``extranet.chat.missed.missed_messages_notify``."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from extranet.chat.missed import missed_messages_notify


class Command(BaseCommand):
    help = (
        "Notify (by e-mail, per the «Messages» preference) the people whose chat messages "
        "stayed unread past CHAT_MISSED_MESSAGE_DELAY_MINUTES; each message once."
    )

    def handle(self, *args, **options):
        told = missed_messages_notify()
        if options["verbosity"] > 1 or told:
            self.stdout.write(f"{told} missed-message notice(s)")
