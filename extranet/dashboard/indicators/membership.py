"""Membership (seed 003: new members attracted; the platform: registered users).

Definitions (every date in the platform's time zone):
- registered users: accounts created in the period (the platform only); «all registered» is
  the active accounts that existed at the period's end;
- applications: applications sent in the period (invitations are not applications);
- approvals / rejections: applications decided so in the period;
- median time to decision: over the applications decided in the period, in hours;
- members: approved memberships standing at the period's end (approved before it ended and
  not ended before then); member organisations: their distinct organisations (as the
  profiles name them today);
- new members by invitation / by application: approvals in the period by source.
"""

from __future__ import annotations

import statistics

from django.db.models import Case, Count, DurationField, ExpressionWrapper, F, Q, When
from django.utils.translation import gettext_lazy as _

from core.locales import originals
from extranet.members.models import Membership, User
from initiatives.models import InitiativePage

from ..periods import Period
from .base import Figure, Scope, Section, Series, Table, counts_by_bucket, in_period, line_chart

APPLICATION = Membership.Source.APPLICATION
INVITATION = Membership.Source.INVITATION


def _memberships(scope: Scope):
    qs = Membership.objects.all()
    if scope.initiative is not None:
        qs = qs.filter(initiative_id=scope.initiative_id)
    return qs


def _standing_at(qs, moment):
    """Memberships approved before ``moment`` and still standing then: approved now, or ended
    (left, removed) only afterwards."""
    return qs.filter(approved_at__lt=moment).filter(
        Q(status=Membership.Status.APPROVED)
        | Q(status=Membership.Status.REMOVED, decided_at__gte=moment)
    )


def _decision_hours(scope: Scope, period: Period) -> float | None:
    """Median hours from application to decision, over applications decided in the period."""
    decided = in_period(
        _memberships(scope)
        .annotate(decided_on=_decided_on())
        .filter(
            source=APPLICATION,
            status__in=[
                Membership.Status.APPROVED,
                Membership.Status.REJECTED,
                Membership.Status.REMOVED,
            ],
        ),
        "decided_on",
        period,
    )
    waits = list(
        decided.annotate(
            wait=ExpressionWrapper(F("decided_on") - F("applied_at"), output_field=DurationField())
        ).values_list("wait", flat=True)
    )
    waits = [w.total_seconds() / 3600 for w in waits if w is not None]
    return round(statistics.median(waits), 1) if waits else None


def _figures(scope: Scope, period: Period) -> dict[str, float | int | None]:
    counts = _memberships(scope).aggregate(
        applications=Count(
            "pk",
            filter=Q(source=APPLICATION, applied_at__gte=period.start, applied_at__lt=period.end),
        ),
        approvals=Count(
            "pk",
            filter=Q(source=APPLICATION, approved_at__gte=period.start, approved_at__lt=period.end),
        ),
        rejections=Count(
            "pk",
            filter=Q(
                status=Membership.Status.REJECTED,
                decided_at__gte=period.start,
                decided_at__lt=period.end,
            ),
        ),
        via_invitation=Count(
            "pk",
            filter=Q(source=INVITATION, approved_at__gte=period.start, approved_at__lt=period.end),
        ),
    )
    standing = _standing_at(_memberships(scope), period.end)
    stand = standing.aggregate(
        members=Count("user", distinct=True),
        organisations=Count("user__profile__organisation", distinct=True),
    )
    values = {
        "applications": counts["applications"],
        "approvals": counts["approvals"],
        "rejections": counts["rejections"],
        "decision_hours": None,
        "members": stand["members"],
        "member_organisations": stand["organisations"],
        "new_members": counts["approvals"] + counts["via_invitation"],
        "new_members_invitation": counts["via_invitation"],
        "new_members_application": counts["approvals"],
    }
    values["decision_hours"] = _decision_hours(scope, period)
    if scope.is_platform:
        users = User.objects.filter(is_active=True).aggregate(
            registered=Count(
                "pk", filter=Q(date_joined__gte=period.start, date_joined__lt=period.end)
            ),
            total=Count("pk", filter=Q(date_joined__lt=period.end)),
        )
        values["users_registered"] = users["registered"]
        values["users_total"] = users["total"]
    return values


