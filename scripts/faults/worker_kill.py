#!/usr/bin/env python
"""Fault: the task worker killed (``kill -9``) in the middle of a batch of e-mails.

Starts the stack (scripts/loadtest's topology: gunicorn, uvicorn, ``manage.py db_worker``,
nginx) with Django's SMTP backend aimed at a real aiosmtpd server in this process, which
takes ``--delay`` s per message so the batch lasts. Queues ``--emails`` outbox messages (one
per recipient, ``core.email.email_queue`` as a notification fan-out does: one
``email_send`` task each), waits until about a third has arrived, kills the worker's process
group with SIGKILL, restarts it, and waits until the outbox is done. A message the dead
worker had claimed stays "sending"; ``manage.py send_queued_email`` (the timer) takes it up
after ``core.email.STALE_CLAIM``: the script runs that pick-up as the timer would then.

Counts at the SMTP server by recipient and by Message-ID: every recipient exactly once::

    .venv/bin/python scripts/faults/worker_kill.py [--emails 30] [--delay 0.3]
"""

from __future__ import annotations

import secrets
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
from smtp import FaultySMTP

SMTP_PORT_OFFSET = 15  # inside the scenario's 20 ports: the stack uses +0, +1, +10, +11


def parse_args(argv=None):
    parser = common.base_parser(__doc__, port=8620, redis_db=6)
    parser.add_argument("--emails", type=int, default=30, help="messages in the batch")
    parser.add_argument("--delay", type=float, default=0.3, help="SMTP seconds per message")
    parser.add_argument(
        "--kill-after", type=float, default=0.33, help="fraction delivered before the kill"
    )
    return parser.parse_args(argv)


def smtp_env(port: int) -> dict:
    return {
        "EMAIL_BACKEND": "smtp",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_USE_TLS": "0",
        "EMAIL_TIMEOUT": "5",
    }


def queue_batch(token: str, count: int) -> list[str]:
    """``count`` outbox messages, one per recipient, in one transaction (their tasks are
    enqueued when it commits, as a notification fan-out's are)."""
    from django.db import transaction

    from core.email import email_queue

    recipients = [f"fault-{token}-{n:03d}@faults.example" for n in range(count)]
    with transaction.atomic():
        for n, address in enumerate(recipients):
            email_queue(
                to=[address],
                subject=f"Faults {token} #{n}",
                body=f"Message {n} of the batch {token}.",
                key=f"faults:{token}:{n}",
                kind="faults",
            )
    return recipients


def outbox_status(token: str) -> dict[str, int]:
    from django.db.models import Count

    from core.models import OutgoingEmail

    rows = (
        OutgoingEmail.objects.filter(key__startswith=f"faults:{token}:")
        .values("status")
        .annotate(n=Count("pk"))
    )
    return {row["status"]: row["n"] for row in rows}


def stored_recipients(token: str) -> list[str]:
    """The recipients of the batch's outbox rows, one entry per row."""
    from core.models import OutgoingEmail

    rows = OutgoingEmail.objects.filter(key__startswith=f"faults:{token}:")
    return [address for to in rows.values_list("to", flat=True) for address in to]


def timer_pickup_after_stale_claim(token: str) -> int:
    """What ``manage.py send_queued_email`` does once STALE_CLAIM has passed: the batch's
    claims are aged by that much (rather than waiting 15 minutes), then the timer's job runs."""
    from core.email import STALE_CLAIM, email_retry_due
    from core.models import OutgoingEmail

    stuck = OutgoingEmail.objects.filter(
        key__startswith=f"faults:{token}:", status=OutgoingEmail.Status.SENDING
    )
    for row in stuck:
        row.claimed_at -= STALE_CLAIM + STALE_CLAIM / 15
        row.save(update_fields=["claimed_at"])
    return email_retry_due()


def main(argv=None) -> int:
    args = parse_args(argv)
    smtp_port = args.port + SMTP_PORT_OFFSET
    server = FaultySMTP(delay=args.delay)
    controller = server.start(smtp_port)
    outcome = common.Outcome()
    token = secrets.token_hex(4)
    try:
        with common.Stack(args, "worker_kill", extra_env=smtp_env(smtp_port)) as stack:
            stack.django_setup()
            recipients = queue_batch(token, args.emails)
            common.log(f"queued {len(recipients)} e-mails (batch {token})")
            threshold = max(1, int(args.emails * args.kill_after))
            # Killed while a message is between DATA and the server's reply: the worker has
            # claimed it and never hears whether it went.
            common.wait_until(
                lambda: len(server.recipients()) >= threshold and server.in_data > 0,
                timeout=120,
                every=0.02,
            )
            before = len(server.recipients())
            pid = stack.kill("worker")
            common.log(
                f"kill -9 worker (pid {pid}) after {before} delivered; {outbox_status(token)}"
            )
            time.sleep(2)
            stack.start_worker()
            common.log("worker restarted")
            done = common.wait_until(
                lambda: (
                    outbox_status(token).get("sending", 0) + outbox_status(token).get("queued", 0)
                    == 0
                ),
                timeout=max(60, args.emails * args.delay * 4),
            )
            status = outbox_status(token)
            common.log(f"after the restart: {status}")
            picked = 0
            if not done and status.get("sending"):
                timer_pickup_after_stale_claim(token)
                picked = outbox_status(token).get("sent", 0) - status.get("sent", 0)
                common.log(f"send_queued_email after STALE_CLAIM sent {picked} of the batch")
            time.sleep(1)
            status = outbox_status(token)
            stored = stored_recipients(token)
    finally:
        controller.stop()
    got = server.recipients()
    message_ids = [item["message_id"] for item in server.received if token in item["subject"]]
    outcome.rows.append(
        common.delivery_row(
            "e-mails (by recipient)",
            sent=recipients,
            stored=stored,
            delivered=[address for address in got if token in address],
            note=f"{before} delivered before the kill, {server.dropped} in DATA when it died; "
            f"{picked} sent by the timer's pick-up (its claim aged by STALE_CLAIM)",
        )
    )
    _, repeated_ids = common.count_by_key(message_ids)
    outcome.check("every outbox row ended 'sent'", status == {"sent": len(recipients)}, str(status))
    outcome.check("no Message-ID received twice", repeated_ids == 0, f"{len(message_ids)} ids")
    return common.finish(f"task worker killed mid-batch ({args.emails} e-mails)", outcome)


if __name__ == "__main__":
    sys.exit(main())
