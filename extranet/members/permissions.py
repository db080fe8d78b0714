"""Who may do what with people and memberships: the one place that decides (DESIGN.md).

Views, templates and consumers ask these functions; none of them re-derives a rule inline.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from .models import User

# The Django group whose members run the whole platform, beside superusers.
PORTAL_ADMINS_GROUP = "Администраторы портала"
# Wagtail's own editors group, created by Wagtail's migrations.
EDITORS_GROUP = "Editors"


def is_portal_admin(user: User | AnonymousUser) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    # Cached per request object: the header asks on every page.
    cached = getattr(user, "_is_portal_admin", None)
    if cached is None:
        cached = user.groups.filter(name=PORTAL_ADMINS_GROUP).exists()
        user._is_portal_admin = cached
    return cached


def can_open_cabinet(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


# --- Memberships and the privacy rule -------------------------------------------------------
#
# DESIGN.md: a user's personal data (e-mail, phone, photo, organisation, position) is visible
# to nobody but the user, the portal admin and the admins of the initiatives they applied to,
# until an admin approves them; after approval, also to the members of the same initiative.
# Guests never see personal data.

# Statuses under which an initiative's admins still see an applicant's data: the application
# is open or was turned down (so the decision can be reviewed); a withdrawn one is not.
_APPLIED_STATUSES = ("pending", "approved", "rejected")


def _viewer_memberships(user) -> tuple[frozenset[int], frozenset[int]]:
    """(initiatives the user is an approved member of, initiatives they administer); cached."""
    cached = getattr(user, "_membership_sets", None)
    if cached is None:
        from .models import Membership

        rows = list(
            Membership.objects.filter(user=user, status=Membership.Status.APPROVED).values_list(
                "initiative_id", "role", "initiative__slug", "initiative__title"
            )
        )
        cached = (
            frozenset(row[0] for row in rows),
            frozenset(row[0] for row in rows if row[1] == Membership.Role.ADMIN),
        )
        user._membership_sets = cached
        # The administered initiatives' slugs and titles, for the account menu's links.
        user._administered = sorted(
            (title, slug) for _pk, role, slug, title in rows if role == Membership.Role.ADMIN
        )
    return cached


def is_member(user, initiative) -> bool:
    """An approved member of ``initiative`` (its admins are members too)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return initiative.pk in _viewer_memberships(user)[0]


def is_initiative_admin(user, initiative) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return initiative.pk in _viewer_memberships(user)[1]


def administered_initiative_ids(user) -> frozenset[int]:
    """The initiatives ``user`` administers (read once per request)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    return _viewer_memberships(user)[1]


def administered_initiatives(user) -> list[tuple[str, str]]:
    """(title, slug) of the initiatives ``user`` administers, by title; read with the
    membership sets, once per request."""
    if not user.is_authenticated or not user.is_active:
        return []
    _viewer_memberships(user)
    return user._administered


def is_editor(user) -> bool:
    """In the platform's editors group (Wagtail's editors of the public pages); cached."""
    if not user.is_authenticated or not user.is_active:
        return False
    cached = getattr(user, "_is_editor", None)
    if cached is None:
        cached = user.groups.filter(name=EDITORS_GROUP).exists()
        user._is_editor = cached
    return cached


def can_manage_members(user, initiative) -> bool:
    """See and decide applications, invite, remove members: the initiative's admins and the
    portal admin."""
    return is_portal_admin(user) or is_initiative_admin(user, initiative)


def can_view_personal_data(viewer, subject) -> bool:
    """Whether ``viewer`` may see ``subject``'s e-mail, phone, photo, organisation, position.

    Nobody sees a blocked account's data (consent withdrawn, or deactivated by the portal
    admin), the portal admin included: every page that lists people follows this rule."""
    if not viewer.is_authenticated or not viewer.is_active or not subject.is_active:
        return False
    if viewer.pk == subject.pk or is_portal_admin(viewer):
        return True
    member_of, admin_of = _viewer_memberships(viewer)
    if not member_of:
        return False
    from .models import Membership

    subject_rows = Membership.objects.filter(
        user=subject, initiative_id__in=member_of, status__in=_APPLIED_STATUSES
    ).values_list("initiative_id", "status")
    for initiative_id, status in subject_rows:
        if initiative_id in admin_of:
            return True
        if status == Membership.Status.APPROVED:
            return True
    return False


# --- The common group (issue 5) -----------------------------------------------------------------
#
# An initiative's common group (its feed and its member directory) is open to its approved
# members (admins included) and to the portal admin; nobody else learns what is in it.
# Whether the group's services are switched on is initiatives.features' question, asked by
# the views as well.


def can_read_group(user, initiative) -> bool:
    return is_portal_admin(user) or is_member(user, initiative)


def can_assign_group_admins(user, initiative) -> bool:
    """«Изменить» on the group page: choose the initiative's administrators (portal admin)."""
    return is_portal_admin(user)


