"""Reads about people and memberships, each in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q

from core.locales import originals
from initiatives.extensions import OrganisationItem

from .models import Membership
from .roster import roster_of


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


def _public_organisation_memberships():
    # An organisation is public while an approved member with an active account lists it
    # (does not hide it): the initiative pages show those, and nothing else may reveal one.
    return Membership.objects.filter(
        status=Membership.Status.APPROVED,
        user__is_active=True,
        user__profile__organisation__isnull=False,
        user__profile__hide_organisation=False,
    )


def organisations_by_initiative(initiative_ids: list[int]) -> dict[int, list[OrganisationItem]]:
    """Distinct organisations of approved members per initiative; public data only.

    Members who asked not to be listed are left out. One query however many members.
    """
    rows = (
        _public_organisation_memberships()
        .filter(initiative_id__in=initiative_ids)
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


# --- Applications and invitations (issue 4, items 3 and 4) ----------------------------------


def _pending_applications(initiative):
    # A blocked account's application (consent withdrawn) waits outside the queue and its
    # counts: nobody may see the applicant's data, so nobody can decide on it. It comes back
    # if the portal admin restores the account.
    return Membership.objects.filter(
        initiative=initiative, status=Membership.Status.PENDING, user__is_active=True
    )


def applications_pending(*, initiative):
    """The initiative's pending applications of active accounts, newest first, with
    everything the applications page shows (user, profile, organisation) in the same query."""
    return (
        _pending_applications(initiative)
        .select_related("user", "user__profile", "user__profile__organisation")
        .order_by("-applied_at", "-pk")
    )


def invitations_for_initiative(*, initiative):
    """The initiative's invitations, newest first, with the inviting admin."""
    from .models import Invitation

    return (
        Invitation.objects.filter(initiative=initiative)
        .select_related("invited_by")
        .order_by("-created_at", "-pk")
    )


# --- Personal cabinet ---------------------------------------------------------------------------


ORGANISATION_SUGGESTION_MIN = 3
ORGANISATION_SUGGESTION_LIMIT = 10


def organisation_suggestions(*, query: str) -> list[str]:
    """Names of public organisations (as the published initiatives' pages list them) that
    contain every word of ``query``, case-insensitively (Cyrillic too), by name; at most
    ORGANISATION_SUGGESTION_LIMIT, none for a query shorter than ORGANISATION_SUGGESTION_MIN.

    Control and format characters are dropped first (PostgreSQL refuses NUL; invisible
    characters would only hide a match); a query longer than a name cannot match.
    """

    from core.text import clean_line

    from .models import Organisation

    query = clean_line(query)
    max_length = Organisation._meta.get_field("name").max_length
    if not ORGANISATION_SUGGESTION_MIN <= len(query) <= max_length:
        return []
    name = "user__profile__organisation__name"
    rows = _public_organisation_memberships().filter(initiative__live=True)
    for term in query.split():
        rows = rows.filter(contains_q(term, name))
    return list(
        rows.order_by(name).values_list(name, flat=True).distinct()[:ORGANISATION_SUGGESTION_LIMIT]
    )


def memberships_of(*, user) -> list[Membership]:
    """The user's memberships with their initiatives, newest first; one query."""
    return list(
        Membership.objects.filter(user=user)
        .exclude(status=Membership.Status.WITHDRAWN)
        .select_related("initiative")
        .order_by("-applied_at")
    )


def profile_of(*, user):
    """The user's profile with its organisation, or an unsaved empty one (no write on read)."""
    from .models import Profile

    return Profile.objects.filter(user=user).select_related("organisation").first() or Profile(
        user=user
    )


# --- The common group (issue 5) -----------------------------------------------------------------


def _approved_members(initiative):
    return Membership.objects.filter(
        initiative=initiative, status=Membership.Status.APPROVED, user__is_active=True
    )


def _users_in_order(ids, *, with_profile: bool = False) -> list:
    """Active accounts of ``ids``, in that order; one query (none for no ids)."""
    from .models import User

    if not ids:
        return []
    users = User.objects.filter(pk__in=ids, is_active=True)
    if with_profile:
        users = users.select_related("profile")
    found = {user.pk: user for user in users}
    return [found[pk] for pk in ids if pk in found]


def group_admins(*, initiative) -> list:
    """The initiative's administrators (users with profiles), by name; one query on the
    cached roster (extranet.members.roster)."""
    return _users_in_order(roster_of(initiative=initiative).admins, with_profile=True)


def group_members_preview(*, initiative, limit: int = 6) -> tuple[int, list]:
    """(number of approved members, the first ``limit`` of them by name) for the side panel
    «Участники N»; one query on the cached roster however many members."""
    roster = roster_of(initiative=initiative)
    return roster.count, _users_in_order(roster.by_name[:limit])


# --- Member directory, member cards, the list of groups (issue 5, items 4 and 5) -----------------

DIRECTORY_QUERY_MAX = 200


def search_variants(term: str) -> set[str]:
    """``term`` and its usual spellings, for ``icontains`` lookups that must find Cyrillic
    in any case: SQLite's LIKE folds case for ASCII only (PostgreSQL's UPPER() folds every
    script). The directory, the suggestions and the portal admin's «All users» use it."""
    return {term, term.lower(), term.upper(), term.capitalize()}


# A person's searchable own fields (on User); prefix them to search from another model.
PERSON_SEARCH_FIELDS = ("first_name", "last_name", "email")


