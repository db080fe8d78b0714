"""Remind people of events starting within a day (a timer, every hour): see
``events.services.reminders_send``. A re-run, or two at once, reminds nobody twice."""

from django.core.management.base import BaseCommand

from events.services import reminders_send


class Command(BaseCommand):
    help = (
        "Remind the people with a seat at events starting within the next 24 hours (a notice "
        "for people with accounts, an e-mail for guests), each once."
    )

    def handle(self, *args, **options):
        reminded = reminders_send()
        self.stdout.write(f"event reminders: {reminded} registrations reminded")
