"""Accessible inline SVG for the indicators' charts (issue 14): no JavaScript, no package.

``chart_svg(chart)`` draws a :class:`~extranet.dashboard.indicators.base.Chart`:

- ``kind="line"``: one ``<path>`` per series over the period's buckets (a ``None`` value
  breaks the line), the previous period dashed and grey behind them, y gridlines at round
  numbers, a few labelled x ticks, and a marker per point whose ``<title>`` is its tooltip;
- ``kind="bar"``: horizontal grouped bars, one group per label (the label above it, long ones
  wrapped), the period's bar(s) then the previous period's hatched bar, each with its value
  written at its end.

Every chart is ``<svg role="img">`` named by its ``<title>`` and described by a ``<desc>``
that summarises it (points, totals, maxima), so a screen reader gets the gist; the numbers
themselves are in the data table the template tag puts under the chart. Colour is never the
only cue: series differ by marker shape, the previous period by dashes or hatching, and the
legend (``chart_legend``) repeats both. Colours are the design tokens' and have at least
4.5:1 against white. The drawing is in a fixed ``viewBox`` and scales with its box; the
text's size comes from the stylesheet (larger user units on a phone, where the chart is
drawn smaller), so the layout leaves room for it.

Markup is built with ``format_html`` (which escapes): labels and series names are user data
(an event kind's name, an initiative's title).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

SVG_NS = "http://www.w3.org/2000/svg"

WIDTH = 560
LINE_HEIGHT = 280
# The room is measured for the phone's text (about 21 units, see indicators.css), the largest
# in the SVG's units; on a wide screen the same layout simply has more air.
# Line chart: room at the top for the highest gridline's value, at the bottom for the x
# labels, at the sides for half a label.
LINE_TOP, LINE_BOTTOM, LINE_SIDE = 26, 40, 52
MAX_X_LABELS = 5
# Bar chart: a label line, bars and the gaps between groups; room at the right for a value.
BAR_LABEL_LINE, BAR_HEIGHT, BAR_GAP, GROUP_GAP, BAR_VALUE_ROOM = 28, 18, 6, 16, 72
BAR_AXIS_ROOM = 32
LABEL_WRAP = 40  # characters per line of a bar's label

# (colour, marker) per series; the tokens' accent first. Contrast on white: #0d5c63 7.7:1,
# #a1470d 5.9:1, #5b3d99 8.3:1, #2f6b1d 6.6:1.
PALETTE = ["#0d5c63", "#a1470d", "#5b3d99", "#2f6b1d"]
MARKERS = ["circle", "square", "diamond", "triangle"]
PREVIOUS_COLOUR = "#4f5f66"  # --color-text-muted, 6.6:1
PREVIOUS_DASH = "6 4"
GRID_COLOUR = "#d5dde1"
AXIS_COLOUR = "#7d8d95"
TEXT_COLOUR = "#4f5f66"

# Units whose values add up (a total makes sense in the summary and the table).
ADDITIVE_UNITS = {""}


# --- numbers ----------------------------------------------------------------------------


def _is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def plain_number(value, *, decimals: int | None = None) -> str:
    """A number in the active language: thousands grouped (a no-break space in Russian),
    at most one decimal (``decimals`` forces a count), ``—`` for ``None``."""
    if value is None:
        return "—"
    if not _is_number(value):
        return str(value)
    if decimals is None:
        rounded = round(float(value), 1)
        decimals = 0 if rounded == int(rounded) else 1
        value = int(rounded) if decimals == 0 else rounded
    return number_format(value, decimal_pos=decimals, force_grouping=True)


def format_value(value, unit: str = "") -> str:
    """A figure's value with its unit: «12,5 ч», «4,3 из 5», «45 %», «1 234»; ``—`` when
    there is none."""
    if value is None:
        return "—"
    if not _is_number(value):
        return str(value)
    if unit == "hours":
        return _("%(value)s h") % {"value": plain_number(value)}
    if unit == "rating":
        return _("%(value)s of 5") % {"value": plain_number(value, decimals=1)}
    if unit == "percent":
        return _("%(value)s%%") % {"value": plain_number(value)}
    if unit == "ratio":
        return plain_number(value, decimals=1)
    return plain_number(value)


# --- scale --------------------------------------------------------------------------------


def nice_ticks(low: float, high: float, *, count: int = 4, integer: bool = True) -> list[float]:
    """Round tick values from at most ``low`` to at least ``high`` in about ``count`` steps
    of 1, 2, 2.5 or 5 times a power of ten (whole steps when ``integer``)."""
    if high <= low:
        high = low + (1 if integer else 1.0)
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = magnitude
    for multiple in (1, 2, 2.5, 5, 10):
        step = multiple * magnitude
        if step >= raw and not (integer and step != int(step)):
            break
    if integer:
        step = max(1, round(step))
    bottom = math.floor(low / step) * step
    top = math.ceil(high / step) * step
    steps = round((top - bottom) / step)
    return [round(bottom + i * step, 10) for i in range(steps + 1)]


def _scale_ticks(values: list[float], unit: str) -> list[float]:
    if unit == "rating":
        return [0, 1, 2, 3, 4, 5]
    if unit == "percent" and values and max(values) <= 100 and max(values) > 50:
        return [0, 25, 50, 75, 100]
    high = max(values, default=0)
    low = min(0, min(values, default=0))
    integer = unit in ("",) and all(float(v) == int(v) for v in values)
    return nice_ticks(low, high, integer=integer)


def _f(number: float) -> str:
    """A coordinate for SVG (always a dot, no grouping)."""
    text = f"{number:.1f}"
    return text[:-2] if text.endswith(".0") else text


# --- shared parts -------------------------------------------------------------------------


@dataclass
class _Drawn:
    """A series as drawn: its name, values, colour, marker and whether it is the previous
    period."""

    name: str
    values: list
    colour: str
    marker: str
    previous: bool = False


def _drawn_series(chart) -> list[_Drawn]:
    out = [
        _Drawn(
            name=str(series.name),
            values=list(series.values),
            colour=PALETTE[i % len(PALETTE)],
            marker=MARKERS[i % len(MARKERS)],
        )
        for i, series in enumerate(chart.series)
    ]
    if chart.previous is not None:
        out.append(
            _Drawn(
                name=str(chart.previous.name),
                values=list(chart.previous.values),
                colour=PREVIOUS_COLOUR,
                marker="ring",
                previous=True,
            )
        )
    return out


def _numbers(series: list[_Drawn], length: int) -> list[float]:
    return [float(v) for s in series for v in s.values[:length] if _is_number(v)]


def _summary(chart, series: list[_Drawn], labels: list[str]) -> str:
    """The ``<desc>``: what is drawn and, per series, its total (counts) and its maximum."""
    n = len(labels)
    if chart.kind == "bar":
        parts = [
            ngettext("Bar chart of %(count)s category.", "Bar chart of %(count)s categories.", n)
            % {"count": n}
        ]
    elif n:
        parts = [
            ngettext(
                "Line chart of %(count)s point, %(first)s to %(last)s.",
                "Line chart of %(count)s points, %(first)s to %(last)s.",
                n,
            )
            % {"count": n, "first": labels[0], "last": labels[-1]}
        ]
    else:
        parts = [_("Line chart.")]
    if not _numbers(series, n) or not any(_numbers(series, n)):
        parts.append(_("No data for this period."))
        return " ".join(parts)
    unit = chart.unit
    for s in series:
        pairs = [(labels[i], v) for i, v in enumerate(s.values[:n]) if _is_number(v)]
        if not pairs:
            parts.append(_("%(series)s: no data.") % {"series": s.name})
            continue
        top_label, top_value = max(pairs, key=lambda pair: pair[1])
        if unit in ADDITIVE_UNITS:
            parts.append(
                _("%(series)s: total %(total)s, the most %(max)s (%(label)s).")
                % {
                    "series": s.name,
                    "total": format_value(sum(v for _l, v in pairs), unit),
                    "max": format_value(top_value, unit),
                    "label": top_label,
                }
            )
        else:
            parts.append(
                _("%(series)s: the most %(max)s (%(label)s).")
                % {"series": s.name, "max": format_value(top_value, unit), "label": top_label}
            )
    return " ".join(parts)


def _open_svg(dom_id: str, chart, height: float, desc: str, extra_class: str) -> str:
    return format_html(
        '<svg xmlns="{ns}" class="chart-svg chart-svg--{kind}{extra}" viewBox="0 0 {w} {h}"'
        ' width="{w}" height="{h}" role="img" aria-labelledby="{id}-title"'
        ' aria-describedby="{id}-desc" font-size="13" focusable="false">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>',
        ns=SVG_NS,
        kind=chart.kind,
        extra=extra_class,
        w=WIDTH,
        h=_f(height),
        id=dom_id,
        title=str(chart.title),
        desc=desc,
    )


def _text(x, y, text, *, anchor="middle", css="chart-svg__label", colour=TEXT_COLOUR) -> str:
    return format_html(
        '<text class="{css}" x="{x}" y="{y}" text-anchor="{anchor}" fill="{fill}">{text}</text>',
        css=css,
        x=_f(x),
        y=_f(y),
        anchor=anchor,
        fill=colour,
        text=text,
    )


def _no_data(x, y) -> str:
    return _text(x, y, _("No data for this period"), css="chart-svg__note")


def _marker(kind: str, x: float, y: float, colour: str, tip: str, *, size: float) -> str:
    """A point's marker; ``tip`` is its tooltip (none when empty: the legend's sample)."""
    title = format_html("<title>{}</title>", tip) if tip else ""
    common = format_html(
        'class="chart-svg__point" fill="{c}" stroke="#ffffff" stroke-width="1"', c=colour
    )
    if kind == "ring":
        return format_html(
            '<circle class="chart-svg__point" cx="{x}" cy="{y}" r="{r}" fill="#ffffff"'
            ' stroke="{c}" stroke-width="1.5">{t}</circle>',
            x=_f(x),
            y=_f(y),
            r=_f(size * 0.9),
            c=colour,
            t=title,
        )
    if kind == "square":
        return format_html(
            '<rect {common} x="{x}" y="{y}" width="{s}" height="{s}">{t}</rect>',
            common=common,
            x=_f(x - size),
            y=_f(y - size),
            s=_f(size * 2),
            t=title,
        )
    if kind == "diamond":
        r = size * 1.3
        d = f"M{_f(x)} {_f(y - r)}L{_f(x + r)} {_f(y)}L{_f(x)} {_f(y + r)}L{_f(x - r)} {_f(y)}Z"
        return format_html('<path {common} d="{d}">{t}</path>', common=common, d=d, t=title)
    if kind == "triangle":
        r = size * 1.35
        d = f"M{_f(x)} {_f(y - r)}L{_f(x + r)} {_f(y + r * 0.8)}L{_f(x - r)} {_f(y + r * 0.8)}Z"
        return format_html('<path {common} d="{d}">{t}</path>', common=common, d=d, t=title)
    return format_html(
        '<circle {common} cx="{x}" cy="{y}" r="{r}">{t}</circle>',
        common=common,
        x=_f(x),
        y=_f(y),
        r=_f(size),
        t=title,
    )


def _tip(label: str, name: str, value, unit: str) -> str:
    return f"{label} — {name}: {format_value(value, unit)}"


# --- line chart -----------------------------------------------------------------------------


def _line_svg(chart, dom_id: str) -> str:
    labels = [str(label) for label in chart.labels]
    n = len(labels)
    series = _drawn_series(chart)
    values = _numbers(series, n)
    ticks = _scale_ticks(values, chart.unit)
    low, high = ticks[0], ticks[-1]
    top, bottom = LINE_TOP, LINE_HEIGHT - LINE_BOTTOM
    left, right = LINE_SIDE, WIDTH - LINE_SIDE

    def x_at(i: int) -> float:
        if n <= 1:
            return (left + right) / 2
        return left + i * (right - left) / (n - 1)

    def y_at(v: float) -> float:
        return bottom - (float(v) - low) * (bottom - top) / (high - low)

    empty = not values
    parts = [_open_svg(dom_id, chart, LINE_HEIGHT, _summary(chart, series, labels), "")]

    # Gridlines at round numbers, their values written just above them at the left edge
    # (over a halo, so a line crossing them does not hide them).
    parts.append('<g class="chart-svg__grid">')
    for tick in ticks:
        y = y_at(tick)
        parts.append(
            format_html(
                '<line x1="0" x2="{w}" y1="{y}" y2="{y}" stroke="{c}" stroke-width="1"/>',
                w=WIDTH,
                y=_f(y),
                c=AXIS_COLOUR if tick == low else GRID_COLOUR,
            )
        )
        parts.append(
            _text(
                2,
                y - 4,
                plain_number(tick),
                anchor="start",
                css="chart-svg__label chart-svg__label--y",
            )
        )
    parts.append("</g>")

    # A few labelled x ticks: the first bucket and every k-th after it.
    parts.append('<g class="chart-svg__axis">')
    step = max(1, math.ceil(n / MAX_X_LABELS))
    for i in range(0, n, step):
        x = x_at(i)
        parts.append(
            format_html(
                '<line x1="{x}" x2="{x}" y1="{y1}" y2="{y2}" stroke="{c}" stroke-width="1"/>',
                x=_f(x),
                y1=_f(bottom),
                y2=_f(bottom + 5),
                c=AXIS_COLOUR,
            )
        )
        parts.append(_text(x, bottom + 26, labels[i], css="chart-svg__label chart-svg__label--x"))
    parts.append("</g>")

    if empty:
        parts.append(_no_data(WIDTH / 2, (top + bottom) / 2))
    else:
        size = 3.2 if n <= 31 else 2.4
        # The previous period first, so the period's lines lie on top of it.
        for s in sorted(series, key=lambda s: not s.previous):
            points = [
                (x_at(i), y_at(v), labels[i], v)
                for i, v in enumerate(s.values[:n])
                if _is_number(v)
            ]
            if not points:
                continue
            d, pen_down = [], False
            for i, v in enumerate(s.values[:n]):
                if not _is_number(v):
                    pen_down = False
                    continue
                d.append(f"{'L' if pen_down else 'M'}{_f(x_at(i))} {_f(y_at(v))}")
                pen_down = True
            css = (
                "chart-svg__series chart-svg__series--previous"
                if s.previous
                else ("chart-svg__series")
            )
            parts.append(
                format_html(
                    '<g class="{css}"><path d="{d}" fill="none" stroke="{c}" stroke-width="{sw}"'
                    ' stroke-linejoin="round" stroke-linecap="round"{dash}/>',
                    css=css,
                    d="".join(d),
                    c=s.colour,
                    sw="2" if s.previous else "2.5",
                    dash=format_html(' stroke-dasharray="{}"', PREVIOUS_DASH) if s.previous else "",
                )
            )
            parts.extend(
                _marker(s.marker, x, y, s.colour, _tip(label, s.name, v, chart.unit), size=size)
                for x, y, label, v in points
            )
            parts.append("</g>")
        if not any(values):
            parts.append(
                _text(WIDTH / 2, top + 24, _("No data for this period"), css="chart-svg__note")
            )
    parts.append("</svg>")
    return "".join(parts)


# --- bar chart ------------------------------------------------------------------------------


def wrap_label(text: str, width: int = LABEL_WRAP, lines: int = 2) -> list[str]:
    """``text`` in at most ``lines`` lines of about ``width`` characters (at spaces); what
    does not fit ends with «…» (the whole label is in the bars' tooltips and the table)."""
    words, out, line = text.split(), [], ""
    for word in words:
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= width:
            line = f"{line} {word}"
        else:
            out.append(line)
            line = word
    if line:
        out.append(line)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: width - 1].rstrip() + "…"
    return [line if len(line) <= width else line[: width - 1] + "…" for line in out] or [""]


