"""The events pages: the list and month calendar, one event, the year's plan and its XLSX.

Thin: the reads are in ``selectors``, who may do what in ``permissions``, the registration
box's state in ``views_registration.registration_context`` (the registration helper's).
Every GET parameter is forgiving: an unknown slug gives an empty list with a way back, a
broken month or page number is read as the current one; none of them fails the page.
"""

from __future__ import annotations

from io import BytesIO

from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.utils.translation import gettext as _

from core.locales import canonical, localize, originals
from initiatives.models import InitiativePage

from . import permissions, selectors


def _query(request, **changes) -> str:
    """The current query string with ``changes`` (None drops a key); «?» when empty."""
    params: QueryDict = request.GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode() if params else "?"


def event_list(request, *, index_page):
    filters = selectors.EventFilters.from_query(request.GET)
    base = index_page.get_url(request=request)
    context = {
        "filters": filters,
        "filter_options": selectors.filter_options(),
        "tabs": [
            {
                "label": _("Upcoming"),
                "url": base + _query(request, tab=None, page=None, view=None, month=None),
                "active": filters.view == selectors.LIST and filters.tab == selectors.UPCOMING,
            },
            {
                "label": _("Past"),
                "url": base + _query(request, tab=selectors.PAST, page=None, view=None, month=None),
                "active": filters.view == selectors.LIST and filters.tab == selectors.PAST,
            },
            {
                "label": _("Calendar"),
                "url": base + _query(request, tab=None, page=None, view=selectors.CALENDAR),
                "active": filters.view == selectors.CALENDAR,
            },
        ],
    }
    if filters.view == selectors.CALENDAR:
        month, understood = selectors.parse_month(
            request.GET.get("month", ""), default=selectors.today()
        )
        cal = selectors.month_calendar(month=month, filters=filters)
        context |= {
            "calendar": cal,
            "month_understood": understood,
            "previous_url": base + _query(request, month=cal.previous.strftime("%Y-%m")),
            "next_url": base + _query(request, month=cal.next.strftime("%Y-%m")),
            "this_month_url": base + _query(request, month=None),
        }
    else:
        events = selectors.event_list(filters=filters)
        page_obj = Paginator(events, index_page.PAGE_SIZE).get_page(request.GET.get("page"))
        # In English, the English versions of the events that have one.
        page_obj.object_list = localize(page_obj.object_list, queryset=selectors.events_loaded())
        context["page_obj"] = page_obj
    return index_page.render(request, context_overrides=context)


def _registration_context(request, event) -> dict:
    """The registration helper's box state; without their module, a box-less page."""
    try:
        from . import views_registration
    except ImportError:
        is_organiser = permissions.can_manage_event(request.user, event)
        return {
            "registration_box": False,
            "show_online_link": permissions.can_see_online_link(request.user, event, None),
            "is_organiser": is_organiser,
        }
    return {"registration_box": True} | views_registration.registration_context(
        request, event=event
    )


def event_detail(request, *, event):
    # An English version shows its own text and the original's registrations (core/locales.py).
    original = canonical(event)
    context = _registration_context(request, original)
    ended = event.has_ended()
    if context.get("is_organiser"):
        stats = context.get("event_stats") or {}
        context["rating"] = (
            {"average": stats["rating_average"], "count": stats.get("rating_count", 0)}
            if "rating_average" in stats
            else selectors.feedback_summary(original)
        )
    context |= {
        "event": event,
        "speakers": selectors.event_speakers(event),
        "has_ended": ended,
        "photos": selectors.event_photos(event) if ended else [],
        "documents": selectors.event_documents(event) if ended else [],
        "participants": selectors.participants_count(original) if ended else None,
        "index_page": event.get_parent().specific,
    }
    return event.render(request, context_overrides=context)


def _plan_scope(request):
    """(year, initiative or None, whether ?initiative= named one that does not exist)."""
    year = selectors.parse_year(request.GET.get("year", ""), default=selectors.today().year)
    slug = request.GET.get("initiative", "")[:255]
    initiative = None
    if slug:
        initiative = originals(InitiativePage.objects.live()).public().filter(slug=slug).first()
    return year, initiative, bool(slug) and initiative is None


def plan(request, *, index_page):
    year, initiative, unknown = _plan_scope(request)
    rows = [] if unknown else selectors.plan_rows(year=year, initiative=initiative)
    return index_page.render(
        request,
        template="events/plan.html",
        context_overrides={
            "year": year,
            "years": selectors.plan_years(initiative=initiative, also=year),
            "initiative": initiative,
            "unknown_initiative": unknown,
            "rows": rows,
            "xlsx_query": _query(request, year=str(year)),
            "canonical_url": index_page.full_url + index_page.reverse_subpage("plan"),
        },
    )


def plan_title(*, year: int, initiative) -> str:
    if initiative is not None:
        return _("Events plan for %(year)s: %(initiative)s") % {
            "year": year,
            "initiative": initiative.title,
        }
    return _("Events plan for %(year)s") % {"year": year}


# The plan's columns (seed 004) and their widths in the XLSX, in characters.
def plan_columns() -> list[tuple[str, int]]:
    return [
        (_("No."), 6),
        (_("Event"), 48),
        (_("Participants"), 32),
        (_("Dates"), 24),
        (_("Resources needed and their sources"), 40),
        (_("Expected results"), 48),
        (_("Status"), 16),
    ]


def plan_resources(row) -> str:
    return "\n".join(part for part in (row.budget, row.funding_source) if part)


def plan_xlsx(request, *, index_page):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    year, initiative, unknown = _plan_scope(request)
    rows = [] if unknown else selectors.plan_rows(year=year, initiative=initiative)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(year)
    columns = plan_columns()
    sheet.append([plan_title(year=year, initiative=initiative)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([label for label, _width in columns])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(
            [
                row.number,
                row.event.title,
                row.participants,
                row.timing,
                plan_resources(row),
                row.results,
                row.status_label,
            ]
        )
    for index, (_label, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for line in sheet.iter_rows(min_row=3):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A3"
    buffer = BytesIO()
    workbook.save(buffer)
    name = f"plan-{year}" + (f"-{initiative.slug}" if initiative else "") + ".xlsx"
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
