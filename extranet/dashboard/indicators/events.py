"""Events by kind (seed 003): held, planned, participants, participating organisations,
participants per organisation, the participants' average rating and its number of ratings.

Definitions (an event belongs to the period by its start, in the platform's time zone; only
published events count; an initiative's scope is its own events, the platform's is every
event):
- held: not cancelled and over by now;
- planned: in the events plan («План мероприятий») for the period, whatever became of them;
- cancelled: marked cancelled;
- participants of a held event: the organisers' number in its report when given, else the
  registrations marked attended;
- organisations: distinct organisations (named as registered, case and spaces ignored) of
  the registrations marked attended;
- participants per organisation: attended registrations that name an organisation, divided
  by those organisations;
- rating: the average of the attendees' ratings (1–5) of held events, and their number.
"""

from __future__ import annotations

from django.db.models import Avg, Count, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.locales import originals
from events.models import EventKind, EventPage, Feedback, Registration
from extranet.members.models import Membership

from ..periods import Period
from .base import Chart, Figure, Scope, Section, Series, Table

# The row of events without a kind.
NO_KIND = "none"


def _events(scope: Scope, period: Period):
    qs = originals(EventPage.objects.live()).filter(
        starts_at__gte=period.start, starts_at__lt=period.end
    )
    if scope.initiative is not None:
        qs = qs.filter(initiative_id=scope.initiative_id)
    return qs


def _held(qs):
    return qs.filter(cancelled=False, ends_at__lte=timezone.now())


