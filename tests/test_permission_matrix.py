"""The whole-site permission matrix (issue 16, item 2).

Every URL pattern of the site, read from the resolver (and the sub-routes of the routable
Wagtail pages the catch-all serves), must have an entry in ``tests/matrix/table.py``: a new
URL without one fails here, and so does an entry whose pattern is gone. Each entry's
requests (for objects of initiative X and of Y) are made as each role of the ``people``
fixture and must get the answer the table gives; an unauthorised POST must change nothing;
and no response may show an e-mail or phone the privacy rule hides from that role
(``tests/matrix/scan.py``). The websocket routes are checked for the same roles at the end.

One test builds the data once and makes every request as every role (each role in a
savepoint rolled back after it), collecting every mismatch, so a run stays short and a
failure lists all that is wrong at once.
"""

from __future__ import annotations

import json
from urllib.parse import urlparse

import pytest
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import LocalePrefixPattern

from tests.conftest import EXTRANET_ROLES
from tests.matrix import scan
from tests.matrix.table import ANY, LOGIN, PREFIXES, REDIRECT, REFUSALS, TABLE
from tests.matrix.world import build_world

# The project's own code: a pattern whose view lives here needs an entry of its own, even
# inside a third-party tree covered by a prefix.
PROJECT_PACKAGES = {"cms", "core", "home", "initiatives", "events", "ideas_exchange", "extranet"}


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            # i18n_patterns' language prefix is left out: «cabinet/», also under /en/.
            part = "" if isinstance(entry.pattern, LocalePrefixPattern) else str(entry.pattern)
            yield from _walk(entry.url_patterns, prefix + part)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback.__module__


def site_patterns() -> dict[str, str]:
    """Canonical pattern → the module of its view, for every URL the site answers."""
    from wagtail.contrib.routable_page.models import RoutablePageMixin
    from wagtail.models import get_page_models

    found = dict(_walk(get_resolver().url_patterns))
    for model in get_page_models():
        if issubclass(model, RoutablePageMixin):
            for route in model.get_subpage_urls():
                found[f"page:{model._meta.label}:{route.pattern}"] = model.__module__
    return found


def _covering_prefix(pattern: str) -> str | None:
    bare = pattern.lstrip("^")
    return next((prefix for prefix in PREFIXES if bare.startswith(prefix)), None)


def test_every_url_pattern_has_an_entry():
    """No URL of the site escapes the matrix, and the matrix names no URL that is gone."""
    patterns = site_patterns()
    missing = []
    used_prefixes = set()
    for pattern, module in sorted(patterns.items()):
        if pattern in TABLE:
            continue
        prefix = _covering_prefix(pattern)
        own = module.split(".")[0] in PROJECT_PACKAGES
        if prefix is not None and not own:
            used_prefixes.add(prefix)
            continue
        missing.append(f"{pattern}  (view in {module})")
    stale = sorted(set(TABLE) - set(patterns))
    stale += [f"prefix {p}" for p in sorted(set(PREFIXES) - used_prefixes)]
    problems = []
    if missing:
        problems.append(
            "URL patterns with no entry in tests/matrix/table.py:\n  " + "\n  ".join(missing)
        )
    if stale:
        problems.append("entries whose pattern no longer exists:\n  " + "\n  ".join(stale))
    assert not problems, "\n".join(problems)


def _is_login(response) -> bool:
    return (
        response.status_code in (301, 302, 303)
        and "/login/" in urlparse(response.get("Location", "")).path
    )


def _matches(expected, response) -> bool:
    code = response.status_code
    redirect = code in (301, 302, 303)
    if expected == LOGIN:
        return _is_login(response)
    if expected == REDIRECT:
        return redirect and not _is_login(response)
    if expected == ANY:
        return code == 200 or (redirect and not _is_login(response))
    return code == expected