def _hatch(dom_id: str) -> str:
    return format_html(
        '<defs><pattern id="{id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse"'
        ' patternTransform="rotate(45)"><rect width="6" height="6" fill="#e9edef"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="{c}" stroke-width="2"/></pattern></defs>',
        id=dom_id,
        c=PREVIOUS_COLOUR,
    )


def _bar_svg(chart, dom_id: str) -> str:
    labels = [str(label) for label in chart.labels]
    n = len(labels)
    series = _drawn_series(chart)
    values = [max(0.0, v) for v in _numbers(series, n)]
    ticks = _scale_ticks(values, chart.unit)
    high = ticks[-1] if ticks[-1] > 0 else 1
    plot = WIDTH - BAR_VALUE_ROOM

    def width_of(v) -> float:
        return max(0.0, float(v)) * plot / high

    wrapped = [wrap_label(label) for label in labels]
    group_heights = [
        len(lines) * BAR_LABEL_LINE + len(series) * (BAR_HEIGHT + BAR_GAP) for lines in wrapped
    ]
    body = sum(group_heights) + GROUP_GAP * max(0, n - 1)
    if not n:
        body = 80
    height = 4 + body + 8 + BAR_AXIS_ROOM
    axis_y = 4 + body + 8
    parts = [
        _open_svg(dom_id, chart, height, _summary(chart, series, labels), ""),
        _hatch(dom_id),
    ]

    parts.append('<g class="chart-svg__grid">')
    for tick in ticks:
        x = width_of(tick) if tick > 0 else 0
        x = min(max(x, 0.5), plot)
        parts.append(
            format_html(
                '<line x1="{x}" x2="{x}" y1="0" y2="{y}" stroke="{c}" stroke-width="1"/>',
                x=_f(x),
                y=_f(axis_y),
                c=AXIS_COLOUR if tick == 0 else GRID_COLOUR,
            )
        )
        parts.append(
            _text(
                x,
                axis_y + 24,
                plain_number(tick),
                anchor="start" if tick == 0 else "middle",
                css="chart-svg__label chart-svg__label--x",
            )
        )
    parts.append(
        format_html(
            '<line x1="0" x2="{w}" y1="{y}" y2="{y}" stroke="{c}" stroke-width="1"/>',
            w=_f(plot),
            y=_f(axis_y),
            c=AXIS_COLOUR,
        )
    )
    parts.append("</g>")

    if not values:
        parts.append(_no_data(WIDTH / 2, 4 + body / 2))
    y = 4
    for i, (label, lines) in enumerate(zip(labels, wrapped, strict=True)):
        parts.append('<g class="chart-svg__group">')
        for line_no, line in enumerate(lines):
            parts.append(
                _text(
                    0,
                    y + line_no * BAR_LABEL_LINE + 21,
                    line,
                    anchor="start",
                    css="chart-svg__label chart-svg__label--category",
                    colour="#1b2a30",
                )
            )
        y += len(lines) * BAR_LABEL_LINE
        for s in series:
            v = s.values[i] if i < len(s.values) else None
            tip = format_html("<title>{}</title>", _tip(label, s.name, v, chart.unit))
            if _is_number(v):
                w = max(width_of(v), 1.5)
                fill = f"url(#{dom_id}-hatch)" if s.previous else s.colour
                css = "chart-svg__bar chart-svg__bar--previous" if s.previous else "chart-svg__bar"
                parts.append(
                    format_html(
                        '<rect class="{css}" x="0" y="{y}" width="{w}" height="{h}" fill="{fill}"'
                        ' stroke="{c}" stroke-width="{sw}">{tip}</rect>',
                        css=css,
                        y=_f(y),
                        w=_f(w),
                        h=BAR_HEIGHT,
                        fill=fill,
                        c=s.colour,
                        sw="1.5" if s.previous else "0",
                        tip=tip,
                    )
                )
                text_x = w + 6
            else:
                text_x = 6
            parts.append(
                _text(
                    text_x,
                    y + BAR_HEIGHT - 4,
                    # The scale says «of 5»; the bar's end keeps to the number.
                    format_value(v, "ratio" if chart.unit == "rating" else chart.unit),
                    anchor="start",
                    css="chart-svg__value",
                    colour="#1b2a30",
                )
            )
            y += BAR_HEIGHT + BAR_GAP
        parts.append("</g>")
        y += GROUP_GAP
    if values and not any(values):
        parts.append(
            _text(plot / 2, axis_y - 8, _("No data for this period"), css="chart-svg__note")
        )
    parts.append("</svg>")
    return "".join(parts)


