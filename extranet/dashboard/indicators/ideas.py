"""The ideas exchange (issue 14; seed 003: topics discussed, project partners attracted).

Definitions (every date in the platform's time zone; only published ideas count, never those
waiting for moderation or hidden; an initiative's scope is its ideas, the platform's every
idea, platform-wide ones included):
- new ideas: published in the period (``published_at``), in all and by kind (requests,
  offers, projects); the table splits them by their status today;
- discussions («обсуждаемые темы»): ideas that got at least one comment in the period;
  comments on ideas (``idea_comments``): those written in the period; hidden comments count
  in neither;
- partners accepted: partnerships the project's author accepted in the period;
- consortia formed / projects funded: projects that moved to the stage «Consortium formed» /
  «Funded» in the period (``IdeaStageChange``), each project once.
"""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ideas_exchange.models import Idea, IdeaComment, IdeaStageChange, Partnership

from ..periods import Period
from .base import Chart, Figure, Scope, Section, Series, Table, in_period

# The consortia table lists at most this many projects (the figure counts them all).
CONSORTIA_ROWS = 50

KINDS = [Idea.Kind.REQUEST, Idea.Kind.OFFER, Idea.Kind.PROJECT]
STATUSES = [
    Idea.Status.OPEN,
    Idea.Status.DISCUSSION,
    Idea.Status.PARTNERS_FOUND,
    Idea.Status.CLOSED,
]
KIND_FIGURES = {
    Idea.Kind.REQUEST: "requests",
    Idea.Kind.OFFER: "offers",
    Idea.Kind.PROJECT: "projects",
}


def _ideas(scope: Scope):
    """The scope's published ideas (of any date)."""
    qs = Idea.objects.filter(moderation=Idea.Moderation.APPROVED)
    if scope.initiative is not None:
        qs = qs.filter(initiative_id=scope.initiative_id)
    return qs


def _of_ideas(qs, scope: Scope):
    """Rows (comments, partnerships, stage changes) of the scope's published ideas."""
    qs = qs.filter(idea__moderation=Idea.Moderation.APPROVED)
    if scope.initiative is not None:
        qs = qs.filter(idea__initiative_id=scope.initiative_id)
    return qs


def _by_kind_status(scope: Scope, period: Period) -> dict[tuple[str, str], int]:
    """New ideas of the period per (kind, status today): one grouped query."""
    rows = (
        in_period(_ideas(scope), "published_at", period)
        .order_by()
        .values("kind", "status")
        .annotate(n=Count("pk"))
        .values_list("kind", "status", "n")
    )
    return {(kind, status): n for kind, status, n in rows}


def _consortium_changes(scope: Scope, period: Period):
    return in_period(
        _of_ideas(IdeaStageChange.objects.all(), scope).filter(
            stage=Idea.Stage.CONSORTIUM, idea__kind=Idea.Kind.PROJECT
        ),
        "changed_at",
        period,
    )


def _figures(scope: Scope, period: Period) -> tuple[dict, dict]:
    """The figures and the (kind, status) counts: four queries."""
    cells = _by_kind_status(scope, period)
    values: dict[str, int] = {"ideas": sum(cells.values())}
    for kind, key in KIND_FIGURES.items():
        values[key] = sum(n for (k, _status), n in cells.items() if k == kind)
    values.update(
        in_period(
            _of_ideas(IdeaComment.objects.filter(hidden=False), scope), "created_at", period
        ).aggregate(discussions=Count("idea", distinct=True), idea_comments=Count("pk"))
    )
    values["partners_accepted"] = in_period(
        _of_ideas(Partnership.objects.filter(status=Partnership.Status.ACCEPTED), scope),
        "decided_at",
        period,
    ).count()
    values.update(
        in_period(
            _of_ideas(IdeaStageChange.objects.filter(idea__kind=Idea.Kind.PROJECT), scope),
            "changed_at",
            period,
        ).aggregate(
            consortia_formed=Count("idea", distinct=True, filter=Q(stage=Idea.Stage.CONSORTIUM)),
            projects_funded=Count("idea", distinct=True, filter=Q(stage=Idea.Stage.FUNDED)),
        )
    )
    return values, cells


