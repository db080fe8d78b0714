"""The load test's plan, read from the seeded database (run by run.py with the app's
environment): which public pages guests browse, which members sign in (their groups and
conversations), which admins approve which pending applications. Writes JSON to the path
given as the first argument.

Pending applications are made here: ``--applicants`` people (``applicant-N@LOADTEST_DOMAIN``,
the demo's password) apply to each initiative that has an administrator. Their earlier
applications, approved by an earlier run, are closed first, so every run starts with the same
queue.

Every member and admin of the plan gets a signed-in session made here (``session`` in the
plan: the key of the cookie ``SESSION_COOKIE_NAME``), as allauth's login would leave it, so
the load test measures people who stay signed in rather than PBKDF2 at the start of each step
(``--no-sessions``: the plan holds none and locust signs in through the form). The sessions of
the previous plan at the same path are deleted first.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.db.models import Q  # noqa: E402

from core.demo import LARGE_EMAIL_DOMAIN  # noqa: E402
from events.models import EventIndexPage, EventPage  # noqa: E402
from extranet.chat import permissions as chat_permissions  # noqa: E402
from extranet.chat.models import Conversation  # noqa: E402
from extranet.chat.services import conversations_ensure  # noqa: E402
from extranet.members.demo import DEMO_PASSWORD  # noqa: E402
from extranet.members.models import Membership, User  # noqa: E402
from home.models import HomePage  # noqa: E402
from ideas_exchange.models import IdeasExchangePage  # noqa: E402
from initiatives.models import InitiativeIndexPage, InitiativePage, NewsIndexPage, NewsPage  # noqa: E402

LOADTEST_DOMAIN = "loadtest.example"


def _url(page) -> str | None:
    return page.get_url() if page is not None else None


def public_pages() -> list[dict]:
    """One of each kind of public page, by the name the report prints."""
    live = {
        "home": HomePage.objects.live().public().first(),
        "initiatives": InitiativeIndexPage.objects.live().public().first(),
        "initiative": InitiativePage.objects.live().public().order_by("path").first(),
        "news": NewsIndexPage.objects.live().public().first(),
        "news item": NewsPage.objects.live().public().order_by("-first_published_at").first(),
        "events": EventIndexPage.objects.live().public().first(),
        "event": EventPage.objects.live().public().order_by("-first_published_at").first(),
        "ideas": IdeasExchangePage.objects.live().public().first(),
    }
    return [{"name": name, "path": _url(page)} for name, page in live.items() if _url(page)]


def members(limit: int) -> list[dict]:
    """Approved members with the groups they read and conversations they may write in; the
    large preset's generated people first (they are most of the members there)."""
    approved = (
        Membership.objects.filter(
            status=Membership.Status.APPROVED, role=Membership.Role.MEMBER, user__is_active=True
        )
        .exclude(user__email__endswith=f"@{LOADTEST_DOMAIN}")
        .select_related("user", "initiative")
        .order_by("user_id")
    )
    by_user: dict[int, dict] = {}
    generated = approved.filter(user__email__endswith=f"@{LARGE_EMAIL_DOMAIN}")
    others = approved.exclude(user__email__endswith=f"@{LARGE_EMAIL_DOMAIN}")
    for rows in (generated, others):
        for membership in rows[: limit * 3]:
            if membership.user_id not in by_user and len(by_user) >= limit:
                break
            entry = by_user.setdefault(
                membership.user_id,
                {
                    "email": membership.user.email,
                    "user_id": membership.user_id,
                    "user": membership.user,
                    "groups": [],
                },
            )
            entry["groups"].append(membership.initiative.slug)
    plan = []
    for entry in by_user.values():
        user = entry.pop("user")
        entry["conversations"] = writable_conversations(user)
        plan.append(entry)
    return plan


def writable_conversations(user) -> list[int]:
    """Up to three conversations ``user`` may send in; one is opened with a fellow member
    when they have none."""
    found = []
    for conversation in (
        Conversation.objects.filter(Q(user_a=user) | Q(user_b=user))
        .select_related("user_a", "user_b")
        .order_by("-pk")[:10]
    ):
        other = conversation.user_b if conversation.user_a_id == user.pk else conversation.user_a
        if chat_permissions.can_write(user, other, conversation=conversation):
            found.append(conversation.pk)
        if len(found) >= 3:
            return found
    if found:
        return found
    fellows = (
        User.objects.filter(
            memberships__status=Membership.Status.APPROVED,
            memberships__initiative__memberships__user=user,
            memberships__initiative__memberships__status=Membership.Status.APPROVED,
            is_active=True,
        )
        .exclude(pk=user.pk)
        .distinct()[:5]
    )
    for other in fellows:
        if chat_permissions.can_write(user, other):
            return [conversations_ensure(user_id=user.pk, other_ids=[other.pk])[other.pk].pk]
    return []


