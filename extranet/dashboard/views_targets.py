"""The portal admin's indicator targets at ``/cabinet/admin/indicators/targets/`` (issue 14,
seed 003's «целевые индикаторы»): ``?year=YYYY&initiative=<slug>`` (empty: the whole
platform) chooses what to set; each section's targetable figures show the year's actual value
beside the target's input.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .forms import TargetScopeForm, TargetsForm
from .indicators import indicators_forget, indicators_report, targetable_figures
from .periods import year_period
from .permissions import can_set_targets


def _query(year: int, slug: str) -> str:
    query = {"year": year}
    if slug:
        query["initiative"] = slug
    return urlencode(query)


def targets_view(request):
    """Shows (GET) and saves (POST, then back to the same year and scope) the targets."""
    if not request.user.is_authenticated:
        # As on the indicators pages: a guest logs in first, the signed-in are refused.
        return redirect_to_login(request.get_full_path())
    if not can_set_targets(request.user):
        raise PermissionDenied
    scope_form = TargetScopeForm(request.GET or None)
    if scope_form.is_bound and not scope_form.is_valid():
        # A year or initiative the chooser does not offer: a wrong address.
        raise Http404(_("No such year or initiative."))
    year, slug = scope_form.chosen()
    initiative = scope_form.chosen_initiative()
    report = indicators_report(initiative=initiative, period=year_period(year))
    sections = targetable_figures(report)
    form_kwargs = {"sections": sections, "initiative": initiative, "year": year}
    scope_title = initiative.title if initiative is not None else _("the whole platform")
    if request.method == "POST":
        form = TargetsForm(request.POST, **form_kwargs)
        if form.is_valid():
            form.save(by=request.user)
            # After the commit, so no process recomputes the report from the old targets.
            transaction.on_commit(indicators_forget)
            messages.success(
                request,
                _("Targets for %(year)s saved for %(scope)s.")
                % {"year": year, "scope": scope_title},
            )
            return redirect(reverse("dashboard:indicator_targets") + "?" + _query(year, slug))
    else:
        form = TargetsForm(**form_kwargs)
    report_query = {"period": "year", "year": year}
    if slug:
        report_query["initiative"] = slug
    return TemplateResponse(
        request,
        "dashboard/indicator_targets.html",
        {
            "scope_form": scope_form,
            "form": form,
            "year": year,
            "years": scope_form.fields["year"].choices,
            "initiative": initiative,
            "initiative_slug": slug,
            "initiative_choices": scope_form.initiative_choices(),
            "scope_title": scope_title,
            "action": reverse("dashboard:indicator_targets") + "?" + _query(year, slug),
            "indicators_url": reverse("dashboard:indicators") + "?" + urlencode(report_query),
        },
    )
