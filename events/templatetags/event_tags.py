"""How events read on pages: dates and times in the event's own zone, named, in the
visitor's language, and the events sections other apps' pages include.

``{{ event|event_when }}`` gives «12 марта 2026, 10:00–13:00 (время минское, UTC+3)» on the
Russian site and «12 March 2026, 10:00–13:00 (Minsk time, UTC+3)» on /en/: Django's
formats follow the active language, the zone's name is a translated string and the offset
is the one in force on the day (so a zone that changed its rules is still right).
"""

from __future__ import annotations

from django import template
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

register = template.Library()

# «Minsk time» is «время минское» in Russian, as the clusters' announcements say it.
ZONE_NAMES = {
    "Europe/Minsk": gettext_lazy("Minsk time"),
    "Europe/Kaliningrad": gettext_lazy("Kaliningrad time"),
    "Europe/Moscow": gettext_lazy("Moscow time"),
    "Europe/Samara": gettext_lazy("Samara time"),
    "Asia/Yekaterinburg": gettext_lazy("Yekaterinburg time"),
    "Asia/Omsk": gettext_lazy("Omsk time"),
    "Asia/Novosibirsk": gettext_lazy("Novosibirsk time"),
    "Asia/Krasnoyarsk": gettext_lazy("Krasnoyarsk time"),
    "Asia/Irkutsk": gettext_lazy("Irkutsk time"),
    "Asia/Vladivostok": gettext_lazy("Vladivostok time"),
}


def _date(value) -> str:
    return formats.date_format(value, "j E Y")


def _time(value) -> str:
    return formats.date_format(value, "H:i")


def utc_offset(value) -> str:
    """«UTC+3», «UTC+5:30», «UTC» for an aware datetime."""
    offset = value.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


@register.filter
def event_zone(event) -> str:
    """«время минское, UTC+3»: the zone's name and its offset on the event's start."""
    offset = utc_offset(event.local_start)
    name = ZONE_NAMES.get(event.time_zone)
    return f"{name}, {offset}" if name else offset


@register.filter
def event_dates(event) -> str:
    """The days only: «12 марта 2026» or «12 марта 2026 – 14 марта 2026» (the plan's dates)."""
    start, end = event.local_start, event.local_end
    if start.date() == end.date():
        return _date(start)
    return f"{_date(start)} – {_date(end)}"


@register.filter
def event_times(event) -> str:
    """Dates and times without the zone: «12 марта 2026, 10:00–13:00»."""
    start, end = event.local_start, event.local_end
    if start.date() == end.date():
        return _("%(date)s, %(start)s–%(end)s") % {
            "date": _date(start),
            "start": _time(start),
            "end": _time(end),
        }
    return _("%(start_date)s, %(start)s – %(end_date)s, %(end)s") % {
        "start_date": _date(start),
        "start": _time(start),
        "end_date": _date(end),
        "end": _time(end),
    }


@register.filter
def event_when(event) -> str:
    """«12 марта 2026, 10:00–13:00 (время минское, UTC+3)»."""
    return f"{event_times(event)} ({event_zone(event)})"


@register.filter
def event_start_time(event) -> str:
    return _time(event.local_start)


@register.simple_tag(takes_context=True)
def event_url(context, event) -> str:
    """The event's address, using the request's cached site roots (no query per event)."""
    return event.get_url(request=context.get("request")) or ""


@register.inclusion_tag("events/includes/initiative_events.html", takes_context=True)
def initiative_events(context, initiative, limit: int = 3):
    """The initiative page's section: its next events and this year's plan (3 queries)."""
    from events import selectors
    from events.models import EventIndexPage

    request = context.get("request")
    index = EventIndexPage.objects.live().public().first()
    year = selectors.today().year
    return {
        "request": request,
        "initiative": initiative,
        "events": selectors.upcoming_events(initiative=initiative, limit=limit),
        "plan_rows": selectors.plan_rows(year=year, initiative=initiative),
        "year": year,
        "index_url": index.get_url(request=request) if index else "",
    }


@register.filter
def event_meta(event) -> str:
    """A card's meta line: «12 марта 2026, 10:00–13:00 (…) · Семинар · Онлайн»."""
    parts = [event_when(event), event.kind.name if event.kind else "", event.get_format_display()]
    return " · ".join(part for part in parts if part)
