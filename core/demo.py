"""The demo-data framework behind ``manage.py seed_demo``.

Each project app may have a ``demo.py`` with ``seed(ctx: DemoContext) -> None``; the command
calls them in the explicit order of ``settings.DEMO_SEEDERS`` (dotted paths), not in the order
apps are installed, so a seeder runs after those whose objects it uses (initiatives after the
home page, the feed after members and initiatives); steps that need a later seeder's objects
go through ``ctx.later``. Seeders must be idempotent: find by a natural key,
create what is missing, and never overwrite what an editor may have changed since.
``ctx.scale`` (``--scale N``, a whole number) multiplies the hand-written demo's volumes
(members, posts, events) for benchmarks; ``scripts/bench_pages.py`` uses 50.

``seed_demo --scale large`` (``--scale`` takes a preset's name as well as a number) is a
named preset on top of the scale-1 demo: ``ctx.volumes`` is then a :class:`Volumes`
(``PRESETS["large"]``: 50 initiatives, 50,000 people, 100,000 posts, 1,000,000 chat messages,
5,000 events, 10,000 ideas, …, dated over ``months`` months), and each app's seeder adds its
share in bulk (``bulk_create`` in batches, one password hash for every generated account, no
per-row signals; pages by :func:`pages_bulk_add` when there are thousands) in a step given to
``ctx.bulk``: those run after the hand-written demo has been
committed, in a transaction of their own, so that what the demo's own seeding announces
on commit (an event's notices to its initiative's members) reaches the demo people only,
never the generated thousands. Generated accounts have e-mails at
``LARGE_EMAIL_DOMAIN``; the members seeder shares who they are and since when they are members
(:class:`LargeRoster`, in ``ctx.objects["large_roster"]``), so the public apps need not ask the
extranet per person. Each app's bulk step runs once: it finds its own generated rows and
then makes nothing (the bulk steps share one transaction, so a step is never half made).
Steps run in the order they were given: the initiatives' (the seeder gives it directly) before
the members' (given by a deferred step), which spreads the people over the demo's and the
generated initiatives (``ctx.objects["initiatives"]`` holds both from then on).
"""

from __future__ import annotations

import bisect
import contextlib
import datetime
import math
import random
from dataclasses import dataclass, field
from importlib.util import find_spec
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.module_loading import import_string
from wagtail.models import Page

# Generated (``--scale large``) accounts: not example.com, so the seeders that look for the
# hand-written demo people by that domain (events, ideas) never walk 50,000 of them.
LARGE_EMAIL_DOMAIN = "load.example.net"
# Rows per INSERT of a bulk step.
BATCH_SIZE = 2000


@dataclass(frozen=True)
class Volumes:
    """How much a named preset generates. Tests swap in tiny ones (``PRESETS``)."""

    initiatives: int  # on the site in all, the demo's own four included
    users: int
    organisations: int
    posts: int
    conversations: int
    messages: int
    events: int
    registrations_per_event: int  # at most; each event draws between a fifth and all of it
    ideas: int
    audience_visitors_per_day: int  # an ordinary weekday's, at the end of the period
    months: int = 24  # how far back everything is dated

    @property
    def days(self) -> int:
        return self.months * 365 // 12


PRESETS: dict[str, Volumes] = {
    "large": Volumes(
        initiatives=50,
        users=50_000,
        organisations=2_500,
        posts=100_000,
        conversations=20_000,
        messages=1_000_000,
        events=5_000,
        registrations_per_event=60,
        ideas=10_000,
        audience_visitors_per_day=1_500,
    ),
}


@contextlib.contextmanager
def dated_as_given(model, *names: str):
    """Inside the block, ``bulk_create`` keeps the dates given for the ``auto_now_add`` fields
    ``names`` of ``model`` instead of stamping "now" (a bulk step writes a history). The
    fields are restored on leaving, also on error."""
    fields = [model._meta.get_field(name) for name in names]
    saved = [field.auto_now_add for field in fields]
    try:
        for field in fields:
            field.auto_now_add = False
        yield
    finally:
        for field, value in zip(fields, saved, strict=True):
            field.auto_now_add = value


