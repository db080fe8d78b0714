"""State changes around people and roles (DESIGN.md: writes with side effects live here)."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from initiatives.services import initiative_admin_sync

from . import events
from .models import Membership
from .permissions import EDITORS_GROUP, PORTAL_ADMINS_GROUP

# (app_label, codename) pairs each role group holds globally.
_COLLECTION_PERMS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]
_EDITOR_GLOBAL = [
    ("wagtailadmin", "access_admin"),
    *_COLLECTION_PERMS,
    ("wagtailimages", "delete_image"),
    ("wagtaildocs", "delete_document"),
    # English versions of pages (wagtail-localize's «Перевести»), and the search promotions.
    ("wagtail_localize", "submit_translation"),
    ("wagtailsearchpromotions", "add_searchpromotion"),
    ("wagtailsearchpromotions", "change_searchpromotion"),
    ("wagtailsearchpromotions", "delete_searchpromotion"),
]
_EDITOR_PAGE = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
_PORTAL_ADMIN_GLOBAL = [
    *_EDITOR_GLOBAL,
    ("home", "change_sitesettings"),
    ("wagtailredirects", "add_redirect"),
    ("wagtailredirects", "change_redirect"),
    ("wagtailredirects", "delete_redirect"),
]
_PORTAL_ADMIN_PAGE = [*_EDITOR_PAGE, "bulk_delete_page"]


def _permissions(pairs) -> list[Permission] | None:
    found = {
        (p.content_type.app_label, p.codename): p
        for p in Permission.objects.select_related("content_type").filter(
            codename__in=[codename for _app, codename in pairs]
        )
    }
    result = [found.get(pair) for pair in pairs]
    return None if None in result else result


def _submit_translation_permission_ensure() -> None:
    # wagtail-localize makes «Can submit translations» in a data migration (on a content type
    # of its own), which no post_migrate makes again after a flush (a transactional test).
    from django.contrib.contenttypes.models import ContentType

    content_type, _created = ContentType.objects.get_or_create(
        app_label="wagtail_localize", model="translation"
    )
    Permission.objects.get_or_create(
        content_type=content_type,
        codename="submit_translation",
        defaults={"name": "Can submit translations"},
    )


@transaction.atomic
def role_groups_ensure() -> bool:
    """Create or complete the editors' and portal admins' groups. Idempotent.

    Returns False when the permissions do not exist yet (early in a first ``migrate``);
    it runs again after every app's migrations, so the last run completes it.
    """
    _submit_translation_permission_ensure()
    root = Page.get_first_root_node()
    collection = Collection.get_first_root_node()
    page_perms = _permissions([("wagtailcore", c) for c in _PORTAL_ADMIN_PAGE])
    editor_global = _permissions(_EDITOR_GLOBAL)
    admin_global = _permissions(_PORTAL_ADMIN_GLOBAL)
    collection_perms = _permissions(_COLLECTION_PERMS)
    if None in (root, collection) or not all(
        (page_perms, editor_global, admin_global, collection_perms)
    ):
        return False
    page_by_code = {p.codename: p for p in page_perms}
    for name, global_perms, page_codes in (
        (EDITORS_GROUP, editor_global, _EDITOR_PAGE),
        (PORTAL_ADMINS_GROUP, admin_global, _PORTAL_ADMIN_PAGE),
    ):
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*global_perms)
        for code in page_codes:
            GroupPagePermission.objects.get_or_create(
                group=group, page=root, permission=page_by_code[code]
            )
        for permission in collection_perms:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=permission
            )
    return True


# --- Memberships ----------------------------------------------------------------------------


class MembershipError(ValidationError):
    """A membership change that is not allowed; the message is shown to the person as is."""


def _send_on_commit(signal, membership, **kwargs):
    transaction.on_commit(lambda: signal.send(sender=Membership, membership=membership, **kwargs))


@transaction.atomic
def membership_apply(*, user, initiative, message: str = "") -> Membership:
    """``user`` applies to ``initiative``; the initiative's admins decide later."""
    if not initiative.live:
        raise MembershipError(_("This initiative does not accept applications."), code="closed")
    if initiative.join_policy == initiative.JoinPolicy.INVITATION:
        raise MembershipError(
            _("This initiative admits members by invitation only."), code="invitation_only"
        )
    existing = (
        Membership.objects.select_for_update()
        .filter(user=user, initiative=initiative, status__in=Membership.ACTIVE_STATUSES)
        .first()
    )
    if existing is not None:
        if existing.status == Membership.Status.APPROVED:
            raise MembershipError(_("You are already a member of this initiative."), code="member")
        raise MembershipError(
            _("Your application to this initiative is already waiting for a decision."),
            code="pending",
        )
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                user=user, initiative=initiative, message=message.strip()[:1000]
            )
    except IntegrityError as exc:
        # Two submissions at once: the unique constraint lets only one through.
        raise MembershipError(
            _("Your application to this initiative is already waiting for a decision."),
            code="pending",
        ) from exc
    _send_on_commit(events.membership_applied, membership)
    return membership


