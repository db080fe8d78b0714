"""The ideas exchange section of the indicators on a fixed data set counted by hand: Q1 2026
in Minsk and the previous quarter, the boundary at midnight in Minsk, ideas waiting for
moderation or hidden and hidden comments left out, projects reaching a consortium twice
counted once, an initiative's scope against the platform's, the consortia table's limit,
and the same query budget at two data sizes."""

from __future__ import annotations

import pytest

from extranet.dashboard.indicators import Scope, compute_report
from extranet.dashboard.indicators import ideas as section_module
from extranet.dashboard.periods import month_period
from ideas_exchange.models import Idea, IdeaComment, IdeaStageChange, Partnership
from tests.factories import InitiativePageFactory, UserFactory
from tests.ideas_exchange.factories import IdeaCommentFactory, IdeaFactory, PartnershipFactory

from .indicator_data import Q1, minsk, utc

pytestmark = pytest.mark.django_db

APRIL_0030 = utc("2026-03-31 21:30")  # 00:30 on 1 April in Minsk
MARCH_2330 = minsk("2026-03-31 23:30")

REQUEST, OFFER, PROJECT = Idea.Kind.REQUEST, Idea.Kind.OFFER, Idea.Kind.PROJECT


def _idea(kind, initiative, published, *, status="open", stage=None, moderation="approved"):
    extra = {"stage": stage} if stage is not None else {}
    return IdeaFactory(
        kind=kind,
        initiative=initiative,
        status=status,
        moderation=moderation,
        created_at=published or minsk("2026-02-01 09:00"),
        published_at=published,
        **extra,
    )


def _comment(idea, at, *, hidden=False):
    return IdeaCommentFactory(idea=idea, created_at=at, hidden=hidden)


def _partner(idea, status, decided):
    return PartnershipFactory(idea=idea, status=status, decided_at=decided)


def _stage(idea, stage, at):
    return IdeaStageChange.objects.create(idea=idea, stage=stage, changed_at=at)


@pytest.fixture
def data(gorki, polotsk):
    ideas = {
        # Gorki: three published in Q1 (one at 23:30 on 31 March), one at 00:30 on 1 April,
        # one waiting for moderation, one hidden, one project of December.
        "i1": _idea(REQUEST, gorki, minsk("2026-01-15 10:00")),
        "i2": _idea(OFFER, gorki, MARCH_2330, status="discussion"),
        "i3": _idea(
            PROJECT, gorki, minsk("2026-02-01 10:00"), status="partners_found", stage="consortium"
        ),
        "i4": _idea(PROJECT, gorki, APRIL_0030),
        "i5": _idea(REQUEST, gorki, None, moderation="pending"),
        "i6": _idea(OFFER, gorki, minsk("2026-02-10 10:00"), moderation="hidden"),
        "i7": _idea(PROJECT, gorki, minsk("2025-12-01 10:00"), status="closed", stage="funded"),
        "i8": _idea(
            PROJECT, gorki, minsk("2026-01-03 10:00"), stage="consortium", moderation="hidden"
        ),
        # Polotsk and the whole platform.
        "j1": _idea(REQUEST, polotsk, minsk("2026-02-20 10:00")),
        "j2": _idea(
            PROJECT, polotsk, minsk("2026-01-05 10:00"), status="discussion", stage="consortium"
        ),
        "k1": _idea(OFFER, None, minsk("2026-03-01 10:00")),
    }
    i = ideas
    # Comments: two on I1 in Q1; only a hidden one on I2; one in Q1 on December's I7; one on
    # the unmoderated I5; on I3 one at 00:30 on 1 April and one in December; one on J1.
    _comment(i["i1"], minsk("2026-01-20 10:00"))
    _comment(i["i1"], minsk("2026-02-01 10:00"))
    _comment(i["i2"], minsk("2026-03-05 10:00"), hidden=True)
    _comment(i["i7"], minsk("2026-02-10 10:00"))
    _comment(i["i5"], minsk("2026-02-11 10:00"))
    _comment(i["i3"], APRIL_0030)
    _comment(i["i3"], minsk("2025-12-20 10:00"))
    _comment(i["j1"], minsk("2026-02-22 10:00"))
    # Partnerships: I3 two accepted in Q1, one declined, one waiting; I7 one accepted in
    # November; J2 one accepted in January; the hidden I8 one in Q1.
    _partner(i["i3"], "accepted", minsk("2026-02-05 10:00"))
    _partner(i["i3"], "accepted", MARCH_2330)
    _partner(i["i3"], "declined", minsk("2026-02-06 10:00"))
    _partner(i["i3"], "pending", None)
    _partner(i["i7"], "accepted", minsk("2025-11-10 10:00"))
    _partner(i["j2"], "accepted", minsk("2026-01-10 10:00"))
    _partner(i["i8"], "accepted", minsk("2026-01-11 10:00"))
    # Stages: I3 formed its consortium, went back and formed it again, all in Q1; I7 formed
    # one in October and was funded in January; J2 formed one at 23:30 on 31 March; I4 at
    # 00:30 on 1 April; the hidden I8 in February.
    _stage(i["i3"], "seeking", minsk("2026-02-01 10:00"))
    _stage(i["i3"], "consortium", minsk("2026-02-10 10:00"))
    _stage(i["i3"], "seeking", minsk("2026-02-20 10:00"))
    _stage(i["i3"], "consortium", minsk("2026-03-01 10:00"))
    _stage(i["i7"], "consortium", minsk("2025-10-10 10:00"))
    _stage(i["i7"], "submitted", minsk("2025-11-10 10:00"))
    _stage(i["i7"], "funded", minsk("2026-01-15 10:00"))
    _stage(i["j2"], "consortium", MARCH_2330)
    _stage(i["i4"], "consortium", APRIL_0030)
    _stage(i["i8"], "consortium", minsk("2026-02-15 10:00"))
    return {"gorki": gorki, "polotsk": polotsk, **ideas}


