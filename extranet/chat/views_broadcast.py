"""«Сообщение всем» (seed 000, «Сообщения администратора»): /cabinet/admin/broadcast/ for the
portal admin. The request only stores the message and enqueues its delivery
(``broadcasts.broadcast_create``); the detail page shows the delivery's progress."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from core.locales import originals

from . import broadcasts, permissions
from .forms_broadcast import ERROR_FIELDS, BroadcastForm
from .models import Broadcast
from .services import ChatError

# The badge of each status.
STATUS_VARIANTS = {
    Broadcast.Status.QUEUED: "warning",
    Broadcast.Status.SENDING: "neutral",
    Broadcast.Status.DONE: "success",
    Broadcast.Status.FAILED: "danger",
}


def _refuse(request):
    """A guest is sent to log in; anyone else but the portal admin is refused (403)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.can_broadcast(request.user):
        raise PermissionDenied
    return None


def _rows(items):
    return [
        {"broadcast": item, "variant": STATUS_VARIANTS.get(item.status, "neutral")}
        for item in items
    ]


def broadcast_new(request):
    """The form (recipients, initiative, text) with how many it reaches, and the past
    messages with their status and «получили: N». A few queries: the counts, the
    initiatives, the list."""
    refused = _refuse(request)
    if refused is not None:
        return refused
    from initiatives.models import InitiativePage

    initiatives = list(originals(InitiativePage.objects.live()).only("pk"))
    counts = broadcasts.broadcast_audience_counts(sender=request.user, initiatives=initiatives)
    form = BroadcastForm(request.POST or None, counts=counts)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            broadcast = broadcasts.broadcast_create(
                sender=request.user,
                audience=data["audience"],
                initiative=data["initiative"],
                body=data["body"],
            )
        except ChatError as error:
            form.add_error(ERROR_FIELDS.get(error.code), error)
        else:
            messages.success(request, _("The message is queued; it is being delivered."))
            return redirect("chat_admin:broadcast_detail", pk=broadcast.pk)
    return TemplateResponse(
        request,
        "chat/broadcast.html",
        {
            "form": form,
            "reach": form.reach(),
            "counts_json": json.dumps(counts),
            "rows": _rows(broadcasts.broadcasts_recent()),
        },
    )


def broadcast_detail(request, pk: int):
    """One message to everyone: whom to, its text, status and how many received it. The
    page reloads itself while the delivery runs."""
    refused = _refuse(request)
    if refused is not None:
        return refused
    broadcast = get_object_or_404(Broadcast.objects.select_related("initiative", "sender"), pk=pk)
    return TemplateResponse(
        request,
        "chat/broadcast_detail.html",
        {
            "broadcast": broadcast,
            "variant": STATUS_VARIANTS.get(broadcast.status, "neutral"),
            "running": broadcast.status in (Broadcast.Status.QUEUED, Broadcast.Status.SENDING),
        },
    )
