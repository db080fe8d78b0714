"""Accepting an invitation at /invitations/<token>/ (issue 4, item 4)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext

from .invitations import (
    InvitationError,
    InvitationStatus,
    invitation_accept,
    invitation_by_token,
    invitation_status,
)
from .permissions import can_open_cabinet, is_member

_GONE = {
    InvitationStatus.ACCEPTED: "used",
    InvitationStatus.EXPIRED: "expired",
    InvitationStatus.REVOKED: "revoked",
}


def _gone(request, invitation, reason: str):
    return TemplateResponse(
        request,
        "members/invitations/unavailable.html",
        {"invitation": invitation, "reason": reason},
        status=410,
    )


def accept(request, token):
    """GET shows the invitation; POST (signed in) accepts it. Unknown or malformed → 404,
    used / expired / revoked → 410 with an explanation."""
    invitation = invitation_by_token(token=token)
    if invitation is None:
        raise Http404
    status = invitation_status(invitation)
    if status in _GONE:
        return _gone(request, invitation, _GONE[status])
    initiative = invitation.initiative
    if not initiative.live:
        raise Http404
    here = request.path
    signed_in = can_open_cabinet(request.user)
    if request.method == "POST":
        if not signed_in:
            return redirect(f"{reverse('account_login')}?{urlencode({'next': here})}")
        try:
            invitation_accept(token=token, user=request.user)
        except InvitationError as exc:
            if exc.code in _GONE.values():
                return _gone(request, invitation, exc.code)
            if exc.code == "unknown":
                raise Http404 from exc
            messages.info(request, exc.messages[0])
            return redirect("cabinet")
        messages.success(
            request,
            gettext("Welcome! You are now a member of %(initiative)s.")
            % {"initiative": initiative.title},
        )
        return redirect("cabinet")
    inviter = invitation.invited_by
    return TemplateResponse(
        request,
        "members/invitations/accept.html",
        {
            "invitation": invitation,
            "initiative": initiative,
            "inviter_name": (inviter.get_full_name() or inviter.email) if inviter else "",
            "signed_in": signed_in,
            "already_member": signed_in and is_member(request.user, initiative),
            "next_query": urlencode({"next": here}),
        },
    )