def _values(section):
    return {f.key: f.value for f in section.figures}


def _previous(section):
    return {f.key: f.previous for f in section.figures}


def test_figure_keys(data):
    """The section's figures, in order, each with its help; all take targets."""
    section = section_module.section(scope=Scope(), period=Q1)
    assert (section.key, [f.key for f in section.figures]) == (
        "ideas",
        [
            "ideas",
            "requests",
            "offers",
            "projects",
            "discussions",
            "idea_comments",
            "partners_accepted",
            "consortia_formed",
            "projects_funded",
        ],
    )
    assert all(f.help and f.targetable for f in section.figures)


def test_figure_keys_are_unique_in_the_report(data):
    """No figure of this section shares its key with another section's (targets and the
    summary panel find a figure by its key alone): the feed's comments are "comments", the
    ideas' "idea_comments"."""
    keys = [f.key for f in compute_report(scope=Scope(), period=Q1).figures()]
    assert len(keys) == len(set(keys))
    assert {"comments", "idea_comments"} <= set(keys)


def test_initiative_figures_counted_by_hand(data):
    """Gorki in Q1: I1, I2, I3 published (I4 on 1 April, I5 waits, I6 and I8 hidden); I1 and
    I7 discussed by three comments (I2's is hidden, I5 waits, I3's is April's); I3's two
    partners; I3's consortium once though formed twice (I8 hidden); I7 funded."""
    section = section_module.section(scope=Scope(data["gorki"]), period=Q1)
    assert _values(section) == {
        "ideas": 3,
        "requests": 1,
        "offers": 1,
        "projects": 1,
        "discussions": 2,
        "idea_comments": 3,
        "partners_accepted": 2,
        "consortia_formed": 1,
        "projects_funded": 1,
    }


def test_previous_quarter_counted_by_hand(data):
    """Gorki in Q4 2025: I7 published, I3 discussed once, I7's partner and consortium."""
    assert _previous(section_module.section(scope=Scope(data["gorki"]), period=Q1)) == {
        "ideas": 1,
        "requests": 0,
        "offers": 0,
        "projects": 1,
        "discussions": 1,
        "idea_comments": 1,
        "partners_accepted": 1,
        "consortia_formed": 1,
        "projects_funded": 0,
    }


def test_platform_figures_counted_by_hand(data):
    """The platform in Q1 adds Polotsk's J1 and J2 and the platform-wide K1."""
    assert _values(section_module.section(scope=Scope(), period=Q1)) == {
        "ideas": 6,
        "requests": 2,
        "offers": 2,
        "projects": 2,
        "discussions": 3,
        "idea_comments": 4,
        "partners_accepted": 3,
        "consortia_formed": 2,
        "projects_funded": 1,
    }


def test_other_initiative_counts_only_its_own(data):
    """Polotsk in Q1: J1 and J2, J1's comment, J2's partner and consortium; none of Gorki's
    nor the platform-wide idea."""
    assert _values(section_module.section(scope=Scope(data["polotsk"]), period=Q1)) == {
        "ideas": 2,
        "requests": 1,
        "offers": 0,
        "projects": 1,
        "discussions": 1,
        "idea_comments": 1,
        "partners_accepted": 1,
        "consortia_formed": 1,
        "projects_funded": 0,
    }


def test_midnight_in_minsk_splits_march_and_april(data):
    """At 23:30 on 31 March in Minsk I2, a partner and J2's consortium are March's; at 21:30
    UTC that day (00:30 on 1 April in Minsk) I4, its consortium and a comment are April's."""
    march = _values(section_module.section(scope=Scope(), period=month_period(2026, 3)))
    april = _values(section_module.section(scope=Scope(), period=month_period(2026, 4)))
    assert (march["ideas"], march["offers"], march["partners_accepted"]) == (2, 2, 1)
    assert (march["consortia_formed"], march["idea_comments"]) == (2, 0)
    assert (april["ideas"], april["projects"], april["consortia_formed"]) == (1, 1, 1)
    assert (april["idea_comments"], april["discussions"], april["partners_accepted"]) == (1, 1, 0)