def pages_bulk_add(parent: Page, pages: list[Page]) -> list[Page]:
    """Add the unsaved ``pages`` (one specific page type) as the last children of ``parent``,
    live and without revisions, in a few INSERTs instead of ``add_child`` per page (which
    validates, indexes for search and sends signals for each: thousands of events took
    minutes). The tree's columns (path, depth, numchild, url_path) are computed as treebeard
    and Wagtail would; the caller sets ``live`` and the publication dates. Not in the search
    index, no reference index rows and no ``post_save`` receivers: the caller makes what
    those would (an event's page permissions).
    """
    if not pages:
        return pages
    from django.db import connections, router

    model = type(pages[0])
    parent = Page.objects.get(pk=parent.pk)  # its numchild and path as stored now
    last = parent.get_last_child()
    step = last._get_lastpos_in_path() if last is not None else 0
    base_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    bases = []
    for page in pages:
        step += 1
        page.depth = parent.depth + 1
        page.path = Page._get_path(parent.path, page.depth, step)
        page.numchild = 0
        page.set_url_path(parent)
        page.draft_title = page.title
        page.locale_id = parent.locale_id
        page.has_unpublished_changes = False
        bases.append(Page(**{f.attname: getattr(page, f.attname) for f in base_fields}))
    Page.objects.bulk_create(bases, batch_size=BATCH_SIZE)
    if any(base.pk is None for base in bases):  # a database that returns no ids
        ids = dict(Page.objects.filter(path__in=[b.path for b in bases]).values_list("path", "pk"))
        for base in bases:
            base.pk = ids[base.path]
    for page, base in zip(pages, bases, strict=True):
        page.id = page.pk = base.pk  # the base row's id, and the specific row's page_ptr
        page._state.adding = False
    # The specific table's rows: bulk_create refuses multi-table children, so the same
    # INSERT Django's save makes for one row (``_do_insert``), for a batch at once.
    fields = list(model._meta.local_concrete_fields)
    using = router.db_for_write(model)
    size = max(1, connections[using].ops.bulk_batch_size(fields, pages) or BATCH_SIZE)
    size = min(size, BATCH_SIZE)
    for start in range(0, len(pages), size):
        model._base_manager._insert(pages[start : start + size], fields=fields, using=using)
    Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + len(pages))
    return pages


@dataclass(frozen=True)
class LargePerson:
    name: str  # "Фамилия Имя", as a profile shows it
    organisation: str
    email: str


def growing_moment(rng: random.Random, start, end, *, growth: float = 2.0):
    """A random moment from ``start`` to ``end``, more of them later: the density rises
    linearly from 1 at ``start`` to ``1 + growth`` at ``end`` (a platform that grows)."""
    u = rng.random()
    share = (math.sqrt(1 + growth * (2 + growth) * u) - 1) / growth if growth else u
    return start + (end - start) * share


class MemberPool:
    """Approved memberships (user id, initiative id, approved at), in approval order: who of
    them was a member at a given moment, drawn at random."""

    def __init__(self, rows):
        self.rows = sorted(rows, key=lambda row: row[2])
        self.times = [row[2] for row in self.rows]

    def __len__(self) -> int:
        return len(self.rows)

    def pick(self, rng: random.Random, when, *, besides=()):
        """A random row of someone who was a member at ``when`` and is not in ``besides``;
        None when there is nobody (a few tries, then none)."""
        ready = bisect.bisect_right(self.times, when)
        for _ in range(5):
            if not ready:
                return None
            row = self.rows[rng.randrange(ready)]
            if row[0] not in besides:
                return row
        return None


@dataclass
class LargeRoster:
    """The generated people of ``--scale large`` as later bulk steps need them.

    ``members`` holds every approved membership standing now as (user id, initiative id,
    approved at); ``by_initiative`` indexes it by initiative; ``pool()`` draws from them by
    date.
    """

    people: dict[int, LargePerson] = field(default_factory=dict)
    members: list[tuple[int, int, datetime.datetime]] = field(default_factory=list)
    by_initiative: dict[int, list[tuple[int, int, datetime.datetime]]] = field(default_factory=dict)
    _pools: dict = field(default_factory=dict, repr=False)

    def add_member(self, user_id: int, initiative_id: int, approved_at) -> None:
        row = (user_id, initiative_id, approved_at)
        self.members.append(row)
        self.by_initiative.setdefault(initiative_id, []).append(row)
        self._pools.clear()

    def pool(self, initiative_ids=None) -> MemberPool:
        """The members of the initiatives ``initiative_ids`` (an id, ids, or None: all)."""
        if isinstance(initiative_ids, int):
            initiative_ids = (initiative_ids,)
        key = None if initiative_ids is None else tuple(sorted(initiative_ids))
        if key not in self._pools:
            rows = (
                self.members
                if key is None
                else [row for pk in key for row in self.by_initiative.get(pk, [])]
            )
            self._pools[key] = MemberPool(rows)
        return self._pools[key]


@dataclass
class DemoLogin:
    role: str
    email: str
    password: str


