"""Move the page views buffered in the cache into the audience table (timer, every five
minutes: ``deploy/systemd/cms-job@flush_audience.timer``), and delete the salts of months
that are over. Safe to run at any time and in parallel: a cache lock lets one flusher work,
the others move nothing."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from extranet.dashboard.audience import audience_flush


class Command(BaseCommand):
    help = (
        "Move buffered page views from the cache into the audience table and delete the "
        "salts of months that are over."
    )

    def handle(self, *args, **options):
        moved = audience_flush()
        self.stdout.write(f"flushed: {moved} page views")
