"""«Участники» in Wagtail admin (wagtail-modeladmin): users, memberships and organisations;
and the portal admin's links in the site's header (register_nav_links).

Only portal admins see these registries (personal data); editors get neither the menu nor the
URLs. A membership's role changes only through ``membership_role_change`` so the initiative's
Wagtail group follows; organisations are merged by the dashboard's «Merge into…» view.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register
from wagtail_modeladmin.views import EditView, IndexView

from extranet.members.models import Membership, Organisation, User
from extranet.members.people import profile_of
from extranet.members.permissions import (
    administered_initiatives,
    people_with_visible_data,
    without_blocked_people,
)
from extranet.members.services import MembershipError, membership_role_change
from extranet.members.templatetags.cabinet_tags import NAV_LINKS_HOOK

from . import admin_panel  # noqa: F401  (registers the Wagtail dashboard's summary panel)
from .permissions import (
    can_change_roles,
    can_merge_organisations,
    can_view_all_users,
    can_view_emails,
    can_view_initiatives_registry,
    can_view_platform_indicators,
)
from .selectors import (
    account_status,
    failed_email_count,
    phone_text,
    spreadsheet_safe,
    users_search,
)


class PortalAdminPermissionHelper(PermissionHelper):
    """Lists and inspection for portal admins only; no adding, editing or deleting."""

    def user_can_list(self, user):
        return can_view_all_users(user)

    def user_can_inspect_obj(self, user, obj):
        return self.inspect_view_enabled and can_view_all_users(user)

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class MembershipPermissionHelper(PortalAdminPermissionHelper):
    """The «edit» of a membership is its role, for approved members only."""

    def user_can_edit_obj(self, user, obj):
        return can_change_roles(user) and obj.status == Membership.Status.APPROVED


class OrganisationPermissionHelper(PortalAdminPermissionHelper):
    """Organisations are named and typed by the portal admin; deleting happens by merging."""

    def user_can_edit_obj(self, user, obj):
        return can_merge_organisations(user)


class OrganisationButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        if can_merge_organisations(self.request.user):
            url = reverse("dashboard:organisation_merge") + "?" + urlencode({"duplicates": obj.pk})
            buttons.append(
                {
                    "url": url,
                    "label": _("Merge into…"),
                    "classname": self.finalise_classname(classnames_add, classnames_exclude),
                    "title": _("Merge %(object)s into another organisation") % {"object": obj},
                }
            )
        return buttons


class SafeExportIndexView(IndexView):
    """The list whose CSV and XLSX exports quote text a spreadsheet would run as a formula,
    the same way as the cabinet's export (only the «phone» column keeps a valid number's «+»).
    The empty cell's «-» stays as it is: it runs as nothing."""

    def to_row_dict(self, item):
        empty = self.model_admin.get_empty_value_display()
        return {
            key: spreadsheet_safe(value, is_phone=key == "phone")
            if isinstance(value, str) and value != empty
            else value
            for key, value in super().to_row_dict(item).items()
        }


def _mark_personal_data(viewer, users) -> list:
    """``users`` as a list, each knowing whether ``viewer`` may see its profile data (the
    privacy rule, asked once for all: a blocked account's is refused to the portal admin)."""
    users = list(users)
    visible = people_with_visible_data(viewer, [user.pk for user in users])
    for user in users:
        user.shows_personal_data = user.pk in visible
    return users


class UserIndexView(SafeExportIndexView):
    """The users list and exports: the cabinet's search, and the profile columns only for
    people the privacy rule lets the viewer see (name, e-mail and status for the others)."""

    def get_search_results(self, request, queryset, search_term):
        return users_search(queryset, viewer=request.user, q=search_term)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The same (evaluated) list the result rows are drawn from.
        page_obj = context["page_obj"]
        page_obj.object_list = _mark_personal_data(self.request.user, page_obj.object_list)
        context["object_list"] = page_obj.object_list
        return context

    def as_spreadsheet(self, queryset, spreadsheet_format):
        users = _mark_personal_data(self.request.user, queryset)
        return super().as_spreadsheet(users, spreadsheet_format)


class MembershipRoleEditView(EditView):
    """Saves the role through ``membership_role_change`` (the Wagtail group follows)."""

    def form_valid(self, form):
        try:
            text = membership_role_change(
                membership=self.instance, role=form.cleaned_data["role"], by=self.request.user
            )
        except MembershipError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, text)
        return redirect(self.get_success_url())


def _shown_profile(user):
    """The profile whose data the list may show (see ``UserIndexView``), or None."""
    return profile_of(user) if getattr(user, "shows_personal_data", False) else None