LABELS = [
    # key, label, help, targetable
    ("ideas", _("New ideas"), _("Ideas published in the period."), True),
    ("requests", _("New requests"), _("Requests published in the period."), True),
    ("offers", _("New offers"), _("Offers published in the period."), True),
    ("projects", _("New projects"), _("Projects published in the period."), True),
    (
        "discussions",
        _("Topics discussed"),
        _("Ideas that got at least one comment in the period (hidden comments not counted)."),
        True,
    ),
    (
        # Not "comments": keys are unique in the report (targets, the summary panel), and
        # the activity section's "comments" are the feed's.
        "idea_comments",
        _("Comments on ideas"),
        _("Comments written in the period, without hidden ones."),
        True,
    ),
    (
        "partners_accepted",
        _("Project partners accepted"),
        _("Partnerships accepted by the projects' authors in the period."),
        True,
    ),
    (
        "consortia_formed",
        _("Consortia formed"),
        _("Projects that reached the stage «Consortium formed» in the period."),
        True,
    ),
    (
        "projects_funded",
        _("Projects funded"),
        _("Projects that reached the stage «Funded» in the period."),
        True,
    ),
]


def _kind_status_table(cells: dict[tuple[str, str], int]) -> Table:
    rows = []
    for kind in KINDS:
        counts = [cells.get((kind, status), 0) for status in STATUSES]
        rows.append([kind.label, *counts, sum(counts)])
    totals = [_("Total")] + [sum(row[i] for row in rows) for i in range(1, len(STATUSES) + 2)]
    return Table(
        key="ideas_by_kind_status",
        title=_("New ideas by kind and status"),
        columns=[_("Kind"), *[status.label for status in STATUSES], _("Total")],
        rows=rows,
        totals=totals,
    )


def _consortia_table(scope: Scope, period: Period) -> Table:
    """The projects that formed a consortium in the period, the latest first: one query
    (the partners counted by ``annotate``, at most ``CONSORTIA_ROWS`` rows)."""
    changes = _consortium_changes(scope, period)
    formed_at = (
        changes.filter(idea_id=OuterRef("pk")).order_by("-changed_at").values("changed_at")[:1]
    )
    projects = (
        _ideas(scope)
        .filter(kind=Idea.Kind.PROJECT, pk__in=changes.values("idea_id"))
        .annotate(
            formed_at=Subquery(formed_at),
            partners=Count(
                "partnerships", filter=Q(partnerships__status=Partnership.Status.ACCEPTED)
            ),
        )
        .order_by("-formed_at", "-pk")
        .values_list("title", "initiative__title", "partners", "stage")[:CONSORTIA_ROWS]
    )
    stages = dict(Idea.Stage.choices)
    rows = [
        [title, initiative or _("Whole platform"), partners, stages.get(stage, stage)]
        for title, initiative, partners, stage in projects
    ]
    return Table(
        key="consortia",
        title=_("Consortia formed"),
        columns=[_("Project"), _("Initiative"), _("Partners"), _("Stage")],
        rows=rows,
    )


def section(*, scope: Scope, period: Period) -> Section:
    """The ideas exchange section: 9 queries (4 per period for the figures and the kind ×
    status table, 1 for the consortia)."""
    now, cells = _figures(scope, period)
    before, _cells = _figures(scope, period.previous())
    figures = [
        Figure(
            key=key,
            label=label,
            value=now[key],
            previous=before[key],
            help=help_text,
            targetable=targetable,
        )
        for key, label, help_text, targetable in LABELS
    ]
    chart = Chart(
        key="ideas_by_kind",
        title=_("New ideas by kind"),
        kind="bar",
        labels=[str(kind.label) for kind in KINDS],
        series=[Series(str(_("New ideas")), [now[KIND_FIGURES[kind]] for kind in KINDS])],
        previous=Series(str(_("Previous period")), [before[KIND_FIGURES[kind]] for kind in KINDS]),
    )
    note = ""
    if now["consortia_formed"] > CONSORTIA_ROWS:
        note = ngettext(
            "The table of consortia lists the latest %(count)d project.",
            "The table of consortia lists the latest %(count)d projects.",
            CONSORTIA_ROWS,
        ) % {"count": CONSORTIA_ROWS}
    return Section(
        key="ideas",
        title=_("Ideas exchange"),
        figures=figures,
        charts=[chart],
        tables=[_kind_status_table(cells), _consortia_table(scope, period)],
        note=note,
    )
