"""Send the daily digests (cron, once a day): see ``extranet.notices.digests``."""

from django.core.management.base import BaseCommand, CommandError

from extranet.notices.digests import digests_send


class Command(BaseCommand):
    help = (
        "Send each recipient one e-mail with their waiting digest items, grouped per "
        "initiative, over one SMTP connection per batch of recipients."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=None,
            help="Recipients per batch and SMTP connection (default: settings.DIGEST_BATCH_SIZE).",
        )

    def handle(self, *args, batch_size=None, **options):
        if batch_size is not None and batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        run = digests_send(batch_size=batch_size)
        self.stdout.write(
            f"digests: {run.recipients} recipients, {run.emails} e-mails ({run.sent} sent), "
            f"{run.items} items ({run.dropped} dropped), {run.batches} batches, "
            f"{run.seconds:.2f} seconds"
        )
