"""Reads for the events pages: the list, the month calendar, upcoming events, the plan.

Each function runs a fixed number of queries however many events exist: what a list row
shows (initiative, kind, image renditions) is joined or prefetched here, never looked up per
row in a template. Only live, public pages are read; drafts never reach a visitor.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Avg, Count, Prefetch, QuerySet
from django.utils import timezone
from wagtail.images import get_image_model

from core.locales import originals
from core.pagecache import TAG_ALL, tagged_values
from core.text import clean_line

from .models import DEFAULT_TIME_ZONE, EventKind, EventPage

# The calendar's and the plan's zone: the platform's home (events show their own zone).
SITE_ZONE = ZoneInfo(DEFAULT_TIME_ZONE)

# The image sizes event cards render (components/card.html).
CARD_RENDITIONS = ("fill-480x270",)
SPEAKER_RENDITIONS = ("fill-96x96",)
PHOTO_RENDITIONS = ("fill-480x320", "max-1600x1200")

UPCOMING = "upcoming"
PAST = "past"
LIST = "list"
CALENDAR = "calendar"

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def today(now=None) -> datetime.date:
    return timezone.localtime(now or timezone.now(), SITE_ZONE).date()


def parse_month(value: str, *, default: datetime.date) -> tuple[datetime.date, bool]:
    """``YYYY-MM`` as the month's first day; anything else gives ``default``'s month.

    The flag says whether ``value`` was understood (an empty value counts as understood), so
    the page can tell a visitor why they see the current month instead.
    """
    match = _MONTH.match(value or "")
    if match:
        year, month = int(match[1]), int(match[2])
        if 1900 <= year <= 2999 and 1 <= month <= 12:
            return datetime.date(year, month, 1), True
    return default.replace(day=1), not value


def parse_year(value: str, *, default: int) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default
    return year if 1900 <= year <= 2999 else default


@dataclass(frozen=True)
class EventFilters:
    """The list's GET parameters; unknown values are dropped, so no filter can fail."""

    tab: str = UPCOMING
    view: str = LIST
    initiative: str = ""
    kind: str = ""
    format: str = ""

    @classmethod
    def from_query(cls, query) -> EventFilters:
        formats = {value for value, _label in EventPage.Format.choices}
        fmt = query.get("format", "")
        return cls(
            tab=PAST if query.get("tab") == PAST else UPCOMING,
            view=CALENDAR if query.get("view") == CALENDAR else LIST,
            # Control characters dropped: PostgreSQL refuses a NUL in the slug's query.
            initiative=clean_line(query.get("initiative", ""))[:255],
            kind=clean_line(query.get("kind", ""))[:60],
            format=fmt if fmt in formats else "",
        )

    @property
    def active(self) -> bool:
        return bool(self.initiative or self.kind or self.format)


def events_loaded() -> QuerySet:
    """Live public events of every language, with what a list item shows loaded."""
    return EventPage.objects.live().public().select_related("initiative", "kind")


def _live_events() -> QuerySet:
    return originals(events_loaded())


def _filtered(qs: QuerySet, filters: EventFilters | None) -> QuerySet:
    if filters is None:
        return qs
    if filters.initiative:
        qs = qs.filter(initiative__slug=filters.initiative)
    if filters.kind:
        qs = qs.filter(kind__slug=filters.kind)
    if filters.format:
        qs = qs.filter(format=filters.format)
    return qs


def _with_card_images(qs: QuerySet) -> QuerySet:
    images = get_image_model().objects.prefetch_renditions(*CARD_RENDITIONS)
    return qs.prefetch_related(Prefetch("image", queryset=images))


def event_list(*, filters: EventFilters | None = None, now=None) -> QuerySet:
    """Upcoming (not yet ended, soonest first) or past (latest first) live events."""
    now = now or timezone.now()
    qs = _filtered(_live_events(), filters)
    if filters is not None and filters.tab == PAST:
        qs = qs.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    else:
        qs = qs.filter(ends_at__gte=now).order_by("starts_at", "pk")
    return _with_card_images(qs)


def upcoming_events(
    *, initiative=None, limit: int = 3, include_cancelled: bool = False, now=None
) -> list[EventPage]:
    """The next ``limit`` live events (of ``initiative`` when given), soonest first.

    Cancelled events stay in the full list (marked); teasers on the home and initiative
    pages leave them out, as they invite people to come.
    """
    now = now or timezone.now()
    qs = _live_events().filter(ends_at__gte=now)
    if initiative is not None:
        qs = qs.filter(initiative=initiative)
    if not include_cancelled:
        qs = qs.filter(cancelled=False)
    return list(_with_card_images(qs.order_by("starts_at", "pk"))[:limit])


def _filter_choices(keys: list[str]) -> dict[str, list]:
    from initiatives.models import InitiativePage

    live = originals(EventPage.objects.live()).public()
    return {
        "choices": {
            "initiatives": list(
                originals(InitiativePage.objects.live())
                .public()
                .filter(events__in=live)
                .distinct()
                .order_by("title")
                .values_list("slug", "short_name")
            ),
            "kinds": list(
                EventKind.objects.filter(events__in=live)
                .distinct()
                .order_by("sort_order", "name")
                .values_list("slug", "name")
            ),
        }
    }


def filter_options() -> dict:
    """(value, label) pairs for the filter selects (components/filter_select.html). The
    initiatives and kinds that have live events change when an event or an initiative is
    published or unpublished, or a kind is saved, so they are cached until then (the page
    cache's tags; two DISTINCT joins over 5,000 events cost ~25 ms per request)."""
    tags = ("events", "initiatives", TAG_ALL)
    choices = tagged_values(tags, "events-filter-options", ["choices"], _filter_choices)
    return {**choices["choices"], "formats": list(EventPage.Format.choices)}


