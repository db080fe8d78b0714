#!/usr/bin/env python
"""Fault: the SMTP server refusing (4xx, then 5xx) and then hanging, then coming back.

Starts the stack with Django's SMTP backend aimed at a real aiosmtpd server in this process
and short retry delays (``EMAIL_RETRY_DELAYS``, so the backoff fits in a minute), queues
``--emails`` outbox messages while the server answers 451, switches it to 550, then to
hanging DATA (the client's ``EMAIL_TIMEOUT`` runs out), then to accepting. Checks that
each failure is recorded on the outbox row (attempts, last error, the next attempt later each
time), that the portal admin's outbox page lists the failing messages with their error, and
that once the server accepts every message arrives exactly once::

    .venv/bin/python scripts/faults/smtp_failures.py [--emails 10] [--phase 8]
"""

from __future__ import annotations

import itertools
import secrets
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
import worker_kill
from smtp import FaultySMTP

SMTP_PORT_OFFSET = 15  # inside the scenario's 20 ports: the stack uses +0, +1, +10, +11
RETRY_DELAYS = "1,2,3,4,5,6,8,10,12,15,20,30"


def parse_args(argv=None):
    parser = common.base_parser(__doc__, port=8640, redis_db=7)
    parser.add_argument("--emails", type=int, default=10, help="messages queued")
    parser.add_argument("--phase", type=float, default=12.0, help="seconds of each failure mode")
    return parser.parse_args(argv)


def backoff_grows(schedule: list[float]) -> bool:
    """The waits between one message's attempts never shrink (pure: tested)."""
    waits = [b - a for a, b in itertools.pairwise(schedule)]
    return len(waits) >= 1 and all(w2 >= w1 * 0.9 for w1, w2 in itertools.pairwise(waits))


def admin_sees_failures(stack, token: str) -> tuple[bool, str]:
    """The portal admin's outbox page (/cabinet/admin/emails/) lists the batch's messages
    with their SMTP error."""
    import requests

    from extranet.members.models import User

    admin = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if admin is None:
        return False, "no portal admin in the database"
    session = stack.sessions_for([admin.pk])[admin.pk]
    cookies = {stack.cookie_name(): session}
    response = requests.get(
        f"{stack.base_url}/cabinet/admin/emails/?kind=faults",
        cookies=cookies,
        timeout=30,
        allow_redirects=True,
    )
    body = response.text
    shown = token in body and ("451" in body or "550" in body or "Timeout" in body)
    return (
        response.status_code == 200 and shown,
        f"GET → {response.status_code} at {urlparse(response.url).path}, listed: {shown}",
    )


def main(argv=None) -> int:
    args = parse_args(argv)
    smtp_port = args.port + SMTP_PORT_OFFSET
    server = FaultySMTP(hang_seconds=args.phase + 5)
    controller = server.start(smtp_port)
    outcome = common.Outcome()
    token = secrets.token_hex(4)
    env = {
        **worker_kill.smtp_env(smtp_port),
        "EMAIL_TIMEOUT": "3",
        "EMAIL_RETRY_DELAYS": RETRY_DELAYS,
        # The scenario is about the outbox, not sign-in: the script's portal admin signs in
        # with a password only, which production's rule for admins would send to /accounts/2fa/.
        "MFA_REQUIRED_FOR_ADMINS": "0",
    }
    schedules: dict[int, list] = {}
    try:
        with common.Stack(args, "smtp_failures", extra_env=env) as stack:
            stack.django_setup()
            from core.models import OutgoingEmail

            def sample():
                for row in OutgoingEmail.objects.filter(key__startswith=f"faults:{token}:"):
                    if row.next_attempt_at:
                        seen = schedules.setdefault(row.pk, [])
                        if row.next_attempt_at.timestamp() not in seen:
                            seen.append(row.next_attempt_at.timestamp())

            errors: set[str] = set()
            for mode in ("refuse4xx", "refuse5xx", "hang"):
                server.set_mode(mode)
                common.log(f"SMTP: {mode} for {args.phase:.0f} s")
                if mode == "refuse4xx":
                    recipients = worker_kill.queue_batch(token, args.emails)
                end = time.monotonic() + args.phase
                while time.monotonic() < end:
                    sample()
                    errors.update(
                        OutgoingEmail.objects.filter(key__startswith=f"faults:{token}:")
                        .exclude(last_error="")
                        .values_list("last_error", flat=True)
                    )
                    time.sleep(0.5)
                if mode == "refuse5xx":
                    ok, detail = admin_sees_failures(stack, token)
                    outcome.check("the portal admin's outbox lists them with the error", ok, detail)
            attempts_before = dict(
                OutgoingEmail.objects.filter(key__startswith=f"faults:{token}:").values_list(
                    "pk", "attempts"
                )
            )
            server.set_mode("accept")
            common.log(f"SMTP: accepting; outbox {worker_kill.outbox_status(token)}")

            def all_sent():
                errors.update(
                    OutgoingEmail.objects.filter(key__startswith=f"faults:{token}:")
                    .exclude(last_error="")
                    .values_list("last_error", flat=True)
                )
                return worker_kill.outbox_status(token) == {"sent": args.emails}

            common.wait_until(all_sent, timeout=150)
            time.sleep(1)
            status = worker_kill.outbox_status(token)
            stored = worker_kill.stored_recipients(token)
    finally:
        controller.stop()
    delivered = [a for a in server.recipients() if token in a]
    retried = sum(1 for n in attempts_before.values() if n >= 2)
    outcome.rows.append(
        common.delivery_row(
            "e-mails (by recipient)",
            sent=recipients,
            stored=stored,
            delivered=delivered,
            note=f"{server.refused} SMTP refusals/hangs; {retried} of {args.emails} tried 2+ times",
        )
    )
    kinds = {
        "4xx": any("451" in e for e in errors),
        "5xx": any("550" in e for e in errors),
        "timeout": any("timed out" in e.lower() or "timeout" in e.lower() for e in errors),
    }
    outcome.check(
        "each kind of failure recorded on the rows (last_error)", all(kinds.values()), str(kinds)
    )
    growing = [backoff_grows(s) for s in schedules.values() if len(s) >= 3]
    outcome.check(
        "retried with growing delays (next_attempt_at)",
        bool(growing) and all(growing),
        f"{len(growing)} messages with 3+ scheduled retries",
    )
    outcome.check("every outbox row ended 'sent'", status == {"sent": args.emails}, str(status))
    return common.finish(f"SMTP refusing and hanging ({args.emails} e-mails)", outcome)


if __name__ == "__main__":
    sys.exit(main())
