import csv
from io import BytesIO

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.forms import IdChoiceField
from extranet.members.models import Membership, Organisation
from extranet.members.services import MembershipError, membership_role_change

from .permissions import (
    can_change_roles,
    can_merge_organisations,
    can_view_all_users,
    can_view_initiatives_registry,
)
from .selectors import (
    USER_STATUS_FILTERS,
    UserFilters,
    all_users,
    initiative_add_url,
    initiative_choices,
    initiatives_registry,
    user_export_table,
    user_rows,
)
from .services import organisation_merge

USERS_PER_PAGE = 20


def initiatives_registry_view(request):
    """«Кабинет администратора портала → Кластерные инициативы» (seed 000)."""
    if not can_view_initiatives_registry(request.user):
        raise PermissionDenied
    return TemplateResponse(
        request,
        "dashboard/initiatives_registry.html",
        {"rows": initiatives_registry(), "add_url": initiative_add_url()},
    )


def _export_filename(extension: str) -> str:
    return f"users-{timezone.localdate():%Y-%m-%d}.{extension}"


def _users_csv(users, *, viewer) -> HttpResponse:
    headings, rows = user_export_table(users, viewer=viewer)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_export_filename("csv")}"'
    response.write("\ufeff")  # The BOM makes Excel read the file as UTF-8 (Cyrillic names).
    writer = csv.writer(response)
    writer.writerow(headings)
    writer.writerows(rows)
    return response


def _users_xlsx(users, *, viewer) -> HttpResponse:
    from openpyxl import Workbook

    headings, rows = user_export_table(users, viewer=viewer)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Users"))
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_export_filename("xlsx")}"'
    return response


def users_view(request):
    """«Кабинет администратора портала → Все пользователи» (seed 000): everyone's data (but a
    blocked account's, which the privacy rule refuses), filters, search, pagination, CSV/XLSX
    export and the initiative admin role switches."""
    if not can_view_all_users(request.user):
        raise PermissionDenied
    filters = UserFilters.from_query(request.GET)
    users = all_users(viewer=request.user, filters=filters)
    export = request.GET.get("format")
    if export == "csv":
        return _users_csv(users, viewer=request.user)
    if export == "xlsx":
        return _users_xlsx(users, viewer=request.user)
    page_obj = Paginator(users, USERS_PER_PAGE).get_page(request.GET.get("page"))
    status_labels = {
        "approved": _("Approved"),
        "pending": _("Pending"),
        "rejected": _("Rejected"),
        "none": _("No membership"),
        "blocked": _("Blocked (consent withdrawn)"),
    }
    return TemplateResponse(
        request,
        "dashboard/users.html",
        {
            "filters": filters,
            "page_obj": page_obj,
            "rows": user_rows(page_obj.object_list, viewer=request.user),
            "initiatives": initiative_choices(),
            "statuses": [(value, status_labels[value]) for value in USER_STATUS_FILTERS],
            "total": page_obj.paginator.count,
            "back_url": request.get_full_path(),
        },
    )


def _back(request, default: str):
    target = request.POST.get("next") or ""
    # Only a path: ``redirect`` would take a bare word («0») for a view name and fail.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


@require_POST
def membership_role_view(request, pk: int):
    """Give («admin») or take («member») an initiative's admin role; back to the list."""
    if not can_change_roles(request.user):
        raise PermissionDenied
    membership = get_object_or_404(Membership.objects.select_related("user", "initiative"), pk=pk)
    try:
        text = membership_role_change(
            membership=membership, role=request.POST.get("role", ""), by=request.user
        )
    except MembershipError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, text)
    return _back(request, reverse("dashboard:users"))


class OrganisationMergeForm(forms.Form):
    duplicates = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Duplicates (deleted after the merge)"),
        queryset=Organisation.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
    )
    target = IdChoiceField(
        label=gettext_lazy("Merge into"),
        queryset=Organisation.objects.order_by("name"),
    )

    def clean(self):
        cleaned = super().clean()
        target, duplicates = cleaned.get("target"), cleaned.get("duplicates")
        if (
            target is not None
            and duplicates is not None
            and not [org for org in duplicates if org.pk != target.pk]
        ):
            raise forms.ValidationError(
                _("Choose at least one organisation other than the one to merge into.")
            )
        return cleaned


def organisation_merge_view(request):
    """«Merge into…» for organisations (linked from Wagtail admin): profiles of the chosen
    duplicates move to the target, the duplicates are deleted."""
    if not can_merge_organisations(request.user):
        raise PermissionDenied
    done_url = reverse("members_organisation_modeladmin_index")
    if request.method == "POST":
        form = OrganisationMergeForm(request.POST)
        if form.is_valid():
            moved = organisation_merge(
                target=form.cleaned_data["target"], duplicates=form.cleaned_data["duplicates"]
            )
            messages.success(
                request,
                _("Organisations merged into «%(target)s»; %(count)s profiles moved.")
                % {"target": form.cleaned_data["target"].name, "count": moved},
            )
            return redirect(done_url)
    else:
        form = OrganisationMergeForm(initial={"duplicates": request.GET.getlist("duplicates")})
    return TemplateResponse(
        request, "dashboard/organisation_merge.html", {"form": form, "cancel_url": done_url}
    )