def test_kind_status_table(data):
    """The platform's Q1 ideas by kind and status today, with totals per row and column."""
    table = section_module.section(scope=Scope(), period=Q1).table("ideas_by_kind_status")
    assert [str(c) for c in table.columns[1:5]] == [
        str(Idea.Status.OPEN.label),
        str(Idea.Status.DISCUSSION.label),
        str(Idea.Status.PARTNERS_FOUND.label),
        str(Idea.Status.CLOSED.label),
    ]
    assert [[str(row[0]), *row[1:]] for row in table.rows] == [
        [str(REQUEST.label), 2, 0, 0, 0, 2],
        [str(OFFER.label), 1, 1, 0, 0, 2],
        [str(PROJECT.label), 0, 1, 1, 0, 2],
    ]
    assert table.totals[1:] == [3, 2, 1, 0, 6]


def test_initiative_kind_status_table(data):
    """Gorki's table counts its own ideas only."""
    table = section_module.section(scope=Scope(data["gorki"]), period=Q1).table(
        "ideas_by_kind_status"
    )
    assert [row[1:] for row in table.rows] == [
        [1, 0, 0, 0, 1],
        [0, 1, 0, 0, 1],
        [0, 0, 1, 0, 1],
    ]
    assert table.totals[1:] == [1, 1, 1, 0, 3]


def test_consortia_table(data):
    """The projects that formed a consortium in Q1, the latest first: J2 (31 March) then I3
    (1 March) with its two accepted partners and its stage; not the hidden I8, not I4."""
    consortium = str(Idea.Stage.CONSORTIUM.label)
    table = section_module.section(scope=Scope(), period=Q1).table("consortia")
    assert [[row[0], row[1], row[2], str(row[3])] for row in table.rows] == [
        [data["j2"].title, data["polotsk"].title, 1, consortium],
        [data["i3"].title, data["gorki"].title, 2, consortium],
    ]
    gorki = section_module.section(scope=Scope(data["gorki"]), period=Q1).table("consortia")
    assert [row[0] for row in gorki.rows] == [data["i3"].title]


def test_chart_compares_with_previous_period(data):
    """New ideas per kind in Q1 against Q4 2025."""
    chart = section_module.section(scope=Scope(data["gorki"]), period=Q1).charts[0]
    assert (chart.key, chart.kind) == ("ideas_by_kind", "bar")
    assert chart.labels == [str(REQUEST.label), str(OFFER.label), str(PROJECT.label)]
    assert chart.series[0].values == [1, 1, 1]
    assert chart.previous.values == [0, 0, 1]


def _grow(initiatives, size):
    """``size`` published projects per initiative, each with a comment, an accepted partner
    and a consortium formed in Q1, made in bulk."""
    at = minsk("2026-02-10 10:00")
    author = UserFactory()
    ideas = Idea.objects.bulk_create(
        Idea(
            kind=PROJECT,
            title=f"Проект {initiative.pk}-{n}",
            summary="…",
            text="…",
            author=author,
            initiative=initiative,
            stage="consortium",
            created_at=at,
            published_at=at,
        )
        for initiative in initiatives
        for n in range(size)
    )
    IdeaComment.objects.bulk_create(
        IdeaComment(idea=idea, author=author, text="…", created_at=at) for idea in ideas
    )
    Partnership.objects.bulk_create(
        Partnership(idea=idea, user=UserFactory(), status="accepted", decided_at=at)
        for idea in ideas
    )
    IdeaStageChange.objects.bulk_create(
        IdeaStageChange(idea=idea, stage="consortium", changed_at=at) for idea in ideas
    )


@pytest.mark.parametrize(("size", "initiatives"), [(3, 2), (30, 6)])
def test_constant_queries(data, size, initiatives, django_assert_max_num_queries):
    """The same budget (9 queries) with 3 projects in 2 initiatives or 30 in 6, for the
    platform and for one initiative; the consortia table stops at 50 rows and says so."""
    groups = [data["gorki"], data["polotsk"]]
    groups += [InitiativePageFactory() for _n in range(initiatives - 2)]
    _grow(groups, size)
    with django_assert_max_num_queries(9):
        platform = section_module.section(scope=Scope(), period=Q1)
    with django_assert_max_num_queries(9):
        section_module.section(scope=Scope(data["gorki"]), period=Q1)
    formed = 2 + size * initiatives
    assert platform.figure("consortia_formed").value == formed
    assert len(platform.table("consortia").rows) == min(formed, 50)
    assert bool(platform.note) == (formed > 50)