def _by_kind(scope: Scope, period: Period) -> tuple[dict, dict]:
    """Per kind id (None for no kind) the numbers of the table, and the totals over all kinds.
    Five grouped queries."""
    events = _events(scope, period)
    held = _held(events)
    attended = Registration.objects.filter(event_id__in=held.values("pk"), attended=True)
    attended_count = (
        Registration.objects.filter(event_id=OuterRef("pk"), attended=True)
        .order_by()
        .values("event_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows: dict = {}

    def row(kind_id):
        return rows.setdefault(
            kind_id,
            {
                "held": 0,
                "planned": 0,
                "cancelled": 0,
                "participants": 0,
                "organisations": 0,
                "with_organisation": 0,
                "rating": None,
                "ratings": 0,
            },
        )

    for item in (
        events.order_by()
        .values("kind_id")
        .annotate(
            held=Count("pk", filter=Q(cancelled=False, ends_at__lte=timezone.now())),
            planned=Count("pk", filter=Q(in_plan=True)),
            cancelled=Count("pk", filter=Q(cancelled=True)),
        )
    ):
        row(item["kind_id"]).update(
            held=item["held"], planned=item["planned"], cancelled=item["cancelled"]
        )
    for item in (
        held.annotate(
            people=Coalesce(
                "report_participants",
                Subquery(attended_count, output_field=IntegerField()),
                Value(0),
            )
        )
        .order_by()
        .values("kind_id")
        .annotate(participants=Sum("people"))
    ):
        row(item["kind_id"])["participants"] = item["participants"] or 0
    # Organisations are free text: «ООО Альфа» and « ооо альфа » are one. SQLite's lower()
    # folds ASCII only, so the names are folded here, from one grouped query of the distinct
    # spellings (as many rows as spellings, not registrations).
    all_organisations: set[str] = set()
    per_kind: dict = {}
    for kind_id, name, n in (
        attended.exclude(organisation="")
        .order_by()
        .values("event__kind_id", "organisation")
        .annotate(n=Count("pk"))
        .values_list("event__kind_id", "organisation", "n")
    ):
        folded = organisation_key(name)
        if not folded:
            continue
        per_kind.setdefault(kind_id, set()).add(folded)
        all_organisations.add(folded)
        row(kind_id)["with_organisation"] += n
    for kind_id, names in per_kind.items():
        row(kind_id)["organisations"] = len(names)
    ratings = Feedback.objects.filter(event_id__in=held.values("pk"))
    for item in (
        ratings.order_by()
        .values("event__kind_id")
        .annotate(rating=Avg("rating"), ratings=Count("pk"))
    ):
        row(item["event__kind_id"]).update(rating=item["rating"], ratings=item["ratings"])
    # Totals: organisations and the rating over all kinds at once (not sums of the rows).
    overall = {
        key: sum(r[key] for r in rows.values())
        for key in ("held", "planned", "cancelled", "participants", "with_organisation")
    }
    overall["organisations"] = len(all_organisations)
    # Member organisations: the profiles' organisations of attendees who are approved members
    # (of the initiative, or of any initiative for the platform).
    members = Membership.objects.filter(status=Membership.Status.APPROVED)
    if scope.initiative is not None:
        members = members.filter(initiative_id=scope.initiative_id)
    overall.update(
        attended.filter(user_id__in=members.values("user_id")).aggregate(
            member_organisations=Count("user__profile__organisation", distinct=True)
        )
    )
    overall.update(ratings.aggregate(rating=Avg("rating"), ratings=Count("pk")))
    return rows, overall


def organisation_key(name: str) -> str:
    """An organisation's name for counting: case and runs of spaces ignored."""
    return " ".join(name.split()).casefold()


def _per_org(numbers) -> float | None:
    if not numbers["organisations"]:
        return None
    return round(numbers["with_organisation"] / numbers["organisations"], 1)


def _rating(numbers) -> float | None:
    return round(float(numbers["rating"]), 2) if numbers["rating"] is not None else None


def section(*, scope: Scope, period: Period) -> Section:
    rows, overall = _by_kind(scope, period)
    previous_rows, previous = _by_kind(scope, period.previous())
    kinds = list(EventKind.objects.values_list("pk", "name"))
    if None in rows or None in previous_rows:
        kinds.append((None, str(_("No kind"))))

    figures = [
        Figure("events_held", _("Events held"), overall["held"], previous["held"]),
        Figure("events_planned", _("Events in the plan"), overall["planned"], previous["planned"]),
        Figure(
            "events_cancelled",
            _("Events cancelled"),
            overall["cancelled"],
            previous["cancelled"],
            targetable=False,
        ),
        Figure(
            "event_participants",
            _("Participants"),
            overall["participants"],
            previous["participants"],
            help=_("The report's number when the organisers gave one, else those marked present."),
        ),
        Figure(
            "event_organisations",
            _("Organisations taking part"),
            overall["organisations"],
            previous["organisations"],
        ),
        Figure(
            "event_member_organisations",
            _("Member organisations taking part"),
            overall["member_organisations"],
            previous["member_organisations"],
            help=_("Organisations of the attendees who are members, as their profiles say."),
        ),
        Figure(
            "participants_per_organisation",
            _("Participants per organisation"),
            _per_org(overall),
            _per_org(previous),
            unit="ratio",
        ),
        Figure(
            "event_rating",
            _("Average rating"),
            _rating(overall),
            _rating(previous),
            unit="rating",
            help=_("Given by the participants, from 1 to 5."),
        ),
        Figure("event_ratings", _("Ratings given"), overall["ratings"], previous["ratings"]),
    ]

    empty = {
        "held": 0,
        "planned": 0,
        "cancelled": 0,
        "participants": 0,
        "organisations": 0,
        "with_organisation": 0,
        "rating": None,
        "ratings": 0,
    }
    table_rows = []
    for kind_id, name in kinds:
        n = rows.get(kind_id, empty)
        table_rows.append(
            [
                name,
                n["held"],
                n["planned"],
                n["cancelled"],
                n["participants"],
                n["organisations"],
                _per_org(n),
                _rating(n),
                n["ratings"],
            ]
        )
    table = Table(
        key="events_by_kind",
        title=_("Events by kind"),
        columns=[
            _("Kind"),
            _("Held"),
            _("In the plan"),
            _("Cancelled"),
            _("Participants"),
            _("Organisations"),
            _("Participants per organisation"),
            _("Average rating"),
            _("Ratings"),
        ],
        rows=table_rows,
        totals=[
            _("Total"),
            overall["held"],
            overall["planned"],
            overall["cancelled"],
            overall["participants"],
            overall["organisations"],
            _per_org(overall),
            _rating(overall),
            overall["ratings"],
        ],
    )
    chart = Chart(
        key="events_held_by_kind",
        title=_("Events held by kind"),
        kind="bar",
        labels=[name for _pk, name in kinds],
        series=[Series(str(_("Held")), [rows.get(pk, empty)["held"] for pk, _n in kinds])],
        previous=Series(
            str(_("Previous period")), [previous_rows.get(pk, empty)["held"] for pk, _n in kinds]
        ),
    )
    ratings_chart = Chart(
        key="events_rating_by_kind",
        title=_("Average rating by kind"),
        kind="bar",
        labels=[name for _pk, name in kinds],
        series=[
            Series(str(_("Average rating")), [_rating(rows.get(pk, empty)) for pk, _n in kinds])
        ],
        previous=Series(
            str(_("Previous period")),
            [_rating(previous_rows.get(pk, empty)) for pk, _n in kinds],
        ),
        unit="rating",
    )
    return Section(
        key="events",
        title=_("Events"),
        figures=figures,
        charts=[chart, ratings_chart],
        tables=[table],
    )
