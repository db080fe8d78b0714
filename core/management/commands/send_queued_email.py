"""Send the e-mails whose retry time has come (cron, every few minutes).

With the database task backend the worker retries by itself (the task is deferred); this
command covers backends that cannot defer and messages whose worker died mid-send.
"""

from django.core.management.base import BaseCommand

from core.email import email_retry_due


class Command(BaseCommand):
    help = "Send queued e-mails whose retry time has come."

    def handle(self, *args, **options):
        sent = email_retry_due()
        self.stdout.write(f"sent {sent}")