def _decided_on():
    """When an application was decided: an approval's time stays put when the member later
    leaves (``decided_at`` moves on then); a rejection's is its decision."""
    return Case(
        When(approved_at__isnull=False, then=F("approved_at")),
        When(status=Membership.Status.REJECTED, then=F("decided_at")),
        default=None,
    )


LABELS = [
    ("users_registered", _("New registered users"), "", True),
    ("users_total", _("Registered users"), "", True),
    ("applications", _("Applications"), "", True),
    ("approvals", _("Applications approved"), "", True),
    ("rejections", _("Applications rejected"), "", False),
    ("decision_hours", _("Median time to a decision"), "hours", False),
    ("members", _("Members"), "", True),
    ("member_organisations", _("Member organisations"), "", True),
    ("new_members", _("New members"), "", True),
    ("new_members_invitation", _("New members by invitation"), "", False),
    ("new_members_application", _("New members by application"), "", False),
]

HELP = {
    "users_total": _("Active accounts that existed at the end of the period."),
    "members": _("Approved members at the end of the period."),
    "member_organisations": _("Distinct organisations of the members, as their profiles say."),
    "decision_hours": _("From the application to the administrator's decision."),
}


def _per_initiative(scope: Scope, period: Period) -> Table:
    initiatives = originals(InitiativePage.objects.live()).order_by("title")
    if scope.initiative is not None:
        initiatives = initiatives.filter(pk=scope.initiative_id)
    ms = _memberships(scope)
    flows = {
        row["initiative"]: row
        for row in ms.values("initiative").annotate(
            applications=Count(
                "pk",
                filter=Q(
                    source=APPLICATION, applied_at__gte=period.start, applied_at__lt=period.end
                ),
            ),
            new_members=Count(
                "pk", filter=Q(approved_at__gte=period.start, approved_at__lt=period.end)
            ),
            rejections=Count(
                "pk",
                filter=Q(
                    status=Membership.Status.REJECTED,
                    decided_at__gte=period.start,
                    decided_at__lt=period.end,
                ),
            ),
        )
    }
    standing = {
        row["initiative"]: row
        for row in _standing_at(ms, period.end)
        .values("initiative")
        .annotate(
            members=Count("user", distinct=True),
            organisations=Count("user__profile__organisation", distinct=True),
        )
    }
    rows = []
    for pk, title in initiatives.values_list("pk", "title"):
        flow, stand = flows.get(pk, {}), standing.get(pk, {})
        rows.append(
            [
                title,
                stand.get("members", 0),
                stand.get("organisations", 0),
                flow.get("new_members", 0),
                flow.get("applications", 0),
                flow.get("rejections", 0),
            ]
        )
    totals = None
    if len(rows) > 1:
        totals = [_("Total")] + [sum(row[i] for row in rows) for i in range(1, 6)]
        # Organisations and people in several initiatives are counted once in the figures,
        # but per row here; the totals row sums the rows.
    return Table(
        key="members_per_initiative",
        title=_("Members per initiative"),
        columns=[
            _("Initiative"),
            _("Members"),
            _("Member organisations"),
            _("New members"),
            _("Applications"),
            _("Applications rejected"),
        ],
        rows=rows,
        totals=totals,
    )


def section(*, scope: Scope, period: Period) -> Section:
    now = _figures(scope, period)
    before = _figures(scope, period.previous())
    figures = [
        Figure(
            key=key,
            label=label,
            value=now[key],
            previous=before[key],
            unit=unit,
            help=HELP.get(key, ""),
            targetable=targetable,
        )
        for key, label, unit, targetable in LABELS
        if key in now
    ]
    ms = _memberships(scope)
    applications = counts_by_bucket(ms.filter(source=APPLICATION), "applied_at", period)
    new_members = counts_by_bucket(ms, "approved_at", period)
    previous_new = counts_by_bucket(ms, "approved_at", period.previous())
    chart = line_chart(
        key="membership_series",
        title=_("Applications and new members"),
        period=period,
        series=[
            Series(name=str(_("New members")), values=new_members),
            Series(name=str(_("Applications")), values=applications),
        ],
        previous=Series(name=str(_("New members, previous period")), values=previous_new),
    )
    return Section(
        key="membership",
        title=_("Membership"),
        figures=figures,
        charts=[chart],
        tables=[_per_initiative(scope, period)],
    )