# --- public ---------------------------------------------------------------------------------


def chart_dom_id(chart, prefix: str = "chart") -> str:
    """The id the chart's elements hang off (``<key>-title``, ``<key>-desc``, the hatch)."""
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in str(chart.key))
    return f"{prefix}-{safe}"


def chart_svg(chart, *, dom_id: str | None = None) -> SafeString:
    """The chart as one ``<svg>`` element (safe HTML); ``dom_id`` must be unique on the
    page (default ``chart-<key>``)."""
    dom_id = dom_id or chart_dom_id(chart)
    if chart.kind == "bar":
        return mark_safe(_bar_svg(chart, dom_id))  # noqa: S308 - built by format_html
    return mark_safe(_line_svg(chart, dom_id))  # noqa: S308 - built by format_html


@dataclass
class LegendItem:
    name: str
    sample: SafeString  # a small decorative SVG: the series' line and marker, or its bar


def chart_legend(chart) -> list[LegendItem]:
    """The legend's entries, each with a small sample (aria-hidden) of how it is drawn."""
    items = []
    for s in _drawn_series(chart):
        if chart.kind == "bar":
            fill = PREVIOUS_COLOUR if s.previous else s.colour
            inner = (
                format_html(
                    '<rect x="1" y="2" width="26" height="10" fill="#e9edef" stroke="{c}"'
                    ' stroke-width="1.5"/><path d="M5 12l8-10M13 12l8-10M21 12l5-6.25"'
                    ' stroke="{c}" stroke-width="2"/>',
                    c=fill,
                )
                if s.previous
                else format_html('<rect x="1" y="2" width="26" height="10" fill="{c}"/>', c=fill)
            )
        else:
            dash = format_html(' stroke-dasharray="{}"', PREVIOUS_DASH) if s.previous else ""
            inner = format_html(
                '<path d="M1 7H27" fill="none" stroke="{c}" stroke-width="2.5"{dash}/>{m}',
                c=s.colour,
                dash=dash,
                m=_marker(s.marker, 14, 7, s.colour, "", size=3.2),
            )
        sample = format_html(
            '<svg class="chart-legend__sample" viewBox="0 0 28 14" width="28" height="14"'
            ' aria-hidden="true" focusable="false">{}</svg>',
            inner,
        )
        items.append(LegendItem(name=s.name, sample=sample))
    return items


def chart_rows(chart) -> tuple[list[str], list[list[str]], list[str] | None]:
    """The chart's data table: (column headings, rows of formatted cells, totals or None).
    Columns: the label, each series, the previous period (aligned by position)."""
    series = _drawn_series(chart)
    head = [_("Category") if chart.kind == "bar" else _("Date")] + [s.name for s in series]
    rows = []
    for i, label in enumerate(chart.labels):
        row = [str(label)]
        for s in series:
            v = s.values[i] if i < len(s.values) else None
            row.append(format_value(v, chart.unit))
        rows.append(row)
    totals = None
    if chart.unit in ADDITIVE_UNITS and len(rows) > 1:
        n = len(chart.labels)
        totals = [_("Total")] + [
            plain_number(sum(v for v in s.values[:n] if _is_number(v))) for s in series
        ]
    return head, rows, totals
