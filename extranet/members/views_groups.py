"""An initiative's admin screens: the applications queue and invitations (issue 4, 3-4).

Thin views: reads come from :mod:`.selectors`, changes from :mod:`.services` and
:mod:`.invitations`, every "may they" from :mod:`.permissions`.
"""

from __future__ import annotations

import logging

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.locales import originals
from initiatives.models import InitiativePage

from . import permissions, selectors
from .invitations import (
    InvitationError,
    InvitationStatus,
    invitation_create,
    invitation_revoke,
    invitation_send,
    invitation_status,
)
from .models import Invitation, Membership
from .people import prepare_person_actions
from .services import MembershipError, membership_approve, membership_reject

logger = logging.getLogger(__name__)

PER_PAGE = 20


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (shown to the applicant, optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=254)


def _initiative_for_manager(request, slug: str) -> InitiativePage:
    """The published initiative ``slug`` if the user may manage its members; else 404/403."""
    initiative = originals(InitiativePage.objects.live()).filter(slug=slug).first()
    if initiative is None:
        raise Http404
    if not permissions.can_manage_members(request.user, initiative):
        raise PermissionDenied
    return initiative


def _applications_url(initiative) -> str:
    return reverse("groups:applications", kwargs={"slug": initiative.slug})


def _pending_membership(initiative, membership_id: int) -> Membership:
    # Another initiative's membership (a forged id) is simply not found here, nor is a
    # blocked account's: the queue does not show it (selectors.applications_pending).
    return get_object_or_404(
        Membership, pk=membership_id, initiative=initiative, user__is_active=True
    )


@login_required
def applications(request, slug):
    """«Неподтвержденные (N)»: pending applicants' submitted data with the decision buttons,
    for each applicant the privacy rule lets the viewer see (one query for the page)."""
    initiative = _initiative_for_manager(request, slug)
    page_obj = Paginator(selectors.applications_pending(initiative=initiative), PER_PAGE).get_page(
        request.GET.get("page")
    )
    visible = permissions.people_with_visible_data(
        request.user, [m.user_id for m in page_obj.object_list]
    )
    # The cards' buttons («Написать») are looked up for this page's applicants at once.
    prepare_person_actions(request.user, [m.user_id for m in page_obj.object_list])
    return TemplateResponse(
        request,
        "members/groups/applications.html",
        {
            "initiative": initiative,
            "page_obj": page_obj,
            "visible": visible,
            "pending_count": page_obj.paginator.count,
        },
    )


@require_POST
@login_required
def application_approve(request, slug, membership_id):
    initiative = _initiative_for_manager(request, slug)
    membership = _pending_membership(initiative, membership_id)
    try:
        membership_approve(membership=membership, by=request.user)
    except MembershipError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, gettext("Application approved"))
    return redirect(_applications_url(initiative))


@login_required
def application_reject(request, slug, membership_id):
    """GET: a confirmation page with the optional reason; POST: reject."""
    initiative = _initiative_for_manager(request, slug)
    membership = _pending_membership(initiative, membership_id)
    if membership.status != Membership.Status.PENDING:
        messages.error(request, gettext("This application has already been decided."))
        return redirect(_applications_url(initiative))
    form = RejectForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            membership_reject(
                membership=membership, by=request.user, reason=form.cleaned_data["reason"]
            )
        except MembershipError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, gettext("Application rejected"))
        return redirect(_applications_url(initiative))
    return TemplateResponse(
        request,
        "members/groups/reject.html",
        {"initiative": initiative, "membership": membership, "form": form},
    )


@login_required
def invite(request, slug):
    """«Добавить участника»: invite by e-mail, and the initiative's invitations below."""
    initiative = _initiative_for_manager(request, slug)
    form = InviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, token = invitation_create(
                initiative=initiative, email=form.cleaned_data["email"], invited_by=request.user
            )
        except InvitationError as exc:
            form.add_error("email", exc)
        else:
            try:
                invitation_send(invitation=invitation, token=token)
            except Exception:  # the mail server's many failures; the admin may try again
                logger.exception("Could not send invitation %s", invitation.pk)
                invitation_revoke(invitation=invitation, by=request.user)
                form.add_error(
                    "email", gettext("The e-mail could not be sent. Please try again later.")
                )
            else:
                messages.success(
                    request,
                    gettext("Invitation sent to %(email)s") % {"email": invitation.email},
                )
                return redirect(reverse("groups:invite", kwargs={"slug": initiative.slug}))
    page_obj = Paginator(
        selectors.invitations_for_initiative(initiative=initiative), PER_PAGE
    ).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [
        {
            "invitation": item,
            "status": (status := invitation_status(item, now=now)),
            "status_label": InvitationStatus.LABELS[status],
            "revocable": status == InvitationStatus.PENDING,
        }
        for item in page_obj.object_list
    ]
    return TemplateResponse(
        request,
        "members/groups/invite.html",
        {
            "initiative": initiative,
            "form": form,
            "rows": rows,
            "page_obj": page_obj,
            "cancel_url": _applications_url(initiative),
        },
    )


@require_POST
@login_required
def invitation_revoke_view(request, slug, invitation_id):
    initiative = _initiative_for_manager(request, slug)
    invitation = get_object_or_404(Invitation, pk=invitation_id, initiative=initiative)
    try:
        invitation_revoke(invitation=invitation, by=request.user)
    except InvitationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, gettext("Invitation withdrawn"))
    return redirect(reverse("groups:invite", kwargs={"slug": initiative.slug}))
