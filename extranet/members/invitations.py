"""Invitations by e-mail: create, send, revoke and accept (issue 4, item 4).

Only the SHA-256 of a token is stored; the token itself exists in the e-mail alone. Accepting
makes the person an approved member at once (the inviting admin already decided). An invitation
is for its address, not for whoever holds the link (issue 9, item 4): only an account that has
verified that address may accept it.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.email import send_templated_email

from . import events
from .models import Invitation, Membership, User
from .services import membership_approve

# secrets.token_urlsafe(32) gives 43 characters of the URL-safe base64 alphabet.
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{43}")


class InvitationError(ValidationError):
    """An invitation action that is not possible; the message is shown to the person as is.

    Codes: ``closed``, ``member``, ``pending_invitation``, ``rate_limit`` (create);
    ``unknown``, ``used``, ``expired``, ``revoked`` (accept, revoke); ``wrong_account`` (the
    account lacks the invited address), ``unverified`` (it has it, not yet verified) (accept).
    """


class Addressee:
    """How a signed-in account stands to the address an invitation was sent to."""

    VERIFIED = "verified"
    UNVERIFIED = "unverified"
    OTHER = "other"


class InvitationStatus:
    PENDING = "pending"
    ACCEPTED = "accepted"
    EXPIRED = "expired"
    REVOKED = "revoked"

    LABELS = {
        PENDING: _("Pending"),
        ACCEPTED: _("Accepted"),
        EXPIRED: _("Expired"),
        REVOKED: _("Revoked"),
    }


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_is_well_formed(token: str) -> bool:
    return bool(TOKEN_RE.fullmatch(token or ""))


def invitation_status(invitation: Invitation, *, now: datetime.datetime | None = None) -> str:
    """pending / accepted / expired / revoked (accepted and revoked win over expired)."""
    if invitation.accepted_at is not None:
        return InvitationStatus.ACCEPTED
    if invitation.revoked_at is not None:
        return InvitationStatus.REVOKED
    if invitation.expires_at <= (now or timezone.now()):
        return InvitationStatus.EXPIRED
    return InvitationStatus.PENDING


def invitation_by_token(*, token: str) -> Invitation | None:
    """The invitation a token opens, or None for a malformed or unknown token."""
    if not token_is_well_formed(token):
        return None
    return (
        Invitation.objects.select_related("initiative", "invited_by")
        .filter(token_hash=token_hash(token))
        .first()
    )


def invitation_addressee(*, invitation: Invitation, user: User) -> str:
    """Whether ``user`` has the invited address verified, unverified, or not at all (any of
    their allauth addresses, compared case-insensitively as logins are)."""
    from allauth.account.models import EmailAddress

    states = set(
        EmailAddress.objects.filter(user=user, email__iexact=invitation.email).values_list(
            "verified", flat=True
        )
    )
    if True in states:
        return Addressee.VERIFIED
    return Addressee.UNVERIFIED if states else Addressee.OTHER


def email_masked(email: str) -> str:
    """``a…@example.org``: enough for the addressee to recognise their address on the
    invitation page, while a leaked link does not spell it out."""
    local, _at, domain = email.rpartition("@")
    return f"{local[:1]}…@{domain}" if local else email


def invitation_url(token: str) -> str:
    return settings.SITE_URL + reverse("invitations:accept", kwargs={"token": token})


_UNAVAILABLE = {
    InvitationStatus.ACCEPTED: (_("This invitation has already been used."), "used"),
    InvitationStatus.EXPIRED: (_("This invitation has expired."), "expired"),
    InvitationStatus.REVOKED: (_("This invitation has been withdrawn."), "revoked"),
}


@transaction.atomic
def invitation_create(*, initiative, email: str, invited_by: User) -> tuple[Invitation, str]:
    """Create an invitation of ``email`` to ``initiative``; returns it and the plain token.

    Refused (InvitationError) when the initiative is not published, the address belongs to an
    approved member, a pending unexpired invitation to it exists, or ``invited_by`` has sent
    ``settings.INVITATIONS_PER_ADMIN_PER_HOUR`` invitations in the last hour.
    """
    email = User.objects.normalize_email((email or "").strip())
    now = timezone.now()
    if not initiative.live:
        raise InvitationError(_("This initiative does not accept members."), code="closed")
    # Lock the admin's row so two requests at once cannot both pass the rate limit.
    User.objects.select_for_update().filter(pk=invited_by.pk).first()
    sent = Invitation.objects.filter(
        invited_by=invited_by, created_at__gte=now - datetime.timedelta(hours=1)
    ).count()
    if sent >= settings.INVITATIONS_PER_ADMIN_PER_HOUR:
        raise InvitationError(
            _("You have sent too many invitations in the last hour. Please try again later."),
            code="rate_limit",
        )
    if Membership.objects.filter(
        initiative=initiative, status=Membership.Status.APPROVED, user__email__iexact=email
    ).exists():
        raise InvitationError(
            _("This person is already a member of the initiative."), code="member"
        )
    if Invitation.objects.filter(
        initiative=initiative,
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=now,
    ).exists():
        raise InvitationError(
            _("An invitation to this address is already waiting to be accepted."),
            code="pending_invitation",
        )
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        initiative=initiative,
        email=email,
        token_hash=token_hash(token),
        invited_by=invited_by,
        expires_at=now + datetime.timedelta(days=settings.INVITATION_EXPIRY_DAYS),
    )
    transaction.on_commit(
        lambda: events.member_invited.send(
            sender=Invitation, invitation=invitation, actor=invited_by
        )
    )
    return invitation, token


def invitation_send(*, invitation: Invitation, token: str) -> None:
    """E-mail the invitation link (``{SITE_URL}/invitations/<token>/``) to its address.

    The recipient's language is unknown, so the message is in the site's default language
    and the link is the unprefixed one.
    """
    initiative = invitation.initiative
    inviter = invitation.invited_by
    with translation.override(settings.LANGUAGE_CODE):
        send_templated_email(
            to=[invitation.email],
            subject=gettext("Invitation to join %(initiative)s") % {"initiative": initiative.title},
            template="members/emails/invitation",
            kind="invitation",
            context={
                "invitation": invitation,
                "initiative": initiative,
                "inviter_name": (inviter.get_full_name() or inviter.email) if inviter else "",
                "url": invitation_url(token),
                "expires_at": invitation.expires_at,
            },
        )


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: User) -> Invitation:
    """Withdraw an invitation not yet accepted; revoking twice changes nothing."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted_at is not None:
        raise InvitationError(_("This invitation has already been used."), code="used")
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
    return locked


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> Membership:
    """``user`` accepts the invitation ``token`` opens and becomes an approved member.

    The token works once (the row is locked and marked accepted in this transaction). Only an
    account with the invited address verified may accept ("wrong_account" / "unverified"
    otherwise): the link alone proves nothing once it is forwarded or leaked. Who accepted is
    recorded. A pending application is approved (decided by the inviter); otherwise an
    approved membership is created directly. ``events.membership_approved`` follows on
    commit, actor the inviter.
    """
    if not token_is_well_formed(token):
        raise InvitationError(_("This invitation does not exist."), code="unknown")
    invitation = Invitation.objects.select_for_update().filter(token_hash=token_hash(token)).first()
    if invitation is None:
        raise InvitationError(_("This invitation does not exist."), code="unknown")
    now = timezone.now()
    status = invitation_status(invitation, now=now)
    if status in _UNAVAILABLE:
        message, code = _UNAVAILABLE[status]
        raise InvitationError(message, code=code)
    initiative = invitation.initiative
    if not initiative.live:
        raise InvitationError(_("This initiative does not accept members."), code="closed")
    addressee = invitation_addressee(invitation=invitation, user=user)
    if addressee == Addressee.OTHER:
        raise InvitationError(
            _("This invitation was sent to another e-mail address."), code="wrong_account"
        )
    if addressee == Addressee.UNVERIFIED:
        raise InvitationError(
            _("Confirm your e-mail address to accept this invitation."), code="unverified"
        )
    inviter = invitation.invited_by
    existing = (
        Membership.objects.select_for_update()
        .filter(user=user, initiative=initiative, status__in=Membership.ACTIVE_STATUSES)
        .first()
    )
    if existing is not None and existing.status == Membership.Status.APPROVED:
        raise InvitationError(_("You are already a member of this initiative."), code="member")
    if existing is not None:
        membership = membership_approve(membership=existing, by=inviter)
        membership.source = Membership.Source.INVITATION
        membership.save(update_fields=["source"])
    else:
        try:
            with transaction.atomic():
                membership = Membership.objects.create(
                    user=user,
                    initiative=initiative,
                    status=Membership.Status.APPROVED,
                    source=Membership.Source.INVITATION,
                    decided_at=now,
                    approved_at=now,
                    decided_by=inviter,
                )
        except IntegrityError as exc:
            # A parallel application or acceptance got there first.
            raise InvitationError(
                _("You are already a member of this initiative."), code="member"
            ) from exc
        transaction.on_commit(
            lambda: events.membership_approved.send(
                sender=Membership, membership=membership, actor=inviter
            )
        )
    invitation.accepted_at = now
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership
