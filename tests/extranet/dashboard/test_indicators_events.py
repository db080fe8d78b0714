"""The events section of the indicators on a fixed data set counted by hand: per kind held,
in the plan, cancelled, participants (the report's number or those marked present),
organisations (case and spaces ignored), participants per organisation and ratings; the
boundary at midnight in Minsk; drafts left out; scopes; constant queries."""

from __future__ import annotations

import datetime

import pytest

from extranet.dashboard.indicators import Scope
from extranet.dashboard.indicators import events as section_module
from tests.events.factories import (
    EventKindFactory,
    EventPageFactory,
    FeedbackFactory,
    RegistrationFactory,
)
from tests.factories import MembershipFactory

from .indicator_data import Q1, minsk

pytestmark = pytest.mark.django_db


def _event(kind, start, *, initiative, **kwargs):
    starts_at = minsk(start)
    return EventPageFactory(
        kind=kind,
        initiative=initiative,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=3),
        **kwargs,
    )


def _came(event, organisation, rating=None):
    registration = RegistrationFactory(event=event, organisation=organisation, attended=True)
    if rating is not None:
        FeedbackFactory(registration=registration, event=event, rating=rating)
    return registration


@pytest.fixture
def data(gorki, polotsk):
    seminar = EventKindFactory(name="Обучающий семинар", sort_order=1)
    table = EventKindFactory(name="Круглый стол", sort_order=2)
    # A seminar with four present by registration (two of «Альфа» however spelt, one «Бета»,
    # one without an organisation), one absent, two members below; two ratings.
    first = _event(seminar, "2026-01-20 10:00", initiative=gorki)
    _came(first, "ООО Альфа", rating=5)
    _came(first, "  ооо альфа ", rating=4)
    _came(first, "Бета")
    _came(first, "")
    RegistrationFactory(event=first, organisation="Гамма", attended=False)
    # One attendee is a member of Gorki (their profile's organisation counts as a member
    # organisation); another is a member of Polotsk only.
    member = MembershipFactory(initiative=gorki).user
    RegistrationFactory(event=first, user=member, organisation="", attended=True)
    outsider = MembershipFactory(initiative=polotsk).user
    RegistrationFactory(event=first, user=outsider, organisation="", attended=True)
    # A seminar whose report says 30 came (one registration of «Гамма» marked present).
    second = _event(seminar, "2026-02-10 10:00", initiative=gorki, report_participants=30)
    _came(second, "Гамма", rating=3)
    # Cancelled, outside the plan, at 23:00 on 31 March in Minsk: in Q1.
    _event(table, "2026-03-31 23:00", initiative=gorki, in_plan=False, cancelled=True)
    # 00:30 on 1 April in Minsk (21:30 UTC on 31 March): Q2.
    _event(table, "2026-04-01 00:30", initiative=gorki)
    # A draft is not counted.
    draft = _event(seminar, "2026-01-25 10:00", initiative=gorki, publish=False)
    _came(draft, "Дельта", rating=1)
    # The previous quarter: one seminar, two of «Альфа» present, one rating.
    old = _event(seminar, "2025-11-10 10:00", initiative=gorki)
    _came(old, "Альфа", rating=4)
    _came(old, "АЛЬФА")
    # Polotsk's round table and a platform-wide one.
    _event(table, "2026-03-01 10:00", initiative=polotsk, report_participants=10)
    _event(table, "2026-02-20 10:00", initiative=None, report_participants=5)
    return {"gorki": gorki, "polotsk": polotsk, "seminar": seminar, "table": table}


def _values(section):
    return {f.key: f.value for f in section.figures}


def test_initiative_figures_counted_by_hand(data):
    """Gorki in Q1: two seminars held (6 present + 30 by the report), the cancelled round
    table, three organisations (Альфа, Бета, Гамма) for four named attendees, one member
    organisation (Polotsk's member does not count for Gorki), ratings 5, 4 and 3."""
    assert _values(section_module.section(scope=Scope(data["gorki"]), period=Q1)) == {
        "events_held": 2,
        "events_planned": 2,
        "events_cancelled": 1,
        "event_participants": 36,
        "event_organisations": 3,
        "event_member_organisations": 1,
        "participants_per_organisation": 1.3,
        "event_rating": 4.0,
        "event_ratings": 3,
    }


