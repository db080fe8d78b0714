"""State changes of a person's own account: profile, data export, deletion, consent.

Views call these; they hold the transactions and side effects (DESIGN.md: writes live in
services). Memberships go through :mod:`extranet.members.services`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import ProtectedError, Q, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .exports import absolute_url, account_export_sections
from .invitations import invitation_status
from .models import Consent, Invitation, Membership, Organisation, Profile, User
from .services import membership_apply

# Shown instead of the author of content whose author deleted their account (author=None).
DELETED_USER_LABEL = _("Deleted user")

# The purpose recorded with the consent given at sign-up.
SIGNUP_CONSENT_PURPOSE = "Регистрация и участие в кластерных инициативах"


def profile_get(*, user: User) -> Profile:
    """The user's profile, created empty on first use."""
    profile, _created = Profile.objects.get_or_create(user=user)
    return profile


def organisation_get_or_create(*, name: str) -> Organisation | None:
    """The organisation called ``name`` (case-insensitively), created as «other» if new."""
    name = " ".join(name.split())
    if not name:
        return None
    existing = Organisation.objects.filter(name__iexact=name).first()
    if existing is None:
        # SQLite folds the case of ASCII letters only («БГУ» vs «бгу»): compare in Python,
        # which only runs when a new name is about to be created.
        folded = name.casefold()
        existing = next(
            (o for o in Organisation.objects.only("pk", "name") if o.name.casefold() == folded),
            None,
        )
    if existing is not None:
        return Organisation.objects.get(pk=existing.pk)
    return Organisation.objects.create(name=name, kind=Organisation.Kind.OTHER)


@transaction.atomic
def profile_update(
    *,
    user: User,
    first_name: str,
    last_name: str,
    organisation_name: str,
    phone: Any,
    position: str,
    newsletter: bool,
    hide_organisation: bool,
    photo=None,
    initiative=None,
    message: str = "",
) -> Membership | None:
    """Save the cabinet's profile form; with ``initiative``, apply to it in the same
    transaction (a MembershipError rolls the whole save back). ``photo`` is an already
    processed ContentFile (see :func:`extranet.members.photos.photo_process`)."""
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.save(update_fields=["first_name", "last_name"])
    profile = profile_get(user=user)
    profile.organisation = organisation_get_or_create(name=organisation_name)
    profile.phone = phone or ""
    profile.position = position.strip()
    profile.newsletter = newsletter
    profile.hide_organisation = hide_organisation
    profile.save()
    membership = None
    if initiative is not None:
        membership = membership_apply(user=user, initiative=initiative, message=message)
    # The file is written last, so a refused application leaves no orphan file behind.
    if photo is not None:
        old_photo = profile.photo.name if profile.photo else None
        profile.photo.save(photo.name, photo, save=True)
        if old_photo:
            storage = profile.photo.storage
            transaction.on_commit(lambda: storage.delete(old_photo))
    return membership


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def _invitations_export(*, user: User) -> dict[str, list[dict[str, Any]]]:
    now = timezone.now()
    rows = (
        Invitation.objects.filter(
            Q(email__iexact=user.email) | Q(accepted_by=user) | Q(invited_by=user)
        )
        .select_related("initiative", "invited_by")
        .order_by("created_at", "pk")
    )
    received, sent = [], []
    for invitation in rows:
        item = {
            "initiative": invitation.initiative.title,
            "initiative_slug": invitation.initiative.slug,
            "status": invitation_status(invitation, now=now),
            "sent_at": _iso(invitation.created_at),
            "expires_at": _iso(invitation.expires_at),
            "accepted_at": _iso(invitation.accepted_at),
            "revoked_at": _iso(invitation.revoked_at),
        }
        if invitation.invited_by_id == user.pk:
            sent.append({**item, "email": invitation.email})
        if invitation.accepted_by_id == user.pk or invitation.email.lower() == user.email.lower():
            invited_by = invitation.invited_by
            received.append({**item, "invited_by": str(invited_by) if invited_by else ""})
    return {"invitations_received": received, "invitations_sent": sent}


