"""The indicators pages (issue 14): the portal admin's ``/cabinet/admin/indicators/`` (the
platform or, with ``?initiative=<slug>``, one initiative) and an initiative admin's
``/cabinet/groups/<slug>/indicators/``; their table exports (CSV, XLSX) and the whole report
(XLSX, one sheet per section). Every view asks ``permissions`` first.
"""

from __future__ import annotations

import functools
import re

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.locales import originals
from initiatives.models import InitiativePage

from . import exports
from .indicators import indicators_report
from .periods import PeriodForm
from .permissions import (
    can_set_targets,
    can_view_initiative_indicators,
    can_view_platform_indicators,
    indicator_initiative_ids,
)


def _signed_in(view):
    """A guest is sent to log in first (the page is only ever refused to the signed-in)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


def _platform_scope(request) -> InitiativePage | None:
    """``?initiative=<slug>`` on the portal admin's page; an unknown slug is a 404."""
    slug = request.GET.get("initiative", "").strip()
    if not slug:
        return None
    # No page has such a slug; a NUL would fail in PostgreSQL's query instead of a 404.
    if not re.fullmatch(r"[-\w]+", slug):
        raise Http404
    return get_object_or_404(originals(InitiativePage.objects.live()), slug=slug)


def _group_scope(request, slug) -> InitiativePage:
    initiative = get_object_or_404(originals(InitiativePage.objects.live()), slug=slug)
    if not can_view_initiative_indicators(request.user, initiative):
        raise PermissionDenied
    return initiative


def _initiative_choices(user):
    """(slug, title) of the initiatives the viewer may switch to on the portal page."""
    ids = indicator_initiative_ids(user)
    qs = originals(InitiativePage.objects.live()).order_by("title")
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return list(qs.values_list("slug", "title"))


def _page(request, *, initiative, base_url: str, export_name: str, export_kwargs: dict):
    form = PeriodForm(request.GET or None)
    period = form.chosen()
    report = indicators_report(initiative=initiative, period=period)
    query = period.as_query()
    if initiative is not None and export_name.startswith("dashboard:"):
        query["initiative"] = initiative.slug
    query_string = urlencode(query)

    def export_url(table_key: str, fmt: str) -> str:
        url = reverse(
            f"{export_name}_export", kwargs={**export_kwargs, "table": table_key, "fmt": fmt}
        )
        return f"{url}?{query_string}"

    exports_by_table = {
        table.key: {"csv": export_url(table.key, "csv"), "xlsx": export_url(table.key, "xlsx")}
        for table in report.tables()
    }
    report_url = reverse(f"{export_name}_report", kwargs=export_kwargs) + f"?{query_string}"
    targets_url = ""
    if can_set_targets(request.user):
        targets_query = {"year": period.first.year}
        if initiative is not None:
            targets_query["initiative"] = initiative.slug
        targets_url = reverse("dashboard:indicator_targets") + "?" + urlencode(targets_query)
    return TemplateResponse(
        request,
        "dashboard/indicators.html",
        {
            "report": report,
            "period": period,
            "previous_period": period.previous(),
            "form": form,
            "initiative": initiative,
            "base_url": base_url,
            "initiative_choices": (
                _initiative_choices(request.user) if export_name.startswith("dashboard:") else []
            ),
            "exports": exports_by_table,
            "report_url": report_url,
            "targets_url": targets_url,
        },
    )


@_signed_in
def indicators_view(request):
    """«Показатели»: the whole platform, or one initiative with ``?initiative=<slug>``."""
    if not can_view_platform_indicators(request.user):
        raise PermissionDenied
    return _page(
        request,
        initiative=_platform_scope(request),
        base_url=reverse("dashboard:indicators"),
        export_name="dashboard:indicators",
        export_kwargs={},
    )


@_signed_in
def group_indicators_view(request, slug):
    """One initiative's indicators, for its admins (and the portal admin)."""
    initiative = _group_scope(request, slug)
    return _page(
        request,
        initiative=initiative,
        base_url=reverse("groups:indicators", kwargs={"slug": slug}),
        export_name="groups:indicators",
        export_kwargs={"slug": slug},
    )


def _table_response(request, *, initiative, table: str, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    period = PeriodForm(request.GET or None).chosen()
    report = indicators_report(initiative=initiative, period=period)
    found = report.table(table)
    if found is None:
        raise Http404(_("No such table."))
    name = exports.export_filename(report, found.key, fmt)
    if fmt == "csv":
        return exports.csv_response(found, filename=name)
    return exports.xlsx_response(exports.table_xlsx(found, report=report), filename=name)


def _report_response(request, *, initiative) -> HttpResponse:
    period = PeriodForm(request.GET or None).chosen()
    report = indicators_report(initiative=initiative, period=period)
    return exports.xlsx_response(
        exports.report_xlsx(report), filename=exports.export_filename(report, "report", "xlsx")
    )


@_signed_in
def indicators_export_view(request, table, fmt):
    if not can_view_platform_indicators(request.user):
        raise PermissionDenied
    return _table_response(request, initiative=_platform_scope(request), table=table, fmt=fmt)


@_signed_in
def indicators_report_view(request):
    if not can_view_platform_indicators(request.user):
        raise PermissionDenied
    return _report_response(request, initiative=_platform_scope(request))


@_signed_in
def group_indicators_export_view(request, slug, table, fmt):
    return _table_response(request, initiative=_group_scope(request, slug), table=table, fmt=fmt)


@_signed_in
def group_indicators_report_view(request, slug):
    return _report_response(request, initiative=_group_scope(request, slug))