def test_platform_counts_members_of_every_initiative(data):
    """For the platform both members' organisations count."""
    values = _values(section_module.section(scope=Scope(), period=Q1))
    assert values["event_member_organisations"] == 2


def test_by_kind_table(data):
    """The seminar row holds the held events; the round table only the cancelled one."""
    table = section_module.section(scope=Scope(data["gorki"]), period=Q1).table("events_by_kind")
    rows = {row[0]: row[1:] for row in table.rows}
    assert rows["Обучающий семинар"] == [2, 2, 0, 36, 3, 1.3, 4.0, 3]
    assert rows["Круглый стол"] == [0, 0, 1, 0, 0, None, None, 0]
    assert table.totals[1:] == [2, 2, 1, 36, 3, 1.3, 4.0, 3]


def test_previous_quarter(data):
    """Q4 2025: one seminar, two present of one organisation, one rating of 4."""
    section = section_module.section(scope=Scope(data["gorki"]), period=Q1)
    previous = {f.key: f.previous for f in section.figures}
    assert previous["events_held"] == 1
    assert previous["event_participants"] == 2
    assert previous["event_organisations"] == 1
    assert previous["participants_per_organisation"] == 2.0
    assert previous["event_rating"] == 4.0


def test_platform_scope_adds_other_initiatives_and_platform_events(data):
    """The platform: Gorki's two seminars (36), Polotsk's (10) and the platform's (5) round
    tables."""
    section = section_module.section(scope=Scope(), period=Q1)
    values = _values(section)
    assert values["events_held"] == 4
    assert values["event_participants"] == 51
    rows = {row[0]: row[1:] for row in section.table("events_by_kind").rows}
    assert rows["Круглый стол"][:4] == [2, 2, 1, 15]


def test_another_initiative_sees_only_its_own(data):
    """Polotsk's scope holds its round table only."""
    values = _values(section_module.section(scope=Scope(data["polotsk"]), period=Q1))
    assert values["events_held"] == 1
    assert values["event_participants"] == 10
    assert values["event_ratings"] == 0
    assert values["event_rating"] is None


def test_upcoming_events_are_planned_not_held(gorki, data):
    """An event of the period that has not ended yet counts in the plan, not as held."""
    from extranet.dashboard.periods import platform_today, year_period

    soon = datetime.datetime.combine(
        platform_today() + datetime.timedelta(days=1), datetime.time(10), tzinfo=Q1.start.tzinfo
    )
    period = year_period(soon.year)
    before = _values(section_module.section(scope=Scope(gorki), period=period))
    EventPageFactory(
        kind=data["seminar"],
        initiative=gorki,
        starts_at=soon,
        ends_at=soon + datetime.timedelta(hours=2),
    )
    after = _values(section_module.section(scope=Scope(gorki), period=period))
    assert after["events_planned"] == before["events_planned"] + 1
    assert after["events_held"] == before["events_held"]


def test_charts(data):
    """Bars per kind: held now and in the previous quarter, ratings per kind."""
    held, ratings = section_module.section(scope=Scope(data["gorki"]), period=Q1).charts
    assert held.labels == ["Обучающий семинар", "Круглый стол"]
    assert held.series[0].values == [2, 0]
    assert held.previous.values == [1, 0]
    assert ratings.series[0].values == [4.0, None]


@pytest.mark.parametrize("size", [1, 6])
def test_constant_queries(data, size, django_assert_max_num_queries):
    """The same budget with 1 or 6 more events per kind, each with registrations."""
    for n in range(size):
        for kind in (data["seminar"], data["table"]):
            event = _event(kind, f"2026-02-{n + 2:02d} 10:00", initiative=data["gorki"])
            _came(event, f"Орг {n}", rating=4)
    with django_assert_max_num_queries(14):
        section_module.section(scope=Scope(), period=Q1)
