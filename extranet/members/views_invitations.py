"""Accepting an invitation at /invitations/<token>/ (issue 4, item 4; issue 9, item 4)."""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext

from .invitations import (
    Addressee,
    InvitationError,
    InvitationStatus,
    email_masked,
    invitation_accept,
    invitation_addressee,
    invitation_by_token,
    invitation_status,
)
from .permissions import can_open_cabinet, is_member

_GONE = {
    InvitationStatus.ACCEPTED: "used",
    InvitationStatus.EXPIRED: "expired",
    InvitationStatus.REVOKED: "revoked",
}
# Refusals that the invitation page itself explains (with the way to the right account).
_NOT_ADDRESSEE = {"wrong_account": Addressee.OTHER, "unverified": Addressee.UNVERIFIED}


def _gone(request, invitation, reason: str):
    return TemplateResponse(
        request,
        "members/invitations/unavailable.html",
        {"invitation": invitation, "reason": reason},
        status=410,
    )


def _page(request, invitation, *, signed_in: bool, addressee: str | None, status: int = 200):
    initiative = invitation.initiative
    inviter = invitation.invited_by
    return TemplateResponse(
        request,
        "members/invitations/accept.html",
        {
            "invitation": invitation,
            "initiative": initiative,
            "inviter_name": (inviter.get_full_name() or inviter.email) if inviter else "",
            "invited_email": email_masked(invitation.email),
            "signed_in": signed_in,
            "already_member": signed_in and is_member(request.user, initiative),
            "addressee": addressee,
            "here": request.path,
            "next_query": urlencode({"next": request.path}),
        },
        status=status,
    )


def accept(request, token):
    """GET shows the invitation; POST (signed in with the invited address verified) accepts
    it. Unknown or malformed → 404, used / expired / revoked → 410 with an explanation,
    another account → 403 with the way to the right one."""
    invitation = invitation_by_token(token=token)
    if invitation is None:
        raise Http404
    status = invitation_status(invitation)
    if status in _GONE:
        return _gone(request, invitation, _GONE[status])
    initiative = invitation.initiative
    if not initiative.live:
        raise Http404
    signed_in = can_open_cabinet(request.user)
    if request.method == "POST":
        if not signed_in:
            return redirect(f"{reverse('account_login')}?{urlencode({'next': request.path})}")
        try:
            invitation_accept(token=token, user=request.user)
        except InvitationError as exc:
            if exc.code in _GONE.values():
                return _gone(request, invitation, exc.code)
            if exc.code == "unknown":
                raise Http404 from exc
            if exc.code in _NOT_ADDRESSEE:
                return _page(
                    request,
                    invitation,
                    signed_in=True,
                    addressee=_NOT_ADDRESSEE[exc.code],
                    status=403,
                )
            messages.info(request, exc.messages[0])
            return redirect("cabinet")
        messages.success(
            request,
            gettext("Welcome! You are now a member of %(initiative)s.")
            % {"initiative": initiative.title},
        )
        return redirect("cabinet")
    if signed_in:
        addressee = invitation_addressee(invitation=invitation, user=request.user)
    else:
        addressee = None
        # Whoever opens the mailed link read that mailbox: a sign-up with this very address
        # needs no second verification mail (allauth prefills the form from the stash and
        # marks the address verified; AccountAdapter.save_user drops it for another address).
        get_adapter(request).stash_verified_email(request, invitation.email)
    return _page(request, invitation, signed_in=signed_in, addressee=addressee)