@dataclass
class DemoContext:
    scale: int = 1
    stdout: Any = None
    # A named preset's volumes (``--scale large``), or None for the plain demo.
    volumes: Volumes | None = None
    rng: random.Random = field(default_factory=lambda: random.Random(20191010))
    logins: list[DemoLogin] = field(default_factory=list)
    # Objects earlier seeders made, by name, for later ones (e.g. "home_page").
    objects: dict[str, Any] = field(default_factory=dict)
    created: dict[str, int] = field(default_factory=dict)
    # Steps that need what later seeders make (members joining initiatives), run at the end.
    deferred: list = field(default_factory=list)
    # A preset's bulk steps, run after the rest is committed (see the module's docstring).
    bulk_steps: list = field(default_factory=list)

    def later(self, step) -> None:
        """Run ``step(ctx)`` after every app's seeder."""
        self.deferred.append(step)

    def bulk(self, step) -> None:
        """Run ``step(ctx)`` once the hand-written demo is committed, with the other bulk
        steps, in the order given."""
        self.bulk_steps.append(step)

    def log(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)

    def count(self, kind: str, created: bool) -> None:
        if created:
            self.created[kind] = self.created.get(kind, 0) + 1

    def add(self, kind: str, number: int) -> None:
        """``number`` more ``kind`` were made (a bulk step's tally)."""
        if number:
            self.created[kind] = self.created.get(kind, 0) + number

    @property
    def now(self) -> datetime.datetime:
        """The seeding run's "now", the same for every seeder of the run."""
        if "now" not in self.objects:
            self.objects["now"] = timezone.now()
        return self.objects["now"]

    def password_hash(self, password: str) -> str:
        """``password`` hashed once per run: 50,000 generated accounts share the hash."""
        key = f"password_hash:{password}"
        if key not in self.objects:
            from django.contrib.auth.hashers import make_password

            self.objects[key] = make_password(password)
        return self.objects[key]

    # --- when demo people became members (for dating what they do) -------------------------

    def member_since(self, user_id: int, initiative_id: int | None = None):
        """When the person became an approved member of ``initiative_id`` (None: of any
        initiative), as the members seeder recorded it; None when unknown (then anything
        they did may be dated at will)."""
        since = self.objects.get("member_since", {})
        return since.get((user_id, initiative_id))

    def members_by(self, users, when, initiative_id: int | None = None) -> list:
        """Those of ``users`` who were members (of ``initiative_id``, or of any initiative)
        at ``when``, in their order; all of them when none was (so a seeder still has
        someone)."""
        ready = [
            user
            for user in users
            if (since := self.member_since(user.pk, initiative_id)) is None or since <= when
        ]
        return ready or list(users)

    # --- idempotent helpers ---------------------------------------------------------------

    def ensure_user(
        self,
        *,
        email: str,
        password: str,
        first_name: str,
        last_name: str,
        role: str | None = None,
        groups: tuple[str, ...] = (),
        is_superuser: bool = False,
        joined: datetime.datetime | None = None,
    ):
        """A user with a verified e-mail; the password (and ``joined``, the registration
        date) is set only when the user is new."""
        from allauth.account.models import EmailAddress

        User = get_user_model()
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "is_superuser": is_superuser,
                "is_staff": is_superuser,
            },
        )
        if created:
            user.password = self.password_hash(password)
            fields = ["password"]
            if joined is not None:
                user.date_joined = joined
                fields.append("date_joined")
            user.save(update_fields=fields)
        self.count("users", created)
        for name in groups:
            user.groups.add(Group.objects.get(name=name))
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if role:
            self.logins.append(DemoLogin(role, email, password))
        return user

    def ensure_page(self, parent: Page, page: Page) -> Page:
        """The child of ``parent`` with ``page.slug``; ``page`` is added and published if new."""
        existing = parent.get_children().filter(slug=page.slug).first()
        if existing is not None:
            return existing.specific
        parent.add_child(instance=page)
        page.save_revision().publish()
        self.count("pages", True)
        return page


def project_seeders():
    """(module, seed function) for every entry of ``settings.DEMO_SEEDERS``, in that order.

    A project app whose ``demo`` module is missing from the list is a configuration error,
    not a silently skipped seeder.
    """
    listed = list(settings.DEMO_SEEDERS)
    modules = [path.rpartition(".")[0] for path in listed]
    for app in settings.PROJECT_APPS:
        module_name = f"{app}.demo"
        if module_name in (__name__, *modules):
            continue  # this framework, or listed
        if find_spec(module_name) is not None:
            raise ImproperlyConfigured(
                f"{module_name} has demo data but is not listed in settings.DEMO_SEEDERS."
            )
    for path, module_name in zip(listed, modules, strict=True):
        yield module_name, import_string(path)
