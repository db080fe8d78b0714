"""The common group's people: the member directory, member cards, the list of groups and the
portal admin's «Изменить» for an initiative's administrators (issue 5, items 4 and 5).

Thin views: reads come from :mod:`.selectors`, role changes from :mod:`.services`, every
"may they" from :mod:`.permissions` (and whether the directory is switched on from
:mod:`initiatives.features`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from core.forms import IdChoiceField
from core.locales import originals
from initiatives.features import Service, require_service
from initiatives.models import InitiativePage

from . import permissions, selectors
from .group_tabs import group_home_url, group_tab_url
from .models import Membership
from .people import person_actions, person_cards
from .services import MembershipError, membership_role_change

DIRECTORY_PER_PAGE = 24


def _live_initiative(slug: str) -> InitiativePage:
    initiative = originals(InitiativePage.objects.live()).filter(slug=slug).first()
    if initiative is None:
        raise Http404
    return initiative


@login_required
@require_GET
def members(request, slug):
    """«Участники общей группы»: the initiative's approved members as cards, searchable by
    name, e-mail or organisation, 24 to a page; admins also get the «Unconfirmed (N)» tab."""
    initiative = _live_initiative(slug)
    require_service(initiative, Service.DIRECTORY)
    if not permissions.can_read_group(request.user, initiative):
        raise PermissionDenied
    query = (request.GET.get("q") or "").strip()[: selectors.DIRECTORY_QUERY_MAX]
    page_obj, rows = selectors.directory_page(
        initiative=initiative,
        query=query,
        number=request.GET.get("page"),
        per_page=DIRECTORY_PER_PAGE,
    )
    cards = person_cards(
        viewer=request.user,
        users=[m.user for m in rows],
        initiative=initiative,
        admin_ids=[m.user_id for m in rows if m.is_admin],
    )
    can_manage = permissions.can_manage_members(request.user, initiative)
    return TemplateResponse(
        request,
        "members/groups/members.html",
        {
            "initiative": initiative,
            "page_obj": page_obj,
            "cards": cards,
            "query": query,
            "members_only": not can_manage,
            "can_assign_admins": permissions.can_assign_group_admins(request.user, initiative),
            "pending_count": selectors.pending_count(initiative=initiative) if can_manage else None,
        },
    )


@login_required
@require_GET
def person(request, user_id: int):
    """A member's card («Написать сообщение», «Назад в группу») for those the privacy rule
    lets see the person's data; 404 for everyone else, as if the person did not exist."""
    subject = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if not permissions.can_view_person(request.user, subject):
        raise Http404
    shown = [
        m
        for m in selectors.person_memberships(subject=subject)
        if permissions.can_view_membership(request.user, m)
    ]
    back_url = _back_to_group(request, shown)
    profile = selectors.profile_of(user=subject)
    return TemplateResponse(
        request,
        "members/person.html",
        {
            "subject": subject,
            "profile": profile,
            # can_view_person is the privacy rule: the photo is the viewer's to see.
            "photo_url": reverse("profile_photo", args=[subject.pk]) if profile.photo else "",
            "memberships": shown,
            "is_admin": any(m.is_admin for m in shown),
            "show_phone": permissions.can_view_phone(
                request.user, subject, initiatives=[m.initiative for m in shown]
            ),
            "actions": person_actions(request.user, subject),
            "back_url": back_url,
        },
    )


def _back_to_group(request, memberships) -> str:
    """«Назад в группу»: the group the viewer came from (``?group=<slug>``) if the card shows
    it, else the first shared one: its feed, or its directory while the feed does not exist;
    the list of groups when there is none."""
    readable = [
        m.initiative for m in memberships if permissions.can_read_group(request.user, m.initiative)
    ]
    wanted = request.GET.get("group")
    readable.sort(key=lambda page: page.slug != wanted)
    for initiative in readable:
        url = group_home_url(initiative)
        if url:
            return url
    return reverse("groups_index") if permissions.can_open_groups_index(request.user) else ""


@dataclass(frozen=True)
class GroupRow:
    initiative: InitiativePage
    member_count: int
    pending_count: int | None
    feed_url: str
    members_url: str
    applications_url: str
    admins_url: str