def admins_with_queue(applicants: int) -> list[dict]:
    """Each initiative's first administrator, with ``applicants`` fresh pending applications."""
    from django.contrib.auth.hashers import make_password

    admin_rows = (
        Membership.objects.filter(status=Membership.Status.APPROVED, role=Membership.Role.ADMIN)
        .select_related("user", "initiative")
        .order_by("initiative__path", "user_id")
    )
    chosen: dict[int, Membership] = {}
    for row in admin_rows:
        chosen.setdefault(row.initiative_id, row)
    if not chosen:
        return []
    password = make_password(DEMO_PASSWORD)
    with transaction.atomic():
        User.objects.bulk_create(
            [
                User(
                    email=f"applicant-{n:04d}@{LOADTEST_DOMAIN}",
                    first_name="Заявитель",
                    last_name=f"№{n}",
                    password=password,
                )
                for n in range(applicants)
            ],
            ignore_conflicts=True,
        )
        people = list(
            User.objects.filter(email__endswith=f"@{LOADTEST_DOMAIN}").order_by("email")[
                :applicants
            ]
        )
        Membership.objects.filter(user__in=people, status__in=Membership.ACTIVE_STATUSES).update(
            status=Membership.Status.WITHDRAWN
        )
        Membership.objects.bulk_create(
            [
                Membership(user=person, initiative_id=initiative_id)
                for initiative_id in chosen
                for person in people
            ]
        )
    pending = Membership.objects.filter(
        user__in=people, status=Membership.Status.PENDING
    ).values_list("initiative_id", "pk")
    queues: dict[int, list[int]] = {}
    for initiative_id, pk in pending:
        queues.setdefault(initiative_id, []).append(pk)
    return [
        {
            "email": row.user.email,
            "user_id": row.user_id,
            "slug": row.initiative.slug,
            "pending": sorted(queues.get(initiative_id, [])),
        }
        for initiative_id, row in chosen.items()
    ]


def _login_backend() -> str:
    """The backend allauth's e-mail login records in the session."""
    from django.conf import settings

    allauth = "allauth.account.auth_backends.AuthenticationBackend"
    backends = settings.AUTHENTICATION_BACKENDS
    return allauth if allauth in backends else backends[0]


def delete_sessions(keys: list[str]) -> None:
    from importlib import import_module

    from django.conf import settings

    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in keys:
        store(session_key=key).delete()


def create_sessions(entries: list[dict]) -> None:
    """A signed-in session per entry (``entry["session"]``), with what django.contrib.auth's
    ``login()`` stores: the user's id, the backend and the password's session hash."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore
    backend = _login_backend()
    users = User.objects.in_bulk([entry["user_id"] for entry in entries])
    for entry in entries:
        user = users[entry["user_id"]]
        session = store()
        session[SESSION_KEY] = user._meta.pk.value_to_string(user)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        entry["session"] = session.session_key


def previous_sessions(path: Path) -> list[str]:
    try:
        old = json.loads(path.read_text())
    except (OSError, ValueError):
        return []
    people = old.get("members", []) + old.get("admins", [])
    return [entry["session"] for entry in people if entry.get("session")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out")
    parser.add_argument("--members", type=int, default=400)
    parser.add_argument("--applicants", type=int, default=200)
    parser.add_argument("--no-sessions", action="store_true", help="locust signs in by the form")
    args = parser.parse_args()
    delete_sessions(previous_sessions(Path(args.out)))
    plan = {
        "password": DEMO_PASSWORD,
        "public": public_pages(),
        "members": members(args.members),
        "admins": admins_with_queue(args.applicants),
        "post_kind": "news",
    }
    if not args.no_sessions:
        from django.conf import settings

        create_sessions(plan["members"] + plan["admins"])
        plan["session_cookie"] = settings.SESSION_COOKIE_NAME
    Path(args.out).write_text(json.dumps(plan, ensure_ascii=False, indent=1))
    print(
        f"plan: {len(plan['public'])} public pages, {len(plan['members'])} members "
        f"({sum(1 for m in plan['members'] if m['conversations'])} with a conversation), "
        f"{len(plan['admins'])} admins with {sum(len(a['pending']) for a in plan['admins'])} "
        f"pending applications; {'no' if args.no_sessions else 'their'} sessions made"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
