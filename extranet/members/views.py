"""The personal cabinet: profile form, own memberships, own account actions. Thin views:
reads in selectors, writes in profiles/services."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import profiles, selectors
from .forms import ConfirmPasswordForm, ProfileForm
from .models import Membership, Profile
from .services import MembershipError, membership_end, membership_withdraw


def _initial(user, profile: Profile, initiative_slug: str | None) -> dict:
    return {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "organisation": profile.organisation.name if profile.organisation else "",
        "hide_organisation": profile.hide_organisation,
        "phone": profile.phone,
        "position": profile.position,
        "newsletter": profile.newsletter,
        "initiative": initiative_slug or None,
    }


@login_required
@require_http_methods(["GET", "POST"])
def cabinet(request):
    """The profile form of the mock-up and the user's memberships below it."""
    user = request.user
    profile = selectors.profile_of(user=user)
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                membership = profiles.profile_update(
                    user=user,
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    organisation_name=data["organisation"],
                    phone=data["phone"],
                    position=data["position"],
                    newsletter=data["newsletter"],
                    hide_organisation=data["hide_organisation"],
                    photo=data["photo"],
                    initiative=data["initiative"],
                    message=data["message"],
                )
            except MembershipError as exc:
                form.add_error("initiative", exc)
                user.refresh_from_db()
            else:
                if membership is not None:
                    messages.success(request, _("Saved. Wait for an administrator to confirm you."))
                else:
                    messages.success(request, _("Your profile has been saved."))
                return redirect("cabinet")
    else:
        form = ProfileForm(initial=_initial(user, profile, request.GET.get("initiative")))
    memberships = selectors.memberships_of(user=user)
    return TemplateResponse(
        request,
        "members/cabinet.html",
        {
            "form": form,
            "user_obj": user,
            "profile": profile,
            "memberships": memberships,
            "has_approved": any(m.status == Membership.Status.APPROVED for m in memberships),
        },
    )


def _own_membership(request, pk: int) -> Membership:
    # Someone else's membership is as good as absent: 404, never 403.
    return get_object_or_404(
        Membership.objects.select_related("initiative"), pk=pk, user=request.user
    )


@login_required
@require_POST
def membership_withdraw_view(request, pk: int):
    """The applicant takes back their pending application."""
    membership = _own_membership(request, pk)
    try:
        membership_withdraw(membership=membership)
    except MembershipError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your application has been withdrawn."))
    return redirect("cabinet")


@login_required
@require_http_methods(["GET", "POST"])
def membership_leave(request, pk: int):
    """Leave an initiative: a confirmation page, then a POST."""
    membership = _own_membership(request, pk)
    if membership.status != Membership.Status.APPROVED:
        messages.error(request, _("Only a member can leave or be removed."))
        return redirect("cabinet")
    if request.method == "POST":
        try:
            membership_end(membership=membership)
        except MembershipError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("You have left the initiative."))
        return redirect("cabinet")
    return TemplateResponse(request, "members/membership_leave.html", {"membership": membership})


@login_required
@require_GET
def account_data(request):
    """Everything we keep about the user, as a JSON download."""
    payload = json.dumps(
        profiles.account_export(user=request.user),
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
        indent=2,
    )
    response = HttpResponse(payload, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    """Delete the account after re-entering the password."""
    user = request.user
    form = ConfirmPasswordForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        logout(request)
        profiles.account_delete(user=user)
        messages.success(request, _("Your account and personal data have been deleted."))
        return redirect("/")
    return TemplateResponse(request, "members/account_delete.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def consent_withdraw(request):
    """Withdraw consent to personal data processing; the account is blocked."""
    if request.method == "POST":
        user = request.user
        logout(request)
        profiles.consent_withdraw(user=user)
        messages.success(
            request,
            _(
                "Your consent has been withdrawn and your account blocked. "
                "Write to the portal administrator to have it deleted or restored."
            ),
        )
        return redirect("/")
    return TemplateResponse(request, "members/consent_withdraw.html", {})
