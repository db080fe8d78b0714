"""Template tags of the indicators page (dashboard/indicators.html and its parts).

- ``{% chart chart %}``: the chart's SVG (``extranet.dashboard.charts``), its legend and a
  «Таблица данных» disclosure (``<details>``: works without JavaScript) with the numbers;
- ``{{ value|indicator_value:unit }}``: a figure's value with its unit («12,5 ч»,
  «4,3 из 5», «1 234»); ``{{ value|indicator_number }}``: a table's cell;
- ``{% figure_delta figure %}``: the change against the previous period, ▲/▼ with the
  percentage, and the same in words for screen readers;
- ``{% target_progress figure %}``: actual against the year's target, a ``<progress>`` bar
  and «X из Y (Z %)»;
- ``{% indicator_table table as t %}``: a report table's cells formatted, each marked
  numeric (right-aligned) or not.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .. import charts

register = template.Library()


@register.filter
def indicator_value(value, unit=""):
    """A figure's value with its unit, in the active language («—» for none)."""
    return charts.format_value(value, unit or "")


@register.filter
def indicator_number(value):
    """A table cell: a number grouped and with at most one decimal, text as it is."""
    return charts.plain_number(value)


@register.inclusion_tag("dashboard/indicators/chart.html")
def chart(chart, dom_id=""):
    """A chart with its legend and its data table (see the module's docstring)."""
    dom_id = dom_id or charts.chart_dom_id(chart)
    head, rows, totals = charts.chart_rows(chart)
    return {
        "chart": chart,
        "dom_id": dom_id,
        "svg": charts.chart_svg(chart, dom_id=dom_id),
        "legend": charts.chart_legend(chart),
        "head": head,
        "rows": rows,
        "totals": totals,
    }


def _number(value) -> float | None:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return float(value)
    return None


@register.simple_tag
def figure_delta(figure):
    """▲ +3 (+25 %) / ▼ −2 (−10 %) / = against the previous period; nothing when either
    value is missing. The arrow and signs are hidden from screen readers, which read a
    sentence instead. A percentage figure changes by percentage points, not by a percent."""
    value, previous = _number(figure.value), _number(figure.previous)
    if value is None or previous is None:
        return ""
    unit = figure.unit or ""
    delta = value - previous
    if unit == "percent":
        amount = _("%(value)s pp") % {"value": charts.plain_number(abs(delta))}
        relative = None
    else:
        amount = charts.format_value(abs(delta), "ratio" if unit == "rating" else unit)
        relative = round(abs(delta) * 100 / abs(previous), 1) if previous else None
    relative_text = (
        _("%(value)s%%") % {"value": charts.plain_number(relative)} if relative is not None else ""
    )
    if abs(delta) < 1e-9:
        return format_html(
            '<span class="figure-delta figure-delta--same"><span aria-hidden="true">='
            ' {shown}</span><span class="visually-hidden">{said}</span></span>',
            shown=_("no change"),
            said=_("No change from the previous period."),
        )
    up = delta > 0
    sign = "+" if up else "−"
    shown = f"{sign}{amount}" + (f" ({sign}{relative_text})" if relative_text else "")
    if up:
        said = (
            _("Up %(amount)s (%(percent)s) from the previous period.")
            if relative_text
            else _("Up %(amount)s from the previous period.")
        )
    else:
        said = (
            _("Down %(amount)s (%(percent)s) from the previous period.")
            if relative_text
            else _("Down %(amount)s from the previous period.")
        )
    return format_html(
        '<span class="figure-delta figure-delta--{direction}"><span aria-hidden="true">'
        "{arrow} {shown}</span>"
        '<span class="visually-hidden">{said}</span></span>',
        direction="up" if up else "down",
        arrow="▲" if up else "▼",
        shown=shown,
        said=said % {"amount": amount, "percent": relative_text},
    )


@register.simple_tag
def target_progress(figure, dom_id=""):
    """The year's target: a ``<progress>`` (full at 100 %; the words say how far beyond) and
    «12 из 20 (60 %)»; nothing without a target."""
    if figure.target is None:
        return ""
    value, target = _number(figure.value), _number(figure.target)
    unit = figure.unit or ""
    percent = figure.progress_percent
    if percent is None and value is not None and target:
        percent = round(value * 100 / target, 1)
    dom_id = dom_id or f"target-{figure.key}"
    words = _("%(value)s of %(target)s") % {
        "value": charts.format_value(value, unit if unit != "rating" else "ratio"),
        "target": charts.format_value(target, unit if unit != "rating" else "ratio"),
    }
    if percent is not None:
        words = _("%(words)s (%(percent)s)") % {
            "words": words,
            "percent": _("%(value)s%%") % {"value": charts.plain_number(percent)},
        }
    reached = percent is not None and percent >= 100
    bar_value = min(percent or 0, 100)
    return format_html(
        '<div class="target-progress{reached_class}">'
        '<p class="target-progress__label" id="{id}">{label} {words}</p>'
        '<progress class="target-progress__bar" max="100" value="{bar}"'
        ' aria-labelledby="{id}">{words}</progress>{badge}</div>',
        reached_class=" target-progress--reached" if reached else "",
        id=dom_id,
        label=_("Target:"),
        words=words,
        bar=charts.plain_number(bar_value).replace(",", ".").replace("\xa0", ""),
        badge=format_html('<p class="target-progress__reached">{}</p>', _("Target reached"))
        if reached
        else "",
    )


@dataclass
class Cell:
    text: str
    numeric: bool


@dataclass
class TableCells:
    head: list[Cell]
    rows: list[list[Cell]]
    totals: list[Cell] | None


@register.simple_tag
def indicator_table(table):
    """A report table's headings and cells, formatted; a column is numeric (right-aligned,
    heading too) when its values are numbers or missing, and keeps one decimal in every row
    when any of its values is a fraction (a rating, a ratio), so its numbers line up."""
    width = len(table.columns)
    numeric, decimals = [], []
    for i in range(width):
        column = [row[i] for row in table.rows if i < len(row)]
        present = [v for v in column if v is not None and v != ""]
        # A column with no value at all (every cell «—») lines up as numbers too, but the
        # first one, which names the rows.
        numeric.append((bool(present) or i > 0) and all(_number(v) is not None for v in present))
        decimals.append(1 if numeric[-1] and any(_fraction(v) for v in present) else None)
    head = [Cell(text=str(name), numeric=numeric[i]) for i, name in enumerate(table.columns)]

    def row_cells(row):
        cells = []
        for i, v in enumerate(row):
            places = decimals[i] if i < width else None
            text = charts.plain_number(v, decimals=places if _number(v) is not None else None)
            cells.append(Cell(text=text, numeric=numeric[i] if i < width else False))
        return cells

    return TableCells(
        head=head,
        rows=[row_cells(row) for row in table.rows],
        totals=row_cells(table.totals) if table.totals else None,
    )


def _fraction(value) -> bool:
    return isinstance(value, float | Decimal) and value != int(value)


@register.filter
def links_for(exports, key):
    """A table's download links from the view's ``exports`` ({key: {"csv", "xlsx"}})."""
    return (exports or {}).get(key) or {}


# Which period kinds use which field of PeriodForm (the period picker shows only those).
PERIOD_FIELD_KINDS = [
    ("year", "year quarter month"),
    ("quarter", "quarter"),
    ("month", "month"),
    ("start", "custom"),
    ("end", "custom"),
]


@register.simple_tag
def period_fields(form):
    """(bound field, the kinds it is for, space-separated) of the period picker, in order."""
    return [(form[name], kinds) for name, kinds in PERIOD_FIELD_KINDS if name in form.fields]
