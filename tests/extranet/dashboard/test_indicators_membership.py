"""The membership section of the indicators, on a fixed data set counted by hand: Q1 2026 in
Minsk, the previous quarter, an initiative's scope and the platform's, the boundary at
midnight in Minsk (21:00 UTC), and constant queries at two data sizes."""

from __future__ import annotations

import pytest

from extranet.dashboard.indicators import Scope
from extranet.dashboard.indicators import membership as section_module
from extranet.members.models import Membership, User
from tests.factories import MembershipFactory, OrganisationFactory, ProfileFactory

from .indicator_data import Q1, minsk, utc

pytestmark = pytest.mark.django_db


def _person(email, *, joined, organisation=None):
    profile = ProfileFactory(user__email=email, organisation=organisation)
    User.objects.filter(pk=profile.user_id).update(date_joined=joined)
    return profile.user


def _membership(
    user,
    initiative,
    *,
    applied,
    status="approved",
    approved=None,
    decided=None,
    source="application",
):
    membership = MembershipFactory(
        user=user,
        initiative=initiative,
        status=status,
        source=source,
        approved_at=approved,
        decided_at=decided if decided is not None else approved,
    )
    # applied_at is auto_now_add: set it afterwards.
    Membership.objects.filter(pk=membership.pk).update(applied_at=applied)
    return membership


@pytest.fixture
def data(gorki, polotsk):
    alpha = OrganisationFactory(name="ООО «Альфа»")
    beta = OrganisationFactory(name="ОАО «Бета»")
    gamma = OrganisationFactory(name="УО «Гамма»")
    old = minsk("2025-05-01 09:00")
    a = _person("a@example.com", joined=old, organisation=alpha)
    b = _person("b@example.com", joined=minsk("2026-01-09 12:00"), organisation=alpha)
    c = _person("c@example.com", joined=old)
    d = _person("d@example.com", joined=old, organisation=beta)
    e = _person("e@example.com", joined=utc("2026-03-31 21:00"))  # 1 April 00:00 in Minsk
    f = _person("f@example.com", joined=utc("2026-03-31 20:30"))  # 31 March 23:30 in Minsk
    g = _person("g@example.com", joined=old, organisation=gamma)
    h = _person("h@example.com", joined=old, organisation=gamma)
    # Applied in December, approved in January after 16 days (384 h).
    _membership(a, gorki, applied=minsk("2025-12-20 10:00"), approved=minsk("2026-01-05 10:00"))
    # Applied and approved in January after 24 h.
    _membership(b, gorki, applied=minsk("2026-01-10 10:00"), approved=minsk("2026-01-11 10:00"))
    # Rejected in February after 48 h.
    _membership(
        c,
        gorki,
        applied=minsk("2026-02-01 00:00"),
        status="rejected",
        decided=minsk("2026-02-03 00:00"),
    )
    # Came by invitation in March: not an application.
    _membership(
        d,
        gorki,
        applied=minsk("2026-03-15 12:00"),
        approved=minsk("2026-03-15 12:00"),
        source="invitation",
    )
    # Pending: E applied at 00:00 on 1 April in Minsk (Q2), F at 23:30 on 31 March (Q1).
    _membership(e, gorki, applied=utc("2026-03-31 21:00"), status="pending")
    _membership(f, gorki, applied=utc("2026-03-31 20:30"), status="pending")
    # A member since June 2025 who left in February: counted at the end of Q4, not of Q1.
    _membership(
        g,
        gorki,
        applied=minsk("2025-06-01 10:00"),
        status="removed",
        approved=minsk("2025-06-02 10:00"),
        decided=minsk("2026-02-15 10:00"),
    )
    # Another initiative's member, approved in February.
    _membership(h, polotsk, applied=minsk("2026-02-05 10:00"), approved=minsk("2026-02-06 10:00"))
    return {"gorki": gorki, "polotsk": polotsk}


def _values(section):
    return {f.key: f.value for f in section.figures}


def _previous(section):
    return {f.key: f.previous for f in section.figures}


def test_initiative_figures_counted_by_hand(data):
    """Gorki in Q1 2026: applications B, C, F (E's falls on 1 April in Minsk); approvals A and
    B; C rejected; D by invitation; members A, B, D (G left) from two organisations; the
    median of 384, 24 and 48 hours; no registered-user figures for an initiative."""
    section = section_module.section(scope=Scope(data["gorki"]), period=Q1)
    assert _values(section) == {
        "applications": 3,
        "approvals": 2,
        "rejections": 1,
        "decision_hours": 48.0,
        "members": 3,
        "member_organisations": 2,
        "new_members": 3,
        "new_members_invitation": 1,
        "new_members_application": 2,
    }


def test_previous_quarter_counted_by_hand(data):
    """Q4 2025 for Gorki: A's application; no decisions; G was still a member at its end."""
    previous = _previous(section_module.section(scope=Scope(data["gorki"]), period=Q1))
    assert previous["applications"] == 1
    assert previous["approvals"] == 0
    assert previous["decision_hours"] is None
    assert previous["members"] == 1
    assert previous["member_organisations"] == 1


def test_platform_figures_include_every_initiative_and_accounts(data):
    """The platform adds Polotsk's H and counts accounts: B and F joined in Q1 (E on 1 April
    in Minsk), seven accounts existed at its end."""
    values = _values(section_module.section(scope=Scope(), period=Q1))
    assert values["applications"] == 4
    assert values["approvals"] == 3
    assert values["members"] == 4
    assert values["member_organisations"] == 3
    assert values["users_registered"] == 2
    assert values["users_total"] == 7


def test_per_initiative_table(data):
    """One row per initiative with its own numbers and a totals row."""
    table = section_module.section(scope=Scope(), period=Q1).table("members_per_initiative")
    rows = {row[0]: row[1:] for row in table.rows}
    assert rows[data["gorki"].title] == [3, 2, 3, 3, 1]
    assert rows[data["polotsk"].title] == [1, 1, 1, 1, 0]
    assert table.totals[1:] == [4, 3, 4, 4, 1]


def test_initiative_scope_never_shows_another_initiative(data):
    """An initiative's table has its own row only."""
    table = section_module.section(scope=Scope(data["polotsk"]), period=Q1).table(
        "members_per_initiative"
    )
    assert [row[0] for row in table.rows] == [data["polotsk"].title]


def test_series_add_up_to_the_figures(data):
    """The chart's weekly buckets hold every new member and application of the quarter."""
    chart = section_module.section(scope=Scope(data["gorki"]), period=Q1).charts[0]
    new_members, applications = chart.series
    assert sum(new_members.values) == 3
    assert sum(applications.values) == 3
    assert len(chart.labels) == len(new_members.values) == len(chart.previous.values)


@pytest.mark.parametrize("size", [2, 12])
def test_constant_queries(data, size, django_assert_max_num_queries):
    """The same query budget with 2 or 12 more members per initiative."""
    for n in range(size):
        for initiative in (data["gorki"], data["polotsk"]):
            user = _person(
                f"more{n}.{initiative.slug}@example.com", joined=minsk("2026-01-02 10:00")
            )
            _membership(
                user,
                initiative,
                applied=minsk("2026-01-02 10:00"),
                approved=minsk("2026-01-03 10:00"),
            )
    with django_assert_max_num_queries(16):
        section_module.section(scope=Scope(), period=Q1)
