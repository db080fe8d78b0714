"""Demo data for the indicators (issue 14): the site's audience of the past months and a few
targets for this year.

The audience is what ``AudienceMiddleware`` would have counted: one ``AudienceVisit`` per day
and visitor for the ~120 days before today (today is left to the real counter), more visitors
on weekdays than at weekends, slowly growing, a quarter of them signed in, a few pages each.
A visitor is a made-up hash that stays the same within a calendar month, as the real ones do
(their key's salt is monthly), so weekly and monthly uniques are fewer than the days' sum.
Idempotent: a day that has at least the planned number of visits is left alone, and the
visitors of a day are always the same hashes (a row already there is not added again).

Targets: the platform's and the first demo initiative's for the current year, made only where
the portal admin has set none (an edited value stays).

``--scale large`` adds the audience of ``ctx.volumes.months`` months at the preset's volume
(:func:`seed_large_audience`).
"""

from __future__ import annotations

import datetime
import hashlib
import random
from decimal import Decimal

from django.db.models import Count

from core.demo import BATCH_SIZE, DemoContext

from .models import AudienceVisit, IndicatorTarget
from .periods import platform_today

AUDIENCE_DAYS = 120
# An ordinary weekday's visitors at the start and at the end of the demo's period.
AUDIENCE_FROM, AUDIENCE_TO = 55, 90
WEEKEND_SHARE = 0.45
SIGNED_IN_SHARE = 0.25

# (initiative slug or None for the platform, indicator key, value): this year's targets.
TARGETS = [
    (None, "users_total", 120),
    (None, "new_members", 40),
    (None, "members", 60),
    (None, "events_held", 20),
    (None, "visitors_monthly", 1500),
    (None, "page_views", 25000),
    ("gorki", "members", 12),
    ("gorki", "new_members", 10),
    ("gorki", "member_organisations", 6),
    ("gorki", "events_held", 6),
]


def seed(ctx: DemoContext) -> None:
    today = platform_today()
    made = audience_seed(
        first=today - datetime.timedelta(days=AUDIENCE_DAYS),
        last=today - datetime.timedelta(days=1),
        start=AUDIENCE_FROM,
        end=AUDIENCE_TO,
        namespace="demo",
    )
    ctx.add("audience visits", made)
    _targets(ctx, year=today.year)
    if ctx.volumes is not None:
        ctx.bulk(seed_large_audience)


def seed_large_audience(ctx: DemoContext) -> None:
    """The audience of the preset's months: from a third of ``audience_visitors_per_day`` on
    a weekday two years ago to all of it lately."""
    volumes = ctx.volumes
    today = platform_today()
    made = audience_seed(
        first=today - datetime.timedelta(days=volumes.days),
        last=today - datetime.timedelta(days=1),
        start=volumes.audience_visitors_per_day // 3,
        end=volumes.audience_visitors_per_day,
        namespace="large",
    )
    ctx.add("audience visits", made)


def _visitor(namespace: str, month: datetime.date, person: int) -> str:
    """A made-up visitor hash: the same person within one month, another the next."""
    text = f"{namespace}:{month:%Y-%m}:{person}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def planned_visitors(day: datetime.date, *, first, last, start: int, end: int) -> int:
    """How many visitors ``day`` gets: a line from ``start`` to ``end`` over the days, less at
    weekends, with a day-to-day wobble that is the same on every run."""
    span = max((last - first).days, 1)
    level = start + (end - start) * (day - first).days / span
    if day.weekday() >= 5:
        level *= WEEKEND_SHARE
    wobble = random.Random(f"wobble:{day.isoformat()}").uniform(0.85, 1.15)
    return max(1, round(level * wobble))


def audience_seed(*, first, last, start: int, end: int, namespace: str) -> int:
    """Visits for each day from ``first`` to ``last`` that has fewer than planned; returns
    how many rows were added."""
    have = dict(
        AudienceVisit.objects.filter(day__gte=first, day__lte=last)
        .values("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    before = sum(have.values())
    rows = []
    day = first
    while day <= last:
        planned = planned_visitors(day, first=first, last=last, start=start, end=end)
        if have.get(day, 0) < planned:
            rows.extend(_day_visits(day, planned, namespace))
        if len(rows) >= BATCH_SIZE * 5:
            AudienceVisit.objects.bulk_create(rows, batch_size=BATCH_SIZE, ignore_conflicts=True)
            rows = []
        day += datetime.timedelta(days=1)
    AudienceVisit.objects.bulk_create(rows, batch_size=BATCH_SIZE, ignore_conflicts=True)
    after = AudienceVisit.objects.filter(day__gte=first, day__lte=last).count()
    return after - before


def _day_visits(day: datetime.date, planned: int, namespace: str) -> list[AudienceVisit]:
    """``planned`` distinct visitors of one day, from a monthly pool eight times that size in
    which the first (the regulars) come most often; one to a dozen pages each."""
    rng = random.Random(f"{namespace}:{day.isoformat()}")
    month = day.replace(day=1)
    pool = planned * 8
    people: set[int] = set()
    while len(people) < planned:
        people.add(int(pool * rng.random() ** 2))
    visits = []
    for person in sorted(people):
        views = 1
        while views < 12 and rng.random() < 0.68:
            views += 1
        visits.append(
            AudienceVisit(
                day=day,
                visitor=_visitor(namespace, month, person),
                views=views,
                signed_in=rng.random() < SIGNED_IN_SHARE,
            )
        )
    return visits


def _targets(ctx: DemoContext, *, year: int) -> None:
    initiatives = ctx.objects.get("initiatives", {})
    portal_admin = ctx.objects.get("portal_admin")
    for slug, key, value in TARGETS:
        initiative = initiatives.get(slug) if slug else None
        if slug and initiative is None:
            continue
        _target, created = IndicatorTarget.objects.get_or_create(
            initiative=initiative,
            key=key,
            year=year,
            defaults={"value": Decimal(value), "updated_by": portal_admin},
        )
        ctx.count("indicator targets", created)