def contains_q(term: str, *fields: str):
    """A Q matching rows where any of ``fields`` contains ``term`` in any of its usual
    spellings (:func:`search_variants`): the one search filter of the directory, the
    suggestions and the portal admin's «All users»."""
    from django.db.models import Q

    matches = Q()
    for variant in search_variants(term):
        for field in fields:
            matches |= Q(**{f"{field}__icontains": variant})
    return matches


def directory_page(*, initiative, query: str, number, per_page: int):
    """(the paginator's page, its memberships) of the directory. Everyone: the page is cut
    from the cached order (extranet.members.roster), so 5,000 members are not sorted by name
    on every request; a search: :func:`directory_members`."""
    from django.core.paginator import Paginator

    if query:
        page_obj = Paginator(
            directory_members(initiative=initiative, query=query), per_page
        ).get_page(number)
        return page_obj, list(page_obj.object_list)
    order = roster_of(initiative=initiative).directory_order
    page_obj = Paginator(order, per_page).get_page(number)
    return page_obj, directory_rows(initiative=initiative, user_ids=page_obj.object_list)


def directory_rows(*, initiative, user_ids) -> list[Membership]:
    """The approved memberships of ``user_ids`` in ``initiative``, with user, profile and
    organisation, in the order of ``user_ids``: a directory page cut from the cached roster
    (extranet.members.roster); one query."""
    rows = {
        m.user_id: m
        for m in _approved_members(initiative)
        .filter(user_id__in=list(user_ids))
        .select_related("user", "user__profile", "user__profile__organisation")
    }
    return [rows[pk] for pk in user_ids if pk in rows]


def directory_members(*, initiative, query: str = ""):
    """The initiative's approved members (active accounts) for its directory: memberships with
    user, profile and organisation in the same query, administrators first, then by name.

    ``query`` narrows it to people whose name, e-mail or organisation contains every word of
    it, case-insensitively (Cyrillic too). One query per page, plus the paginator's count.
    """
    from django.db.models import Case, IntegerField, Value, When

    members = _approved_members(initiative).select_related(
        "user", "user__profile", "user__profile__organisation"
    )
    fields = [f"user__{field}" for field in PERSON_SEARCH_FIELDS]
    for term in (query or "").strip()[:DIRECTORY_QUERY_MAX].split():
        members = members.filter(contains_q(term, *fields, "user__profile__organisation__name"))
    return members.annotate(
        admin_first=Case(
            When(role=Membership.Role.ADMIN, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("admin_first", "user__last_name", "user__first_name", "user__email", "pk")


def pending_count(*, initiative) -> int:
    """How many applications to ``initiative`` wait for a decision («Неподтвержденные (N)»)."""
    return _pending_applications(initiative).count()


def person_memberships(*, subject) -> list[Membership]:
    """``subject``'s pending and approved memberships in published initiatives, with the
    initiatives, administrator roles first, then by title; one query. Which of them a viewer
    may see is extranet.members.permissions.can_view_membership's question."""
    return list(
        Membership.objects.filter(
            user=subject, status__in=Membership.ACTIVE_STATUSES, initiative__live=True
        )
        .select_related("initiative")
        .order_by("status", "role", "initiative__title", "pk")
    )


def groups_overview(*, initiative_ids=None) -> list:
    """Published initiatives (all when ``initiative_ids`` is None) by title, each annotated
    with ``member_count`` (approved, active accounts) and ``pending_count``; one query."""
    from django.db.models import Count, Q

    from initiatives.models import InitiativePage

    pages = originals(InitiativePage.objects.live())
    if initiative_ids is not None:
        pages = pages.filter(pk__in=list(initiative_ids))
    return list(
        pages.annotate(
            member_count=Count(
                "memberships",
                filter=Q(
                    memberships__status=Membership.Status.APPROVED,
                    memberships__user__is_active=True,
                ),
                distinct=True,
            ),
            pending_count=Count(
                "memberships",
                filter=Q(
                    memberships__status=Membership.Status.PENDING,
                    memberships__user__is_active=True,
                ),
                distinct=True,
            ),
        ).order_by("title", "pk")
    )


def admin_memberships(*, initiative):
    """The initiative's administrators' memberships with their users, by name."""
    return (
        _approved_members(initiative)
        .filter(role=Membership.Role.ADMIN)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__email", "pk")
    )


def admin_candidates(*, initiative):
    """Approved members of the initiative who are not its administrators, by name: whom the
    portal admin may make an administrator."""
    return (
        _approved_members(initiative)
        .filter(role=Membership.Role.MEMBER)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__email", "pk")
    )


# --- Who is told (the notices' receivers ask these) -----------------------------------------


def portal_admin_ids() -> list[int]:
    """Active superusers and members of the portal admins' group."""
    from .models import User
    from .permissions import PORTAL_ADMINS_GROUP

    return list(
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name=PORTAL_ADMINS_GROUP))
        .values_list("pk", flat=True)
        .distinct()
    )


def initiative_admin_ids(*, initiative) -> list[int]:
    """The initiative's active administrators."""
    return list(
        _approved_members(initiative)
        .filter(role=Membership.Role.ADMIN)
        .values_list("user_id", flat=True)
    )


def group_reader_ids(*, initiative, among=None) -> list[int]:
    """Who reads ``initiative``'s common group (``permissions.can_read_group``: its approved,
    active members and the portal admins), optionally only those in ``among``."""
    ids = set(_approved_members(initiative).values_list("user_id", flat=True))
    ids.update(portal_admin_ids())
    if among is not None:
        ids &= set(among)
    return sorted(ids)


def group_member_ids(*, initiative) -> list[int]:
    """The initiative's approved, active members (its admins included)."""
    return list(_approved_members(initiative).values_list("user_id", flat=True))