@login_required
@require_GET
def groups_index(request):
    """«Общая группа»: the groups the user may read (the portal admin: every published
    initiative's), with member and pending counts and links; an empty state for the rest."""
    ids = permissions.readable_group_ids(request.user)
    initiatives = selectors.groups_overview(initiative_ids=ids) if ids is None or ids else []
    rows = []
    for initiative in initiatives:
        manages = permissions.can_manage_members(request.user, initiative)
        slug = {"slug": initiative.slug}
        rows.append(
            GroupRow(
                initiative=initiative,
                member_count=initiative.member_count,
                pending_count=initiative.pending_count if manages else None,
                feed_url=group_tab_url(initiative, "feed"),
                members_url=group_tab_url(initiative, "members"),
                applications_url=reverse("groups:applications", kwargs=slug) if manages else "",
                admins_url=(
                    reverse("groups:admins", kwargs=slug)
                    if permissions.can_assign_group_admins(request.user, initiative)
                    else ""
                ),
            )
        )
    return TemplateResponse(
        request,
        "members/groups/index.html",
        {
            "rows": rows,
            # None: every group (the portal admin), not only the ones the user belongs to.
            "all_groups": ids is None,
            "initiatives_url": "" if rows else _initiatives_url(request),
        },
    )


def _initiatives_url(request) -> str:
    """The public registry of initiatives (/initiatives/), where one applies to join."""
    from initiatives.models import InitiativeIndexPage

    index = InitiativeIndexPage.objects.live().first()
    return (index.get_url(request=request) if index is not None else "") or "/initiatives/"


# --- «Изменить»: the initiative's administrators (portal admin) ---------------------------------


class AdminAddForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput, initial="add")
    membership = IdChoiceField(
        label=_("Member"),
        queryset=Membership.objects.none(),
        empty_label=_("Choose a member"),
        error_messages={
            "required": _("Choose a member of this initiative."),
            "invalid_choice": _("Choose an approved member of this initiative."),
        },
    )

    def __init__(self, *args, initiative, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["membership"]
        field.queryset = selectors.admin_candidates(initiative=initiative)
        field.label_from_instance = lambda m: (
            f"{m.user.get_full_name() or m.user.email} ({m.user.email})"
        )


class AdminRemoveForm(forms.Form):
    membership = IdChoiceField(
        queryset=Membership.objects.none(),
        error_messages={
            "required": _("Choose an administrator of this initiative."),
            "invalid_choice": _("This person is not an administrator of this initiative."),
        },
    )

    def __init__(self, *args, initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = selectors.admin_memberships(initiative=initiative)


@login_required
@require_http_methods(["GET", "POST"])
def admins(request, slug):
    """The portal admin chooses the initiative's administrators: remove the role from a
    current one, or give it to an approved member. Both go through membership_role_change."""
    initiative = _live_initiative(slug)
    if not permissions.can_assign_group_admins(request.user, initiative):
        raise PermissionDenied
    add_form = AdminAddForm(initiative=initiative)
    remove_errors: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "add":
            add_form = AdminAddForm(request.POST, initiative=initiative)
            form, role = add_form, Membership.Role.ADMIN
        elif action == "remove":
            form = AdminRemoveForm(request.POST, initiative=initiative)
            role = Membership.Role.MEMBER
        else:
            form = None
            remove_errors.append(gettext("Unknown action."))
        if form is not None and form.is_valid():
            membership = form.cleaned_data["membership"]
            membership.initiative = initiative
            try:
                text = membership_role_change(membership=membership, role=role, by=request.user)
            except MembershipError as exc:
                form.add_error("membership", exc)
            else:
                messages.success(request, text)
                return redirect(reverse("groups:admins", kwargs={"slug": initiative.slug}))
        if isinstance(form, AdminRemoveForm):
            remove_errors.extend(form.errors.get("membership", []))
    return TemplateResponse(
        request,
        "members/groups/admins.html",
        {
            "initiative": initiative,
            "admin_memberships": list(selectors.admin_memberships(initiative=initiative)),
            "add_form": add_form,
            "remove_errors": remove_errors,
        },
    )