def _decide(membership: Membership, *, status: str, by, reason: str = "") -> Membership:
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if locked.status != Membership.Status.PENDING:
        raise MembershipError(_("This application has already been decided."), code="decided")
    locked.status = status
    locked.decided_at = timezone.now()
    locked.decided_by = by
    locked.decision_reason = reason.strip()[:1000]
    fields = ["status", "decided_at", "decided_by", "decision_reason"]
    if status == Membership.Status.APPROVED:
        locked.approved_at = locked.decided_at
        fields.append("approved_at")
    locked.save(update_fields=fields)
    return locked


@transaction.atomic
def membership_approve(*, membership: Membership, by) -> Membership:
    """Approve a pending application; the applicant becomes a member."""
    approved = _decide(membership, status=Membership.Status.APPROVED, by=by)
    _send_on_commit(events.membership_approved, approved, actor=by)
    return approved


@transaction.atomic
def membership_reject(*, membership: Membership, by, reason: str = "") -> Membership:
    """Reject a pending application; the optional reason is shown to the applicant."""
    rejected = _decide(membership, status=Membership.Status.REJECTED, by=by, reason=reason)
    _send_on_commit(events.membership_rejected, rejected, actor=by, reason=rejected.decision_reason)
    return rejected


@transaction.atomic
def membership_withdraw(*, membership: Membership) -> Membership:
    """The applicant takes back a pending application."""
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if locked.status != Membership.Status.PENDING:
        raise MembershipError(_("Only a pending application can be withdrawn."), code="decided")
    locked.status = Membership.Status.WITHDRAWN
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_at"])
    _send_on_commit(events.membership_withdrawn, locked)
    return locked


@transaction.atomic
def membership_end(*, membership: Membership, by=None) -> Membership:
    """A member leaves (``by`` None) or an admin removes them; an admin role ends with it."""
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if locked.status != Membership.Status.APPROVED:
        raise MembershipError(_("Only a member can leave or be removed."), code="not_member")
    was_admin = locked.role == Membership.Role.ADMIN
    locked.status = Membership.Status.REMOVED
    locked.role = Membership.Role.MEMBER
    locked.decided_at = timezone.now()
    locked.decided_by = by
    locked.save(update_fields=["status", "role", "decided_at", "decided_by"])
    if was_admin:
        initiative_admin_sync(user=locked.user, initiative=locked.initiative, is_admin=False)
    _send_on_commit(events.membership_ended, locked, actor=by)
    return locked


@transaction.atomic
def membership_set_role(*, membership: Membership, role: str, by) -> Membership:
    """Give or take the initiative admin role; Wagtail's page permissions follow."""
    if role not in Membership.Role.values:
        raise MembershipError(_("Unknown role."), code="role")
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if locked.status != Membership.Status.APPROVED:
        raise MembershipError(
            _("Only an approved member can be made an administrator."), code="not_member"
        )
    if locked.role != role:
        locked.role = role
        locked.save(update_fields=["role"])
        _send_on_commit(events.membership_role_changed, locked, actor=by, role=role)
    initiative_admin_sync(
        user=locked.user, initiative=locked.initiative, is_admin=role == Membership.Role.ADMIN
    )
    return locked


def membership_role_change(*, membership: Membership, role: str, by) -> str:
    """The one path of every role change (the dashboard's switches, the group's
    «Изменить», Wagtail admin's «Memberships»): checks that ``by`` may assign the role, sets
    it through :func:`membership_set_role` and returns the confirmation to show. Raises
    PermissionDenied, or MembershipError (nothing changed) for a refused change."""
    from django.utils.translation import gettext

    from .permissions import can_assign_group_admins

    if not can_assign_group_admins(by, membership.initiative):
        raise PermissionDenied
    changed = membership_set_role(membership=membership, role=role, by=by)
    if changed.role == Membership.Role.ADMIN:
        text = gettext("%(name)s is now an administrator of «%(initiative)s».")
    else:
        text = gettext("%(name)s is no longer an administrator of «%(initiative)s».")
    name = changed.user.get_full_name() or changed.user.email
    return text % {"name": name, "initiative": changed.initiative.title}
