"""«Письма»: the portal admin's log of outgoing e-mails (the outbox of ``core.email``) with
the failed ones first, and «Отправить снова» for a failed or sent one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.email import email_resend
from core.models import OutgoingEmail

from .permissions import can_view_emails
from .selectors import (
    EMAIL_STATUS_FILTERS,
    EmailFilters,
    email_kinds,
    failed_email_count,
    outgoing_emails,
)

EMAILS_PER_PAGE = 25
Status = OutgoingEmail.Status
RESENDABLE = (Status.FAILED, Status.SENT)
# The badge of each status in the log.
STATUS_VARIANTS = {
    Status.FAILED: "danger",
    Status.QUEUED: "warning",
    Status.SENDING: "neutral",
    Status.SENT: "success",
}


def _refuse(request):
    """A guest is sent to log in; anyone else but the portal admin is refused."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_view_emails(request.user):
        raise PermissionDenied
    return None


def emails_view(request):
    """The outbox newest first, filtered by status and kind, 25 a page (four queries: the
    kinds, the count, the page, the failed count the header reads too)."""
    refused = _refuse(request)
    if refused is not None:
        return refused
    kinds = email_kinds()
    filters = EmailFilters.from_query(request.GET, kinds=kinds)
    for error in filters.errors:
        messages.warning(request, error)
    page_obj = Paginator(outgoing_emails(filters=filters), EMAILS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    labels = {value: capfirst(label) for value, label in Status.choices}
    rows = [
        {
            "email": outgoing,
            "status_label": labels.get(outgoing.status, outgoing.status),
            "variant": STATUS_VARIANTS.get(outgoing.status, "neutral"),
            "resendable": outgoing.status in RESENDABLE,
        }
        for outgoing in page_obj.object_list
    ]
    return TemplateResponse(
        request,
        "dashboard/emails.html",
        {
            "filters": filters,
            "page_obj": page_obj,
            "rows": rows,
            "total": page_obj.paginator.count,
            "statuses": [(value, labels[value]) for value in EMAIL_STATUS_FILTERS],
            "kinds": [(kind, kind) for kind in kinds],
            "failed_count": failed_email_count(fresh=True),
            "back_url": request.get_full_path(),
        },
    )


@require_POST
def email_resend_view(request, pk: int):
    """«Отправить снова»: queue a failed or sent e-mail again; back to the log."""
    refused = _refuse(request)
    if refused is not None:
        return refused
    outgoing = get_object_or_404(OutgoingEmail.objects.defer("body", "html"), pk=pk)
    to = ", ".join(outgoing.to)
    if outgoing.status not in RESENDABLE:
        messages.error(
            request,
            _("The e-mail to %(to)s is still waiting to be sent; it cannot be sent again yet.")
            % {"to": to},
        )
    else:
        email_resend(outgoing=outgoing)
        failed_email_count(fresh=True)
        messages.success(
            request, _("The e-mail to %(to)s is queued to be sent again.") % {"to": to}
        )
    target = request.POST.get("next") or ""
    # Only a path: ``redirect`` would take a bare word («0») for a view name and fail.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(reverse("dashboard:emails"))