def _describe(response) -> str:
    if response.status_code in (301, 302, 303):
        return f"{response.status_code} → {response.get('Location')}"
    return str(response.status_code)


def _all_cases():
    for pattern, cases in list(TABLE.items()) + [(f"prefix {p}", c) for p, c in PREFIXES.items()]:
        for case in cases:
            yield pattern, case


def _resolves(path: str) -> bool:
    try:
        resolve(urlparse(path).path)
    except Resolver404:
        return False
    return True


def _answers_as(role, world, person) -> tuple[list[str], int]:
    """Every request of the table as ``role``: the mismatches found and the requests made."""
    allowed = scan.allowed_contacts(world, role)
    client = Client(raise_request_exception=False)
    if person is not None:
        client.force_login(person)
    cases = list(_all_cases())
    ordered = (
        [c for c in cases if c[1].method == "GET"]
        + [c for c in cases if c[1].method == "POST" and not c[1].last]
        + [c for c in cases if c[1].last]
    )
    problems: list[str] = []
    requests = 0
    for pattern, case in ordered:
        url = case.url(world)
        if case.extra.get("if_resolves") and not _resolves(url):
            continue
        expected = case.expect[role]
        before = case.state(world) if case.state else None
        if case.method == "POST":
            response = client.post(url, case.data(world) if case.data else {})
        else:
            response = client.get(url)
        requests += 1
        where = f"{role}: {case.method} {url}  [{pattern} {case.label}]"
        if not _matches(expected, response):
            problems.append(f"{where}: expected {expected}, got {_describe(response)}")
        if case.state and expected in REFUSALS and case.state(world) != before:
            problems.append(f"{where}: refused, yet the state changed")
        if response.status_code == 200 or response.status_code >= 400:
            shown = allowed
            if "shows" in case.extra:
                emails, phones = case.extra["shows"](world)
                shown = (allowed[0] | emails, allowed[1] | phones)
            for leak in scan.leaks(world, role, scan.body_text(response), shown):
                problems.append(f"{where}: shows the {leak}")
    return problems, requests


@pytest.mark.django_db
def test_every_role_gets_every_url_as_designed(people, gorki, polotsk):
    """As each role, every request of the table gets the answer it gives, an unauthorised
    POST leaves its state as it was, and no response shows contacts the role may not see.

    The objects are built once; each role's requests run in a savepoint rolled back after
    them (its POSTs change nothing the next role sees), with an empty cache."""
    from django.core.cache import cache
    from django.db import transaction

    world = build_world(people, gorki, polotsk)
    problems: list[str] = []
    total = 0
    for role in EXTRANET_ROLES:
        cache.clear()
        with transaction.atomic():
            found, requests = _answers_as(role, world, people[role])
            transaction.set_rollback(True)
        problems += found
        total += requests
    print(f"{len(EXTRANET_ROLES)} roles, {total} requests")
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


# --- Websocket routes (cms/routing.py) ------------------------------------------------------

# Who takes part in X's and Y's conversations (tests/matrix/world.py makes the same pairs).
WS_PARTICIPANTS = {"x": {"member", "initiative_admin"}, "y": {"other_member", "portal_admin"}}


def _ws_world(people):
    from extranet.chat import services

    convs, messages = {}, {}
    for key, (a, b) in {
        "x": ("member", "initiative_admin"),
        "y": ("other_member", "portal_admin"),
    }.items():
        first, second = people[a], people[b]
        convs[key] = services.conversations_ensure(user_id=first.pk, other_ids=[second.pk])[
            second.pk
        ]
        messages[key] = services.message_send(
            sender=first, conversation=convs[key], body=f"Первое {key}", publish=False
        )
    return convs, messages


def _ws_headers(user):
    from django.conf import settings as django_settings

    headers = [(b"origin", b"http://localhost")]
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
        headers.append((b"cookie", f"{django_settings.SESSION_COOKIE_NAME}={cookie}".encode()))
    return headers