def account_export(*, user: User) -> dict[str, Any]:
    """Everything the platform keeps about ``user``: what they entered or agreed to, the
    invitations to and from them, and the feature apps' sections (their posts, comments,
    files, ...: :mod:`extranet.members.exports`). A fixed number of queries."""
    profile = Profile.objects.filter(user=user).select_related("organisation").first()
    export = {
        "user": {
            "id": user.pk,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": _iso(user.last_login),
        },
        "profile": None
        if profile is None
        else {
            "organisation": profile.organisation.name if profile.organisation else "",
            "position": profile.position,
            "phone": str(profile.phone) if profile.phone else "",
            "has_photo": bool(profile.photo),
            "photo_url": absolute_url("profile_photo", user_id=user.pk) if profile.photo else "",
            "newsletter": profile.newsletter,
            "hide_organisation": profile.hide_organisation,
            "updated_at": profile.updated_at.isoformat(),
        },
        "memberships": [
            {
                "initiative": m.initiative.title,
                "initiative_slug": m.initiative.slug,
                "status": m.status,
                "role": m.role,
                "message": m.message,
                "applied_at": m.applied_at.isoformat(),
                "decided_at": _iso(m.decided_at),
                "decision_reason": m.decision_reason,
            }
            for m in Membership.objects.filter(user=user).select_related("initiative")
        ],
        "consents": [
            {
                "policy_version": c.policy_version,
                "purpose": c.purpose,
                "given_at": c.given_at.isoformat(),
                "withdrawn_at": _iso(c.withdrawn_at),
            }
            for c in Consent.objects.filter(user=user)
        ],
        **_invitations_export(user=user),
    }
    export.update(account_export_sections(user=user, taken=export.keys()))
    return export


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete ``user`` with everything that names them; content they wrote elsewhere stays
    with ``author=None`` (shown as «Удалённый пользователь»), as the privacy policy says.

    Cascades take the profile, memberships and consents; invitations they sent lose their
    ``invited_by`` (SET_NULL). Here, in the same transaction: every invitation addressed to
    them is deleted, accepted ones too (the membership it made goes with the account, so the
    row would keep only an address, or a date and an initiative that still single them out),
    and their organisation when no other profile names it (a sole trader's name is a
    person's). The photo file is removed after the commit."""
    profile = Profile.objects.filter(user=user).first()
    if profile is not None and profile.photo:
        storage, name = profile.photo.storage, profile.photo.name
        transaction.on_commit(lambda: storage.delete(name))
    organisation_id = profile.organisation_id if profile is not None else None
    Invitation.objects.filter(Q(email__iexact=user.email) | Q(accepted_by=user)).delete()
    user.delete()
    if organisation_id is not None:
        _organisation_delete_if_orphan(organisation_id=organisation_id)


def _organisation_delete_if_orphan(*, organisation_id: int) -> None:
    orphan = Organisation.objects.filter(pk=organisation_id, profiles__isnull=True)
    try:
        # A savepoint: something that PROTECTs the organisation keeps it, and the deletion.
        with transaction.atomic():
            orphan.delete()
    except (ProtectedError, RestrictedError):
        pass


def consent_give(
    *, user: User, purpose: str = SIGNUP_CONSENT_PURPOSE, policy_version: str | None = None
) -> Consent:
    """Record that ``user`` consents to personal data processing for ``purpose``."""
    return Consent.objects.create(
        user=user,
        purpose=purpose,
        policy_version=policy_version or settings.PRIVACY_POLICY_VERSION,
    )


@transaction.atomic
def consent_withdraw(*, user: User) -> int:
    """Mark the user's active consents withdrawn and block the account (is_active False).

    Returns the number of consents withdrawn."""
    count = Consent.objects.filter(user=user, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
    user.is_active = False
    user.save(update_fields=["is_active"])
    return count
