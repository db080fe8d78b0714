"""Purge the guests' cached pages when the participating organisations they list change.

The initiative pages, their index and the home page list the organisations of approved,
active members who do not hide theirs (``selectors._public_organisation_memberships``). A
membership decision purges them only when it changes that list: when no other such member
of the initiative lists the same organisation. Approving the tenth person of a company
listed already changes nothing a guest sees, so it keeps the cache (an initiative admin
approving a queue of applications would otherwise empty it with every click).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save

from core.pagecache import purge, purge_on_change

from .models import Membership, Organisation, Profile
from .selectors import _public_organisation_memberships

TAG = "organisations"


def _membership_changed(sender, instance: Membership, raw=False, **kwargs) -> None:
    if raw:
        return
    organisation_id = (
        Profile.objects.filter(user_id=instance.user_id)
        .values_list("organisation_id", flat=True)
        .first()
    )
    if organisation_id is None:
        return
    listed_by_others = (
        _public_organisation_memberships()
        .filter(
            initiative_id=instance.initiative_id, user__profile__organisation_id=organisation_id
        )
        .exclude(pk=instance.pk)
        .exists()
    )
    if not listed_by_others:
        purge(TAG)


def _account_changed(sender, instance, created=False, update_fields=None, raw=False, **kwargs):
    # A sign-in saves last_login only; a deactivated account's organisation leaves the pages.
    if raw or created:
        return
    if update_fields is None or "is_active" in update_fields:
        purge(TAG)


def _profile_changed(sender, instance: Profile, created=False, raw=False, **kwargs) -> None:
    # A new account's profile is listed nowhere yet; an edit matters to an approved member.
    if raw or created:
        return
    approved = Membership.objects.filter(
        user_id=instance.user_id, status=Membership.Status.APPROVED
    ).exists()
    if approved:
        purge(TAG)


post_save.connect(_membership_changed, sender=Membership, dispatch_uid="members-pagecache-save")
post_delete.connect(_membership_changed, sender=Membership, dispatch_uid="members-pagecache-del")
post_save.connect(_account_changed, sender=get_user_model(), dispatch_uid="members-pagecache-user")
# A member's organisation or «hide my organisation»; an organisation's name, kind or website.
post_save.connect(_profile_changed, sender=Profile, dispatch_uid="members-pagecache-profile")
purge_on_change(Organisation, lambda instance: [TAG])