# --- the month calendar ------------------------------------------------------------------


@dataclass
class CalendarDay:
    date: datetime.date
    in_month: bool
    is_today: bool
    events: list = field(default_factory=list)


@dataclass
class CalendarMonth:
    month: datetime.date  # the first day
    weeks: list[list[CalendarDay]]
    previous: datetime.date
    next: datetime.date

    @property
    def has_events(self) -> bool:
        return any(day.events for week in self.weeks for day in week if day.in_month)


def _shift_month(month: datetime.date, delta: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + delta
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_calendar(
    *, month: datetime.date, filters: EventFilters | None = None, now=None
) -> CalendarMonth:
    """The weeks (Monday first) around ``month``, each day with the events on it.

    An event is on every day from its local start to its local end (in its own zone, as its
    page shows it); cancelled events stay, marked. One query for the whole grid.
    """
    first = month.replace(day=1)
    weeks_of_dates = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    grid_start, grid_end = weeks_of_dates[0][0], weeks_of_dates[-1][-1]
    # A day of margin on both sides: events in other zones may fall on the grid's edge days.
    start_utc = datetime.datetime.combine(
        grid_start - datetime.timedelta(days=1), datetime.time.min, SITE_ZONE
    )
    end_utc = datetime.datetime.combine(
        grid_end + datetime.timedelta(days=2), datetime.time.min, SITE_ZONE
    )
    events = (
        _filtered(_live_events(), filters)
        .filter(starts_at__lt=end_utc, ends_at__gte=start_utc)
        .order_by("starts_at", "pk")
    )
    current = today(now)
    days = {
        day: CalendarDay(date=day, in_month=day.month == first.month, is_today=day == current)
        for week in weeks_of_dates
        for day in week
    }
    for event in events:
        day, last = event.local_start.date(), event.local_end.date()
        if event.local_end.time() == datetime.time.min and last > day:
            last -= datetime.timedelta(days=1)  # ends at midnight: not on the next day
        day = max(day, grid_start)
        while day <= min(last, grid_end):
            days[day].events.append(event)
            day += datetime.timedelta(days=1)
    return CalendarMonth(
        month=first,
        weeks=[[days[day] for day in week] for week in weeks_of_dates],
        previous=_shift_month(first, -1),
        next=_shift_month(first, 1),
    )


# --- one event ---------------------------------------------------------------------------


def event_speakers(event: EventPage) -> list:
    images = get_image_model().objects.prefetch_renditions(*SPEAKER_RENDITIONS)
    return list(event.speakers.prefetch_related(Prefetch("photo", queryset=images)))


def event_photos(event: EventPage) -> list:
    images = get_image_model().objects.prefetch_renditions(*PHOTO_RENDITIONS)
    return list(event.photos.prefetch_related(Prefetch("image", queryset=images)))


def event_documents(event: EventPage) -> list:
    return list(event.documents.select_related("document"))


def participants_count(event: EventPage) -> int:
    """The report's number: what the editor typed, else the attendance marked."""
    if event.report_participants is not None:
        return event.report_participants
    return event.registrations.filter(attended=True).count()


def feedback_summary(event: EventPage) -> dict:
    """The ratings' average (None without ratings) and count, for the organisers."""
    summary = event.feedback.aggregate(average=Avg("rating"), count=Count("pk"))
    return {"average": summary["average"], "count": summary["count"]}


# --- the plan ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanRow:
    number: int
    event: EventPage
    participants: str
    timing: str
    budget: str
    funding_source: str
    results: str
    status: str
    status_label: str


def _year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    return (
        datetime.datetime(year, 1, 1, tzinfo=SITE_ZONE),
        datetime.datetime(year + 1, 1, 1, tzinfo=SITE_ZONE),
    )


def _plan_events(initiative=None) -> QuerySet:
    qs = _live_events().filter(in_plan=True)
    if initiative is not None:
        qs = qs.filter(initiative=initiative)
    return qs


def plan_rows(*, year: int, initiative=None, now=None) -> list[PlanRow]:
    """The year's plan (seed 004's table): the live events marked «in the plan», by start.

    The plan is read from the events each time, so editing an event changes its row.
    """
    from .templatetags.event_tags import event_dates

    start, end = _year_bounds(year)
    events = _plan_events(initiative).filter(starts_at__gte=start, starts_at__lt=end)
    rows = []
    for number, event in enumerate(events.order_by("starts_at", "pk"), start=1):
        status = (
            EventPage.PlanStatus.CANCELLED
            if event.cancelled
            else EventPage.PlanStatus.HELD
            if event.has_ended(now)
            else EventPage.PlanStatus.PLANNED
        )
        rows.append(
            PlanRow(
                number=number,
                event=event,
                participants=event.plan_participants,
                timing=event.plan_timing or event_dates(event),
                budget=event.plan_budget,
                funding_source=event.plan_funding_source,
                results=event.plan_results,
                status=str(status),
                status_label=str(EventPage.PlanStatus(status).label),
            )
        )
    return rows


def plan_years(*, initiative=None, also: int | None = None) -> list[int]:
    """Years that have plan events (and ``also``, the year shown), newest first."""
    years = {
        moment.year
        for moment in _plan_events(initiative)
        .order_by()
        .datetimes("starts_at", "year", tzinfo=SITE_ZONE)
    }
    if also is not None:
        years.add(also)
    return sorted(years, reverse=True)
