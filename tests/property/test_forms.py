"""Every form of the site, fed hostile input through the real views (issue 16, part 3).

For each form, as the role allowed to use it, hypothesis posts arbitrary Unicode (NUL,
lone surrogates sent as invalid UTF-8, bidi marks, emoji, 100 kB strings), wrong types
(several values for one field, numbers and impossible dates as text), missing and extra
fields. The properties:

- never a 5xx: the answer is the form again (200, or 400 where the view says so) or a
  redirect (accepted, or refused with a message);
- nothing half-saved: when the form comes back, no row of any model the site writes was
  added or removed, no e-mail was sent and no private file was stored.

Each example posts with a fresh client and asserts on the counts just before and after its
own request (the examples share the test's transaction).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings

from tests.property.conftest import changes, snapshot
from tests.property.strategies import form_data, query_string, urlencoded

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded"
REDIRECTS = {301, 302, 303}
# Forms are many and each example renders a page: a third of the profile's examples each.
EXAMPLES = max(5, settings.default.max_examples // 3)


@dataclasses.dataclass
class Target:
    """One form: who posts it, where (``url(objects)``), its fields with values it accepts
    (None: no known valid value), and the method (``get`` for filter forms)."""

    role: str
    url: Callable[[dict], str]
    fields: dict
    method: str = "post"
    # Answers that are a designed refusal besides the form again and a redirect, with why.
    also: frozenset = frozenset()


def _idea_url(objects, name, *args):
    page = objects["ideas_page"]
    return page.url + page.reverse_subpage(name, args=args)


YEAR = str(timezone.now().year)

TARGETS: dict[str, Target] = {
    # --- Accounts (allauth forms and the project's sign-up form) ------------------------------
    "signup": Target(
        "guest",
        lambda o: reverse("account_signup"),
        {
            "email": ["new@example.com", "registered@example.com"],
            "first_name": ["Анна"],
            "last_name": ["Смирнова"],
            "password1": ["a-long-and-unusual-pass-42"],
            "password2": ["a-long-and-unusual-pass-42"],
            "consent": ["on"],
        },
    ),
    "login": Target(
        "guest",
        lambda o: reverse("account_login"),
        {"login": ["registered@example.com"], "password": None, "remember": ["on"]},
    ),
    "password reset": Target(
        "guest", lambda o: reverse("account_reset_password"), {"email": ["registered@example.com"]}
    ),
    "add e-mail": Target(
        "registered",
        lambda o: reverse("account_email"),
        {"email": ["second@example.com"], "action_add": [""], "action_remove": [""]},
    ),
    # --- Cabinet -------------------------------------------------------------------------------
    "profile": Target(
        "registered",
        lambda o: reverse("cabinet"),
        {
            "first_name": ["Анна"],
            "last_name": ["Смирнова"],
            "organisation": ["ООО «Ромашка»"],
            "hide_organisation": ["on"],
            "phone": ["+375 29 123-45-67"],
            "position": ["Директор"],
            "newsletter": ["on"],
            "initiative": ["gorki", "polotsk"],
            "message": ["Хочу участвовать"],
        },
    ),
    "account delete": Target("member", lambda o: reverse("cabinet_delete"), {"password": None}),
    "consent withdraw": Target(
        "member", lambda o: reverse("cabinet_consent_withdraw"), {"password": None}
    ),
    "organisation suggest": Target(
        "registered",
        lambda o: reverse("organisation_suggest"),
        {"q": ["Ром"]},
        method="get",
    ),
    # --- Group: applications, invitations, administrators --------------------------------------
    "reject": Target(
        "initiative_admin",
        lambda o: reverse("groups:application_reject", args=["gorki", o["pending"].pk]),
        {"reason": ["Не подходит"]},
    ),
    "invite": Target(
        "initiative_admin",
        lambda o: reverse("groups:invite", args=["gorki"]),
        {"email": ["invitee@example.com"]},
    ),
    "group admins": Target(
        "portal_admin",
        lambda o: reverse("groups:admins", args=["gorki"]),
        {"action": ["add", "remove"], "membership": lambda o: [str(o["membership"].pk)]},
    ),
    # --- Feed ----------------------------------------------------------------------------------
    "post create": Target(
        "member",
        lambda o: reverse("groups:post_create", args=["gorki"]),
        {
            "text": ["Новость группы"],
            "kind": ["news", "event", "offer"],
            "event": None,
            "idea": None,
        },
    ),
    "post edit": Target(
        "member",
        lambda o: reverse("groups:post_edit", args=["gorki", o["post"].pk]),
        {"text": ["Исправленный текст"], "kind": ["news"], "remove_attachments": None},
    ),
    "comment create": Target(
        "member",
        lambda o: reverse("groups:comment_create", args=["gorki", o["post"].pk]),
        {"text": ["Комментарий"], "next": ["/cabinet/", "https://evil.example/"]},
    ),
    "comment edit": Target(
        "member",
        lambda o: reverse("groups:comment_edit", args=["gorki", o["comment"].pk]),
        {"text": ["Исправленный комментарий"]},
    ),
    "pin": Target(
        "initiative_admin",
        lambda o: reverse("groups:post_pin", args=["gorki", o["post"].pk]),
        {"pinned": ["1", "0"]},
    ),
    # --- Chat ----------------------------------------------------------------------------------
    "message": Target(
        "member",
        lambda o: reverse("chat:conversation", args=[o["conversation"].pk]),
        {"text": ["Привет"], "after": None},
    ),
    "message search": Target(
        "member", lambda o: reverse("chat:index"), {"q": ["Анна"], "cursor": None}, method="get"
    ),
    "broadcast": Target(
        "portal_admin",
        lambda o: reverse("chat_admin:broadcast"),
        {
            "audience": ["all", "members", "admins"],
            "initiative": lambda o: [str(o["gorki"].pk)],
            "body": ["Всем привет"],
        },
    ),
    # --- Notices -------------------------------------------------------------------------------
    "e-mail settings": Target(
        "registered",
        lambda o: reverse("notification_settings"),
        {
            "membership": ["now", "digest", "never"],
            "messages": ["now", "never"],
            "events": ["now"],
            "activity": ["digest"],
            "ideas": ["never"],
            "language": ["ru", "en"],
        },
    ),
    "newsletter switch": Target(
        "registered", lambda o: reverse("notification_settings"), {"subscribed": ["0", "1"]}
    ),
    # --- Portal admin's cabinet ----------------------------------------------------------------
    "targets": Target(
        "portal_admin",
        lambda o: reverse("dashboard:indicator_targets") + "?year=" + YEAR,
        {
            "target-membership.members": ["120", "4,5"],
            "target-events.held": ["10"],
            "target-activity.posts": None,
        },
    ),
    "targets scope": Target(
        "portal_admin",
        lambda o: reverse("dashboard:indicator_targets"),
        {"year": [YEAR], "initiative": ["gorki", ""]},
        method="get",
        also=frozenset({404}),  # a year or initiative the chooser does not offer
    ),
    "indicators period": Target(
        "portal_admin",
        lambda o: reverse("dashboard:indicators"),
        {
            "period": ["year", "quarter", "month", "custom"],
            "year": [YEAR],
            "quarter": ["1"],
            "month": ["12"],
            "start": ["2024-01-01"],
            "end": ["2024-02-29"],
            "initiative": ["gorki"],
        },
        method="get",
        also=frozenset({404}),  # an initiative that does not exist
    ),
    "role change": Target(
        "portal_admin",
        lambda o: reverse("dashboard:membership_role", args=[o["membership"].pk]),
        {"role": ["admin", "member"], "next": ["/cabinet/admin/users/"]},
    ),
    "organisation merge": Target(
        "portal_admin",
        lambda o: reverse("dashboard:organisation_merge"),
        {
            "duplicates": lambda o: [str(o["organisation"].pk)],
            "target": lambda o: [str(o["other_organisation"].pk)],
        },
    ),
    "users filter": Target(
        "portal_admin",
        lambda o: reverse("dashboard:users"),
        {"q": ["Анна"], "initiative": ["gorki"], "status": ["approved"], "cursor": None},
        method="get",
    ),
    # --- Events --------------------------------------------------------------------------------
    "event guest registration": Target(
        "guest",
        lambda o: o["event"].url + "register/",
        {
            "name": ["Гость Гостевич"],
            "email": ["guest@example.com"],
            "organisation": ["ООО «Гость»"],
        },
    ),
    "event feedback": Target(
        "member",
        lambda o: o["past_event"].url + "feedback/",
        {"rating": ["1", "5"], "comment": ["Отлично"]},
    ),
    "events filter": Target(
        "guest",
        lambda o: o["event_index"].url,
        {
            "initiative": ["gorki"],
            "kind": ["seminar"],
            "format": ["online"],
            "view": ["calendar"],
            "month": ["2024-02"],
        },
        method="get",
    ),
    # --- Ideas exchange ------------------------------------------------------------------------
    "idea new": Target(
        "member",
        lambda o: _idea_url(o, "new"),
        {
            "title": ["Новая идея"],
            "kind": ["request", "offer", "project"],
            "summary": ["Кратко"],
            "text": ["Подробно"],
            "tags": ["биотехнологии, лаборатории"],
            "initiative": lambda o: [str(o["gorki"].pk), ""],
            "visibility": ["public", "registered", "members"],
        },
    ),
    "idea edit": Target(
        "member",
        lambda o: _idea_url(o, "edit", o["idea"].pk),
        {
            "title": ["Исправленная идея"],
            "kind": ["request"],
            "summary": ["Кратко"],
            "text": ["Подробно"],
            "tags": ["биотехнологии"],
            "initiative": lambda o: [str(o["gorki"].pk)],
            "visibility": ["public"],
            "remove_attachments": None,
        },
    ),
    "idea comment": Target(
        "registered",
        lambda o: _idea_url(o, "comment", o["idea"].pk),
        {"text": ["Интересно"], "parent": lambda o: [str(o["idea_comment"].pk), ""]},
    ),
    "idea respond": Target(
        "registered", lambda o: _idea_url(o, "respond", o["idea"].pk), {"text": ["Готов помочь"]}
    ),
    "idea partner": Target(
        "registered",
        lambda o: _idea_url(o, "partner", o["project"].pk),
        {"role": ["partner", "research", "investor"], "note": ["Хотим участвовать"]},
    ),
    "idea stage": Target(
        "member",
        lambda o: _idea_url(o, "stage", o["project"].pk),
        {"stage": ["seeking", "consortium", "funded"]},
    ),
    "idea subscriptions": Target(
        "registered",
        lambda o: _idea_url(o, "subscriptions"),
        {"tags": ["биотехнологии"], "other": ["новый тег, ещё один"]},
    ),
    "ideas board": Target(
        "guest",
        lambda o: o["ideas_page"].url,
        {
            "kind": ["request"],
            "initiative": ["gorki"],
            "tag": ["биотехнологии"],
            "status": ["open"],
            "q": ["оборудование"],
            "mine": ["1"],
            "page": ["2"],
        },
        method="get",
    ),
    # --- Public site ---------------------------------------------------------------------------
    "search": Target(
        "guest", lambda o: reverse("search"), {"q": ["кластер"], "page": ["2"]}, method="get"
    ),
}


class _Lazy(dict):
    """Objects made the first time a target asks for them: each target's test makes only
    what its form acts on (the page tree's events and ideas cost seconds)."""

    def __init__(self, builders, **ready):
        super().__init__(**ready)
        self.builders = builders

    def __missing__(self, key):
        self[key] = value = self.builders[key](self)
        return value


def _past_event(o):
    from tests.events.factories import EventPageFactory, RegistrationFactory

    starts = timezone.now().replace(microsecond=0) - datetime.timedelta(days=3)
    past = EventPageFactory(
        index=o["event_index"],
        slug="past",
        kind=o["event_kind"],
        initiative=o["gorki"],
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
    )
    RegistrationFactory(event=past, user=o["member"], attended=True)
    return past


def _builders():
    from extranet.chat import services as chat_services
    from extranet.members.models import Membership
    from ideas_exchange.models import Idea
    from tests.events.factories import EventKindFactory, EventPageFactory, event_index
    from tests.factories import CommentFactory, OrganisationFactory, PostFactory
    from tests.ideas_exchange.factories import IdeaCommentFactory, IdeaFactory, ideas_page

    return {
        "post": lambda o: PostFactory(initiative=o["gorki"], author=o["member"]),
        "comment": lambda o: CommentFactory(post=o["post"], author=o["member"]),
        "conversation": lambda o: chat_services.conversations_ensure(
            user_id=o["member"].pk, other_ids=[o["initiative_admin"].pk]
        )[o["initiative_admin"].pk],
        "pending": lambda o: Membership.objects.get(user=o["pending_user"], initiative=o["gorki"]),
        "membership": lambda o: Membership.objects.get(user=o["member"], initiative=o["gorki"]),
        "organisation": lambda o: OrganisationFactory(name="ООО «Ромашка»"),
        "other_organisation": lambda o: OrganisationFactory(name="ООО Ромашка"),
        "event_index": lambda o: event_index(),
        "event_kind": lambda o: EventKindFactory(name="Семинар", slug="seminar"),
        "event": lambda o: EventPageFactory(
            index=o["event_index"], slug="open", kind=o["event_kind"], initiative=o["gorki"]
        ),
        "past_event": _past_event,
        "ideas_page": lambda o: ideas_page(),
        "idea": lambda o: (
            IdeaFactory(author=o["member"], initiative=o["gorki"], tags=["биотехнологии"])
            if o["ideas_page"]
            else None
        ),
        "idea_comment": lambda o: IdeaCommentFactory(idea=o["idea"], author=o["member"]),
        "project": lambda o: (
            IdeaFactory(kind=Idea.Kind.PROJECT, author=o["member"], initiative=o["gorki"])
            if o["ideas_page"]
            else None
        ),
    }


@pytest.fixture
def objects(people, gorki, polotsk):
    """What the forms act on, made when a target first asks: a post, comment and
    conversation of «gorki», a pending application, organisations, an upcoming event open
    to guests, a past event the member attended, an idea and a project with a comment."""
    ready = {role: user for role, user in people.items() if role != "pending"}
    return _Lazy(_builders(), **ready, pending_user=people["pending"], gorki=gorki)


def _resolve(fields: dict, objects: dict) -> dict:
    return {name: (v(objects) if callable(v) else v) for name, v in fields.items()}


def submit(client: Client, target: Target, url: str, data: dict):
    if target.method == "get":
        separator = "&" if "?" in url else "?"
        return client.get(url + separator + query_string(data))
    return client.post(url, urlencoded(data), content_type=FORM)


def check_submission(target: Target, objects: dict, data: dict) -> None:
    """One example: never a 5xx; a refusal (the form again) changes nothing."""
    cache.clear()  # rate limits (chat, allauth, suggestions) would answer every later example
    client = Client()
    user = objects[target.role] if target.role != "guest" else None
    if user is not None:
        client.force_login(user)
    url = target.url(objects)
    before = snapshot()
    response = submit(client, target, url, data)
    status = response.status_code
    assert status < 500, (status, data)
    assert status in {200, 400} | REDIRECTS | target.also, (status, data)
    if target.method == "post" and status not in REDIRECTS:
        assert changes(before, snapshot()) == {}, data


@pytest.mark.parametrize("name", list(TARGETS))
def test_hostile_form_input_is_refused_or_accepted_never_half_saved(name, objects, data=None):
    """Hostile input to the form named ``name``: never a 5xx, the form again or a redirect,
    and a refused form writes nothing (no row, no e-mail, no file)."""
    target = TARGETS[name]
    fields = _resolve(target.fields, objects)

    @settings(max_examples=EXAMPLES)
    @given(data=form_data(fields))
    def run(data):
        check_submission(target, objects, data)

    run()
