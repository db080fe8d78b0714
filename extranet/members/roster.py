"""A group's approved members in order, cached per initiative until its membership changes.

The feed's side panel («Администраторы», «Участники N» with the first few) and the directory's
unfiltered pages all need the same thing: who the approved members with active accounts are,
by name, administrators marked. At 5,000 members, sorting them by name in the database costs
tens of milliseconds on every request (issue 15's profile of the large data), while the list
itself changes only when somebody joins, leaves, changes role or renames. So it is computed
once — one query — and kept under the tag ``roster:<initiative id>`` (core.pagecache's tag
tokens: purged at once and again on commit, so a render that read the list just before a
change does not keep it).

Purged by the receivers below on a membership's save or deletion (any status or role), and on
an account's save that can change the order or the list (name, e-mail, ``is_active``; a sign-in
saves ``last_login`` only and keeps it). What a card shows beyond the order (photo, position,
organisation, phone) is read fresh for the people of the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save

from core.pagecache import TAG_ALL, purge, tagged_values

from .models import Membership

NAME = "group-roster"
# The fields of an account the order or the list depends on.
ORDER_FIELDS = frozenset({"first_name", "last_name", "email", "is_active"})


def tag(initiative_id: int) -> str:
    return f"roster:{initiative_id}"


@dataclass(frozen=True)
class Roster:
    """``by_name``: approved members' user ids by (last name, first name, e-mail);
    ``admin_ids``: those of them who are the group's administrators."""

    by_name: tuple[int, ...]
    admin_ids: frozenset[int]

    @property
    def count(self) -> int:
        return len(self.by_name)

    @property
    def admins(self) -> tuple[int, ...]:
        return tuple(pk for pk in self.by_name if pk in self.admin_ids)

    @property
    def directory_order(self) -> tuple[int, ...]:
        """The directory's order: administrators first, each part by name."""
        return self.admins + tuple(pk for pk in self.by_name if pk not in self.admin_ids)


def _compute(initiative_ids: list[int]) -> dict[int, Roster]:
    rows = (
        Membership.objects.filter(
            initiative_id__in=initiative_ids,
            status=Membership.Status.APPROVED,
            user__is_active=True,
        )
        .order_by("initiative_id", "user__last_name", "user__first_name", "user__email", "pk")
        .values_list("initiative_id", "user_id", "role")
    )
    ordered: dict[int, list[int]] = {pk: [] for pk in initiative_ids}
    admins: dict[int, set[int]] = {pk: set() for pk in initiative_ids}
    for initiative_id, user_id, role in rows:
        ordered[initiative_id].append(user_id)
        if role == Membership.Role.ADMIN:
            admins[initiative_id].add(user_id)
    return {
        pk: Roster(by_name=tuple(ordered[pk]), admin_ids=frozenset(admins[pk]))
        for pk in initiative_ids
    }


def roster_of(*, initiative) -> Roster:
    """The initiative's :class:`Roster`: from the cache, or one query."""
    pk = initiative.pk
    # TAG_ALL too: seed_demo's bulk inserts send no signals and purge it when done.
    return tagged_values((tag(pk), TAG_ALL), NAME, [pk], _compute)[pk]


# --- Purging ----------------------------------------------------------------------------------


def _membership_changed(sender, instance: Membership, raw=False, **kwargs) -> None:
    if not raw:
        purge(tag(instance.initiative_id))


def _account_changed(sender, instance, created=False, update_fields=None, raw=False, **kwargs):
    # A new account has no approved membership yet; a sign-in touches last_login only.
    if raw or created:
        return
    if update_fields is not None and not (ORDER_FIELDS & set(update_fields)):
        return
    initiative_ids = Membership.objects.filter(
        user_id=instance.pk, status=Membership.Status.APPROVED
    ).values_list("initiative_id", flat=True)
    purge(*(tag(pk) for pk in initiative_ids))


post_save.connect(_membership_changed, sender=Membership, dispatch_uid="members-roster-save")
post_delete.connect(_membership_changed, sender=Membership, dispatch_uid="members-roster-del")
post_save.connect(_account_changed, sender=get_user_model(), dispatch_uid="members-roster-user")