def readable_group_ids(user) -> frozenset[int] | None:
    """The initiatives whose common group ``user`` may read: ``None`` means every one (the
    portal admin), an empty set nobody's. No query beyond the per-request cached ones."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if is_portal_admin(user):
        return None
    return _viewer_memberships(user)[0]


def can_open_groups_index(user) -> bool:
    """Whether «Общая группа» in the header leads anywhere: the portal admin, or an approved
    member of at least one initiative. Cheap: the header asks on every page."""
    ids = readable_group_ids(user)
    return ids is None or bool(ids)


# --- Member cards (issue 5, item 4) -------------------------------------------------------------


def can_view_person(viewer, subject) -> bool:
    """Whether ``viewer`` may open ``subject``'s member card: exactly the privacy rule (which
    hides blocked accounts). Everyone else gets a 404 (the card's existence is not revealed)."""
    return subject is not None and can_view_personal_data(viewer, subject)


def people_with_visible_data(viewer, subject_ids) -> frozenset[int]:
    """The ids among ``subject_ids`` whose personal data ``viewer`` may see: the privacy rule
    of :func:`can_view_personal_data` (blocked accounts included) for a whole page of people
    in at most one query."""
    ids = {pk for pk in subject_ids if pk is not None}
    if not ids or not viewer.is_authenticated or not viewer.is_active:
        return frozenset()
    if is_portal_admin(viewer):
        return frozenset(
            User.objects.filter(pk__in=ids, is_active=True).values_list("pk", flat=True)
        )
    visible = {viewer.pk} & ids
    member_of, admin_of = _viewer_memberships(viewer)
    if not member_of or not ids - visible:
        return frozenset(visible)
    from .models import Membership

    rows = Membership.objects.filter(
        user_id__in=ids - visible,
        user__is_active=True,
        initiative_id__in=member_of,
        status__in=_APPLIED_STATUSES,
    ).values_list("user_id", "initiative_id", "status")
    for user_id, initiative_id, status in rows:
        if initiative_id in admin_of or status == Membership.Status.APPROVED:
            visible.add(user_id)
    return frozenset(visible)


def without_blocked_people(queryset, *, user_field: str = "user"):
    """``queryset`` without the rows of blocked accounts (consent withdrawn). The privacy rule
    shows their data to nobody, and a register listing people row by row (memberships: who
    is in which initiative) would show it through the rows themselves."""
    return queryset.filter(**{f"{user_field}__is_active": True})


def can_view_membership(viewer, membership) -> bool:
    """Whether a member card shows ``membership`` (the initiative and the person's role in it)
    to ``viewer``: the person and the portal admin see all; members see the approved
    memberships of initiatives they belong to; admins also their initiative's pending
    applications. No query beyond the per-request cached ones."""
    if not viewer.is_authenticated or not viewer.is_active:
        return False
    if viewer.pk == membership.user_id or is_portal_admin(viewer):
        return True
    member_of, admin_of = _viewer_memberships(viewer)
    if membership.initiative_id in admin_of:
        return membership.status in _APPLIED_STATUSES
    from .models import Membership

    return membership.status == Membership.Status.APPROVED and membership.initiative_id in member_of


def can_view_phone(viewer, subject, *, initiatives) -> bool:
    """Whether a card shows ``subject``'s phone. ``initiatives`` are those the card shows the
    subject in (a member card: its memberships' initiatives, :func:`can_view_membership`; a
    group's directory or contacts: that group). The person and the portal admin always see
    it; others only when one of those initiatives' directory shows phone numbers
    (initiatives.features.directory_shows_phone)."""
    from initiatives.features import directory_shows_phone

    if not viewer.is_authenticated or not viewer.is_active:
        return False
    if viewer.pk == subject.pk or is_portal_admin(viewer):
        return True
    return any(directory_shows_phone(initiative) for initiative in initiatives)