class UserModelAdmin(ModelAdmin):
    model = User
    menu_label = gettext_lazy("Users")
    menu_icon = "user"
    permission_helper_class = PortalAdminPermissionHelper
    index_view_class = UserIndexView
    inspect_view_enabled = True
    list_display = ("full_name", "email", "phone", "organisation", "date_joined", "status")
    list_export = [
        "full_name",
        "email",
        "phone",
        "organisation",
        "position",
        "date_joined",
        "status",
    ]
    export_filename = "users"
    list_filter = ("memberships__initiative", "memberships__status", "is_active")
    list_select_related = ("profile__organisation",)
    search_fields = ("first_name", "last_name", "email", "profile__organisation__name")
    inspect_view_fields = [
        "email",
        "first_name",
        "last_name",
        "is_active",
        "date_joined",
        "last_login",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("profile__organisation").distinct()

    @staticmethod
    def full_name(obj):
        return obj.get_full_name() or obj.email

    full_name.short_description = gettext_lazy("name")

    @staticmethod
    def phone(obj):
        profile = _shown_profile(obj)
        return phone_text(profile.phone) if profile else ""

    phone.short_description = gettext_lazy("contact number")

    @staticmethod
    def organisation(obj):
        profile = _shown_profile(obj)
        return profile.organisation.name if profile and profile.organisation else ""

    organisation.short_description = gettext_lazy("organisation")

    @staticmethod
    def position(obj):
        profile = _shown_profile(obj)
        return profile.position if profile else ""

    position.short_description = gettext_lazy("position")

    @staticmethod
    def status(obj):
        return account_status(obj)

    status.short_description = gettext_lazy("status")


class MembershipModelAdmin(ModelAdmin):
    model = Membership
    menu_label = gettext_lazy("Memberships")
    menu_icon = "group"
    permission_helper_class = MembershipPermissionHelper
    edit_view_class = MembershipRoleEditView
    index_view_class = SafeExportIndexView
    inspect_view_enabled = True
    panels = [FieldPanel("role")]
    list_display = ("user", "initiative", "status", "role", "applied_at", "decided_at")
    list_export = ["user", "user_email", "initiative", "status", "role", "applied_at", "decided_at"]
    export_filename = "memberships"
    list_filter = ("initiative", "status", "role")
    list_select_related = ("user", "initiative")
    search_fields = ("user__first_name", "user__last_name", "user__email")

    def get_queryset(self, request):
        return without_blocked_people(super().get_queryset(request))

    @staticmethod
    def user_email(obj):
        return obj.user.email

    user_email.short_description = gettext_lazy("e-mail")


class OrganisationModelAdmin(ModelAdmin):
    model = Organisation
    menu_label = gettext_lazy("Organisations")
    menu_icon = "site"
    permission_helper_class = OrganisationPermissionHelper
    button_helper_class = OrganisationButtonHelper
    index_view_class = SafeExportIndexView
    inspect_view_enabled = True
    panels = [FieldPanel("name"), FieldPanel("kind"), FieldPanel("website")]
    list_display = ("name", "kind", "website", "created_at")
    list_export = ["name", "kind", "website", "created_at"]
    export_filename = "organisations"
    list_filter = ("kind",)
    search_fields = ("name", "website")


@modeladmin_register
class ParticipantsGroup(ModelAdminGroup):
    menu_label = gettext_lazy("Participants")
    menu_icon = "group"
    menu_order = 250
    items = (UserModelAdmin, MembershipModelAdmin, OrganisationModelAdmin)


@hooks.register(NAV_LINKS_HOOK)
def portal_admin_nav_links(user):
    """Seed 000's portal-admin header: «Все пользователи», «Кластерные инициативы»; and
    «Письма», with «(N ошибок)» while e-mails failed for good (counted once a minute)."""
    links = []
    if can_view_all_users(user):
        links.append((_("All users"), reverse("dashboard:users")))
    if can_view_initiatives_registry(user):
        links.append((_("Cluster initiatives"), reverse("dashboard:initiatives")))
    if can_view_platform_indicators(user):
        links.append((_("Indicators"), reverse("dashboard:indicators")))
    if can_view_emails(user):
        failed = failed_email_count()
        label = (
            ngettext("E-mails (%(count)s failed)", "E-mails (%(count)s failed)", failed)
            % {"count": failed}
            if failed
            else _("E-mails")
        )
        links.append((label, reverse("dashboard:emails")))
    else:
        # An initiative admin's own indicators (the portal admin reaches all from one page).
        for title, slug in administered_initiatives(user):
            links.append(
                (
                    _("Indicators: %(initiative)s") % {"initiative": title},
                    reverse("groups:indicators", kwargs={"slug": slug}),
                )
            )
    return links
