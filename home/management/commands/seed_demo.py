import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from core import pagecache
from core.demo import PRESETS, DemoContext, project_seeders


def scale_argument(value: str) -> int | str:
    """``--scale``: a whole number (1 or more) or the name of a preset (``large``)."""
    if value in PRESETS:
        return value
    try:
        return int(value)
    except ValueError:
        names = ", ".join(sorted(PRESETS))
        raise CommandError(f"--scale must be a whole number or one of: {names}.") from None


class Command(BaseCommand):
    help = (
        "Create the demo site: page tree, users, and whatever each app's demo.py adds. "
        "Idempotent: running it again creates only what is missing and changes nothing else."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=scale_argument,
            default=1,
            help=(
                "Generated volumes for benchmarks. A number N multiplies the hand-written "
                "demo's members, posts and events (default 1; scripts/bench_pages.py uses 50). "
                "A preset's name ('large') keeps the demo and adds, in bulk and dated over the "
                "last 24 months: initiatives up to 50 (46 generated, with their admins), "
                "50,000 people with profiles, organisations and memberships spread over "
                "them, 100,000 feed posts with comments, 1,000,000 chat messages, 5,000 events "
                "with registrations, attendance and ratings, 10,000 ideas with comments and "
                "partners, and the site's audience (minutes on PostgreSQL; made once: a "
                "second run adds nothing)."
            ),
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (never on a production site: demo passwords are public).",
        )

    def handle(self, *args, scale, force, **options):
        preset = PRESETS.get(scale) if isinstance(scale, str) else None
        if preset is None and scale < 1:
            raise CommandError("--scale must be 1 or more.")
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with published passwords; with DEBUG off it needs "
                "--force."
            )
        ctx = DemoContext(scale=1 if preset else scale, volumes=preset, stdout=self.stdout)
        with transaction.atomic():
            for app, seed in project_seeders():
                self.stdout.write(f"Seeding {app}…")
                seed(ctx)
            # Deferred steps may defer more: the list grows as it is walked.
            for step in ctx.deferred:
                step(ctx)
        if ctx.bulk_steps:
            # After the commit above: what it announced reached the demo's people only.
            self.stdout.write(f"Generating the {scale} data in bulk…")
            with transaction.atomic():
                for step in ctx.bulk_steps:
                    started = time.monotonic()
                    step(ctx)
                    name = f"{step.__module__}.{step.__name__}"
                    self.stdout.write(f"  {name}: {time.monotonic() - started:.1f} s")
            if connection.vendor == "postgresql":
                # Fresh planner statistics: before autovacuum gets to it, PostgreSQL plans
                # 50,000 users as a few hundred rows and hashes whole tables for a feed page.
                started = time.monotonic()
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
                self.stdout.write(f"  ANALYZE: {time.monotonic() - started:.1f} s")
            # Pages inserted in bulk send no publish signal: what guests were served from
            # the page cache before (the initiatives list, /events/) is stale now.
            pagecache.purge(pagecache.TAG_ALL)
        created = ", ".join(f"{kind}: {n}" for kind, n in sorted(ctx.created.items()))
        self.stdout.write(self.style.SUCCESS(f"Demo data ready (created {created or 'nothing'})."))
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("Demo logins (password after the slash):"))
        for login in ctx.logins:
            self.stdout.write(f"  {login.role:<32} {login.email} / {login.password}")
        if len({login.password for login in ctx.logins}) == 1:
            self.stdout.write(
                "  Every other demo account (more members and applicants) has the same password."
            )
        self.stdout.write(
            f"  Site: {settings.SITE_URL}/   Wagtail admin: {settings.SITE_URL}/admin/"
        )
