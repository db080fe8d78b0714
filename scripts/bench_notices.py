#!/usr/bin/env python
"""Benchmark notifications at scale: a post in a big group, and a digest run for many people.

Usage (on whatever DATABASE_URL the environment names; defaults to a throwaway SQLite file):

    .venv/bin/python scripts/bench_notices.py [--members 1000] [--posts 7] [--immediate 100]
        [--digest-sizes 2000,10000] [--items 3] [--keep-db PATH]

(a) A group of ``--members`` approved members, ``--immediate`` of whom want group activity
    e-mailed at once (the rest keep the default daily digest). With the database task
    backend (``django_tasks_db.DatabaseBackend``) the request path of ``post_create`` only
    stores the post and enqueues one task: its median over ``--posts`` posts is printed.
    Then ``manage.py db_worker --batch`` runs the queued tasks (the fan-out and the e-mails)
    and the time of each task kind, and the notifications, e-mails and digest items made,
    are printed.
(b) For each of ``--digest-sizes`` recipients with ``--items`` waiting digest items each (in
    two initiatives), ``manage.py send_digests`` runs once for its time, and once more on
    fresh items under tracemalloc for its peak of Python memory (which must not grow with
    the number of recipients: the run is batched by DIGEST_BATCH_SIZE).

E-mail goes to a backend that only counts (no SMTP, no outbox list in memory). Record the
printed figures in docs/performance.md («Notifications»).
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BULK = 1000


class CountingBackend:
    """A mail backend that counts what it is given and keeps nothing (set below)."""

    sent = 0
    connections = 0

    def __init__(self, fail_silently=False, **kwargs):
        pass

    def open(self):
        type(self).connections += 1
        return True

    def close(self):
        pass

    def send_messages(self, messages):
        for message in messages:
            message.message().as_bytes()  # build it as SMTP would
        type(self).sent += len(messages)
        return len(messages)


def require(condition, message) -> None:
    if not condition:
        raise SystemExit(f"FAILED: {message}")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def make_users(count: int, prefix: str):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    User = get_user_model()
    unusable = make_password(None)  # nobody logs in
    User.objects.bulk_create(
        [
            User(
                email=f"{prefix}{n}@bench.example",
                first_name="Участник",
                last_name=f"№{n}",
                password=unusable,
            )
            for n in range(count)
        ],
        batch_size=BULK,
    )
    return list(
        User.objects.filter(email__startswith=prefix, email__endswith="@bench.example")
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def run_worker() -> None:
    """``manage.py db_worker --batch``: every queued task (and those they queue), then exit."""
    from django.core.management import call_command

    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0",
        verbosity=0, stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip


def bench_post(args) -> None:
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult
    from notifications.models import Notification

    from core.models import OutgoingEmail
    from extranet.feed.services import post_create
    from extranet.members.models import Membership, User
    from extranet.notices.models import DigestItem, EmailSettings
    from tests.factories import InitiativePageFactory, ensure_home_page

    ensure_home_page()
    group = InitiativePageFactory(title="Кластер для замера", slug="bench")
    ids = make_users(args.members, "member")
    Membership.objects.bulk_create(
        [
            Membership(
                user_id=pk,
                initiative=group,
                status=Membership.Status.APPROVED,
                role=Membership.Role.ADMIN if index == 0 else Membership.Role.MEMBER,
            )
            for index, pk in enumerate(ids)
        ],
        batch_size=BULK,
    )
    EmailSettings.objects.bulk_create(
        [EmailSettings(user_id=pk, group="immediate") for pk in ids[1 : 1 + args.immediate]]
    )
    author = User.objects.get(pk=ids[0])
    # Wagtail's own tasks of creating the pages (search index, references) are not measured.
    run_worker()
    DBTaskResult.objects.all().delete()
    # One post warms the caches (content types, templates) before the timed ones.
    with transaction.atomic():
        post_create(initiative=group, author=author, kind="news", text="Разогрев")
    timings = []
    for number in range(args.posts):
        started = time.perf_counter()
        with transaction.atomic():
            post_create(
                initiative=group, author=author, kind="news", text=f"Новость №{number} группы"
            )
        timings.append(time.perf_counter() - started)
    queued = DBTaskResult.objects.count()
    require(Notification.objects.count() == 0, "the request path fanned out by itself")
    require(CountingBackend.sent == 0, "the request path sent e-mail")
    print(
        f"(a) group of {args.members} members ({args.immediate} want group mail at once), "
        f"{args.posts} posts + 1 warm-up"
    )
    print(
        f"    request path post_create (enqueue only): median {ms(statistics.median(timings))}, "
        f"max {ms(max(timings))}; {queued} tasks queued, 0 notifications, 0 e-mails sent"
    )

    started = time.perf_counter()
    run_worker()
    worker = time.perf_counter() - started
    by_task: dict[str, list[float]] = {}
    for result in DBTaskResult.objects.all():
        require(result.status == "SUCCESSFUL", (result.task_path, result.status))
        duration = (result.finished_at - result.started_at).total_seconds()
        by_task.setdefault(result.task_path.rsplit(".", 1)[-1], []).append(duration)
    posts = args.posts + 1
    notifications = Notification.objects.count()
    emails = OutgoingEmail.objects.count()
    digest = DigestItem.objects.count()
    require(notifications == posts * (args.members - 1), notifications)
    require(emails == posts * args.immediate, emails)
    print(f"    db_worker --batch: {worker:.2f} s for {DBTaskResult.objects.count()} tasks")
    for name, durations in sorted(by_task.items()):
        print(
            f"      {name}: {len(durations)} tasks, median {ms(statistics.median(durations))}, "
            f"total {sum(durations):.2f} s"
        )
    print(
        f"    made: {notifications} notifications, {emails} e-mails "
        f"({CountingBackend.sent} sent), {digest} digest items"
    )


def make_digest_items(recipient_ids: list[int], items: int, initiatives) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from notifications.models import Notification

    from extranet.members.models import User
    from extranet.notices.models import DigestItem

    user_type = ContentType.objects.get_for_model(User)
    now = timezone.now()
    for start in range(0, len(recipient_ids), BULK):
        chunk = recipient_ids[start : start + BULK]
        notices = []
        meta = []
        for pk in chunk:
            for n in range(items):
                initiative = initiatives[n % len(initiatives)]
                notices.append(
                    Notification(
                        recipient_id=pk,
                        actor_content_type=user_type,
                        actor_object_id=str(recipient_ids[0]),
                        verb="feed.post_new",
                        target_content_type=user_type,
                        target_object_id=str(pk),
                        public=False,
                        timestamp=now,
                        data={
                            "kind": "feed.post_new",
                            "params": {"actor": "Автор Замера", "initiative": initiative.title},
                            "url": f"/cabinet/groups/{initiative.slug}/posts/{n + 1}/",
                            "initiative": initiative.pk,
                            "initiative_title": initiative.title,
                            "excerpt": "Текст записи, которого в письме нет",
                            "email_excerpt": False,
                        },
                    )
                )
                meta.append((pk, initiative))
        saved = Notification.objects.bulk_create(notices)
        DigestItem.objects.bulk_create(
            [
                DigestItem(
                    recipient_id=pk,
                    notification=notice,
                    category="group",
                    initiative_id=initiative.pk,
                    initiative_title=initiative.title,
                )
                for notice, (pk, initiative) in zip(saved, meta, strict=True)
            ]
        )


def run_digests(*, traced: bool):
    from django.core.management import call_command

    out = io.StringIO()
    gc.collect()
    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    call_command("send_digests", stdout=out)
    seconds = time.perf_counter() - started
    peak = 0
    if traced:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return seconds, peak, out.getvalue().strip()


def bench_digests(args) -> None:
    from django.conf import settings
    from notifications.models import Notification

    from core.models import OutgoingEmail
    from extranet.notices.models import DigestItem
    from tests.factories import InitiativePageFactory

    sizes = [int(size) for size in args.digest_sizes.split(",")]
    DigestItem.objects.all().delete()
    initiatives = [
        InitiativePageFactory(title="Кластер аграрных биотехнологий", slug="digest-a"),
        InitiativePageFactory(title="Композитный кластер", slug="digest-b"),
    ]
    everyone = make_users(max(sizes), "reader")
    print(
        f"(b) send_digests, {args.items} items per recipient in {len(initiatives)} initiatives, "
        f"DIGEST_BATCH_SIZE={settings.DIGEST_BATCH_SIZE}"
    )
    for size in sizes:
        recipients = everyone[:size]
        figures = {}
        for traced in (False, True):
            Notification.objects.filter(recipient_id__in=recipients).delete()
            OutgoingEmail.objects.filter(kind="digest").delete()
            make_digest_items(recipients, args.items, initiatives)
            sent_before = CountingBackend.sent
            connections_before = CountingBackend.connections
            figures[traced] = run_digests(traced=traced)
            sent = CountingBackend.sent - sent_before
            require(sent == size, (size, sent))
            require(not DigestItem.objects.exists(), "items left after the run")
            connections = CountingBackend.connections - connections_before
        seconds, _, line = figures[False]
        traced_seconds, peak, _ = figures[True]
        print(
            f"    {size:>6} recipients: {seconds:.2f} s ({size / seconds:.0f} digests/s), "
            f"{connections} connections; peak Python memory {peak / 2**20:.1f} MiB "
            f"(tracemalloc run {traced_seconds:.2f} s); max RSS so far "
            f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
        )
        print(f"           {line}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--posts", type=int, default=7)
    parser.add_argument("--immediate", type=int, default=100)
    parser.add_argument("--digest-sizes", default="2000,10000")
    parser.add_argument("--items", type=int, default=3)
    parser.add_argument("--keep-db", help="SQLite file to use instead of a temporary one")
    args = parser.parse_args()
    require(0 <= args.immediate < args.members, "--immediate must be below --members")

    tmp = tempfile.mkdtemp(prefix="cms-bench-")
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{args.keep_db or Path(tmp) / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    os.environ["CMS_READ_DOTENV"] = "0"
    os.environ["DEBUG"] = "0"
    os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
    os.environ["SITE_URL"] = "http://bench.example"
    os.environ.setdefault("MEDIA_ROOT", str(Path(tmp) / "media"))
    os.environ.setdefault("PRIVATE_MEDIA_ROOT", str(Path(tmp) / "private"))

    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.EMAIL_BACKEND = "__main__.CountingBackend"
    require(
        settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend",
        settings.TASKS,
    )
    call_command("migrate", verbosity=0, interactive=False)
    print(f"database: {connection.vendor}; tasks: django_tasks_db.DatabaseBackend")
    bench_post(args)
    bench_digests(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
