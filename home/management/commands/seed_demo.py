from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.demo import DemoContext, project_seeders


class Command(BaseCommand):
    help = (
        "Create the demo site: page tree, users, and whatever each app's demo.py adds. "
        "Idempotent: running it again creates only what is missing and changes nothing else."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="Multiply generated volumes (members, posts, ...) for benchmarks. Default 1.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (never on a production site: demo passwords are public).",
        )

    def handle(self, *args, scale, force, **options):
        if scale < 1:
            raise CommandError("--scale must be 1 or more.")
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with published passwords; with DEBUG off it needs "
                "--force."
            )
        ctx = DemoContext(scale=scale, stdout=self.stdout)
        with transaction.atomic():
            for app, seed in project_seeders():
                self.stdout.write(f"Seeding {app}…")
                seed(ctx)
            for step in ctx.deferred:
                step(ctx)
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
