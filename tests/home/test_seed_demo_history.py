"""The scale-1 demo has a history for the indicators: memberships applied for, decided and
approved over the past year (some by invitation, some rejected, one removed), people acting
only once they are members, the site's audience of the past months, this year's targets."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from core.locales import originals
from events.models import Registration
from extranet.dashboard.indicators import compute_report
from extranet.dashboard.indicators.base import Scope
from extranet.dashboard.models import AudienceVisit, IndicatorTarget
from extranet.dashboard.periods import platform_today, year_period
from extranet.feed.models import Comment, Post
from extranet.members.models import Invitation, Membership
from ideas_exchange.models import Idea, IdeaComment
from initiatives.models import InitiativePage

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", "--force", stdout=out)
    return out.getvalue()


def _since() -> dict:
    """(user id, initiative id) → approved at, and (user id, None) → the first approval."""
    since = {}
    for user_id, initiative_id, approved_at in Membership.objects.filter(
        status="approved"
    ).values_list("user_id", "initiative_id", "approved_at"):
        since[(user_id, initiative_id)] = approved_at
        first = since.get((user_id, None))
        since[(user_id, None)] = approved_at if first is None else min(first, approved_at)
    return since


def test_memberships_are_spread_over_the_past_year(home_page):
    """Every approved membership has its approval date, the approvals fall in at least ten
    different months of the past year; each initiative has invited members (with their
    accepted invitation), rejected applications (decided by its admin), pending ones from the
    past weeks and a removed member; every account registered before it applied."""
    seed()
    now = timezone.now()
    memberships = Membership.objects.select_related("user")
    approved = memberships.filter(status="approved")
    assert not approved.filter(approved_at__isnull=True).exists()
    dates = list(approved.values_list("approved_at", flat=True))
    assert min(dates) < now - datetime.timedelta(days=300)
    assert max(dates) > now - datetime.timedelta(days=60)
    assert len({(d.year, d.month) for d in dates}) >= 10
    for m in memberships:
        assert m.user.date_joined <= m.applied_at <= now, m
        if m.status != "pending":
            assert m.applied_at <= m.decided_at <= now, m
    for initiative in originals(InitiativePage.objects.live()):
        mine = memberships.filter(initiative=initiative)
        admins = set(mine.filter(role="admin").values_list("user_id", flat=True))
        invited = mine.filter(source="invitation", status="approved")
        assert invited.count() >= 2, initiative.slug
        for m in invited:
            assert m.applied_at == m.approved_at
            assert Invitation.objects.filter(
                initiative=initiative, email=m.user.email, accepted_by=m.user
            ).exists()
        applied = mine.filter(source="application", status="approved").exclude(user_id__in=admins)
        assert all(m.decided_at > m.applied_at for m in applied)
        assert {m.decided_by_id for m in applied} <= admins
        rejected = mine.filter(status="rejected")
        assert rejected.count() >= 2
        assert all(m.decided_by_id in admins and m.decision_reason for m in rejected)
        pending = mine.filter(status="pending")
        assert all(m.applied_at > now - datetime.timedelta(days=40) for m in pending)
        removed = mine.get(status="removed")
        assert removed.approved_at < removed.decided_at


def test_people_act_only_once_they_are_members(home_page):
    """Posts and comments in a group come from its members of the time; ideas from members
    of their initiative (of any, for the platform's); registrations of signed-in people came
    after their first approval."""
    seed()
    since = _since()
    for post in Post.objects.all():
        assert since[(post.author_id, post.initiative_id)] <= post.created_at, post.text[:40]
    for comment in Comment.objects.select_related("post"):
        assert since[(comment.author_id, comment.post.initiative_id)] <= comment.created_at
    for idea in Idea.objects.all():
        assert since[(idea.author_id, idea.initiative_id)] <= idea.created_at, idea.title
    for comment in IdeaComment.objects.all():
        assert since[(comment.author_id, None)] <= comment.created_at
    for registration in Registration.objects.filter(user__isnull=False):
        assert since[(registration.user_id, None)] <= registration.created_at


def test_the_audience_and_targets_are_seeded_once(home_page):
    """About 120 days of visits up to yesterday (none today: that is the real counter's),
    fewer at weekends, the same visitors coming back within a month, some signed in; the
    platform's and «Горки»'s targets for this year. A second run adds no visit and leaves a
    target the portal admin changed as it is."""
    out = seed()
    assert "audience visits" in out
    today = platform_today()
    days = dict(AudienceVisit.objects.values("day").annotate(n=Count("pk")).values_list("day", "n"))
    assert today not in days
    assert max(days) == today - datetime.timedelta(days=1)
    assert (max(days) - min(days)).days >= 115
    weekday = [n for day, n in days.items() if day.weekday() < 5]
    weekend = [n for day, n in days.items() if day.weekday() >= 5]
    assert sum(weekday) / len(weekday) > 1.5 * sum(weekend) / len(weekend)
    visits = AudienceVisit.objects.count()
    assert AudienceVisit.objects.values("visitor").distinct().count() < visits / 2
    assert AudienceVisit.objects.filter(signed_in=True).exists()
    assert AudienceVisit.objects.filter(views__gt=1).exists()

    targets = IndicatorTarget.objects.filter(year=today.year)
    assert targets.filter(initiative__isnull=True).count() >= 3
    assert targets.filter(initiative__slug="gorki").count() >= 3
    edited = targets.filter(initiative__isnull=True).first()
    IndicatorTarget.objects.filter(pk=edited.pk).update(value=7)
    before = set(IndicatorTarget.objects.values_list("initiative_id", "key", "year", "value"))

    seed()
    assert AudienceVisit.objects.count() == visits
    after = set(IndicatorTarget.objects.values_list("initiative_id", "key", "year", "value"))
    assert after == before


def test_this_years_indicators_have_numbers(home_page):
    """The membership indicators of this year, computed from the demo, count applications,
    approvals, rejections and members by invitation, and a decision time."""
    seed()
    report = compute_report(scope=Scope(), period=year_period(platform_today().year))
    values = {figure.key: figure.value for figure in report.section("membership").figures}
    for key in ("applications", "approvals", "rejections", "new_members_invitation"):
        assert values[key] > 0, key
    assert values["decision_hours"] > 0
    assert values["users_registered"] > 0
