"""Reads about people and memberships, each in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict

from initiatives.extensions import OrganisationItem

from .models import Membership


def membership_active(*, user, initiative) -> Membership | None:
    """The user's pending or approved membership in ``initiative``, if any."""
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(
            user=user, initiative=initiative, status__in=Membership.ACTIVE_STATUSES
        )
        .order_by("-applied_at")
        .first()
    )


def organisations_by_initiative(initiative_ids: list[int]) -> dict[int, list[OrganisationItem]]:
    """Distinct organisations of approved members per initiative; public data only.

    Members who asked not to be listed are left out. One query however many members.
    """
    rows = (
        Membership.objects.filter(
            initiative_id__in=initiative_ids,
            status=Membership.Status.APPROVED,
            user__is_active=True,
            user__profile__organisation__isnull=False,
            user__profile__hide_organisation=False,
        )
        .values_list(
            "initiative_id",
            "user__profile__organisation__name",
            "user__profile__organisation__kind",
            "user__profile__organisation__website",
        )
        .distinct()
        .order_by("initiative_id", "user__profile__organisation__name")
    )
    from .models import Organisation

    labels = dict(Organisation.Kind.choices)
    result: dict[int, list[OrganisationItem]] = defaultdict(list)
    for initiative_id, name, kind, website in rows:
        result[initiative_id].append(
            OrganisationItem(name=name, kind=str(labels.get(kind, "")), website=website)
        )
    return dict(result)