async def _frames_until(communicator, types, limit=10):
    """The first frame of one of ``types`` (other frames, e.g. live copies, are skipped)."""
    for _ in range(limit):
        frame = json.loads(await communicator.receive_from(timeout=3))
        if frame["type"] in types:
            return frame
    raise AssertionError(f"no frame of {types}")


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_websockets_answer_each_role_as_designed(people):
    """For every role: /ws/ping/ answers everyone (saying who is signed in); /ws/notifications/
    and /ws/chat/ refuse guests; in the chat a role catches up only on its own
    conversations, and sending to or marking read a conversation of X or Y it is not part of
    is refused with an error frame and stores nothing."""
    from channels.db import database_sync_to_async
    from channels.testing import WebsocketCommunicator

    from cms.asgi import application
    from extranet.chat.models import Message

    convs, first = await database_sync_to_async(_ws_world)(people)
    count = database_sync_to_async(lambda conv: Message.objects.filter(conversation=conv).count())
    problems: list[str] = []
    for role in EXTRANET_ROLES:
        headers = await database_sync_to_async(_ws_headers)(people[role])
        signed_in = people[role] is not None

        ping = WebsocketCommunicator(application, "/ws/ping/", headers=headers)
        connected, _ = await ping.connect()
        if not connected:
            problems.append(f"{role}: /ws/ping/ refused")
        else:
            await ping.send_to(text_data=json.dumps({"type": "ping"}))
            answer = json.loads(await ping.receive_from(timeout=3))
            if answer != {"type": "pong", "authenticated": signed_in}:
                problems.append(f"{role}: /ws/ping/ answered {answer}")
            await ping.disconnect()

        bell = WebsocketCommunicator(application, "/ws/notifications/", headers=headers)
        connected, _ = await bell.connect()
        if connected != signed_in:
            problems.append(f"{role}: /ws/notifications/ connected={connected}")
        if connected:
            frame = json.loads(await bell.receive_from(timeout=3))
            if frame.get("type") != "unread":
                problems.append(f"{role}: /ws/notifications/ first frame {frame}")
            await bell.disconnect()

        chat = WebsocketCommunicator(application, "/ws/chat/", headers=headers)
        connected, _ = await chat.connect()
        if connected != signed_in:
            problems.append(f"{role}: /ws/chat/ connected={connected}")
        if not connected:
            continue
        await _frames_until(chat, {"unread"})
        mine = {convs[k].pk for k, who in WS_PARTICIPANTS.items() if role in who}
        await chat.send_to(text_data=json.dumps({"type": "hello", "last_id": 0}))
        missed = await _frames_until(chat, {"missed"})
        seen = {m["conversation"] for m in missed["messages"]}
        if seen - mine:
            problems.append(f"{role}: hello caught up on conversations {seen - mine}")
        for key, conv in convs.items():
            allowed = role in WS_PARTICIPANTS[key]
            before = await count(conv)
            await chat.send_to(
                text_data=json.dumps(
                    {
                        "type": "send",
                        "conversation": conv.pk,
                        "text": f"от {role}",
                        "client_id": "m",
                    }
                )
            )
            frame = await _frames_until(chat, {"ack", "error"})
            stored = await count(conv) - before
            if allowed and (frame["type"] != "ack" or stored != 1):
                problems.append(f"{role}: send to {key} refused: {frame}, stored {stored}")
            if not allowed and (frame["type"] != "error" or stored != 0):
                problems.append(f"{role}: send to {key} not refused: {frame}, stored {stored}")
            await chat.send_to(
                text_data=json.dumps(
                    {"type": "read", "conversation": conv.pk, "last_id": first[key].pk}
                )
            )
            frame = await _frames_until(chat, {"read", "error"})
            if (frame["type"] == "read") != allowed:
                problems.append(f"{role}: read of {key} answered {frame}")
        await chat.disconnect()
    assert not problems, "\n".join(problems)
