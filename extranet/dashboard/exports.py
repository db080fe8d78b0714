"""CSV and XLSX of the indicators report (issue 14): one table, or the whole report as one
workbook with a sheet per section.

The conventions are those of the «All users» export (``views.py``): CSV in UTF-8 with a BOM
(Excel then reads Cyrillic), text a spreadsheet would run as a formula quoted the way
``selectors.spreadsheet_safe`` does, ASCII file names sent as attachments. Numbers stay
numbers (a spreadsheet can sum them); only text is guarded.
"""

from __future__ import annotations

import csv
import datetime
import re
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .periods import platform_zone
from .selectors import spreadsheet_safe

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Excel refuses these in a sheet's name, and names longer than 31 characters.
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_MAX = 31
# Column widths (in characters) the XLSX keeps to: wide enough for a heading, never a wall.
MIN_WIDTH, MAX_WIDTH = 8, 60

INT_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0#"
PERCENT_FORMAT = "0.0%"

# Cyrillic (Russian and Belarusian) to Latin for file names: an initiative's slug may be in
# Cyrillic, and a file name is kept ASCII so every browser and mail client saves it as it is.
_TRANSLIT = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "i",
    "і": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ў": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
}


# --- file names ------------------------------------------------------------------------------


def _ascii_slug(text: str) -> str:
    latin = "".join(_TRANSLIT.get(ch, ch) for ch in str(text).lower())
    return slugify(latin)  # drops whatever is still not ASCII


def period_key(period) -> str:
    """The period in a file name: ``2025``, ``2025-q2``, ``2025-03`` or
    ``2025-01-01_2025-02-15``."""
    if period.kind == "year":
        return f"{period.first.year}"
    if period.kind == "quarter":
        return f"{period.first.year}-q{(period.first.month - 1) // 3 + 1}"
    if period.kind == "month":
        return f"{period.first:%Y-%m}"
    return f"{period.first.isoformat()}_{period.last.isoformat()}"


def scope_key(scope) -> str:
    """``platform``, or the initiative's slug in ASCII (``initiative-<id>`` if nothing is
    left of it)."""
    if scope.is_platform:
        return "platform"
    return _ascii_slug(scope.initiative.slug) or f"initiative-{scope.initiative_id}"


def export_filename(report, key: str, fmt: str) -> str:
    """``indicators-<scope>-<period>-<table key>.<fmt>``, ASCII letters, digits, ``-``,
    ``_`` and ``.`` only (safe in a Content-Disposition header and on any disk)."""
    table = _ascii_slug(key) or "table"
    extension = re.sub(r"[^a-z0-9]", "", fmt.lower()) or "bin"
    return f"indicators-{scope_key(report.scope)}-{period_key(report.period)}-{table}.{extension}"


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    # The name is ASCII by construction; dropping quotes and control characters anyway keeps
    # the header whole whoever calls this.
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", filename)
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    return response


# --- cells ---------------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    """A value as a spreadsheet cell: numbers and dates as they are, text (lazy translations
    included) guarded against formulas, nothing as an empty cell."""
    if value is None:
        return None
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        # Spreadsheets know no time zones: the platform's wall clock, as the page shows it.
        return value.astimezone(platform_zone()).replace(tzinfo=None)
    if isinstance(value, (int, float, Decimal, datetime.date)):
        return value
    return spreadsheet_safe(str(value))


def _csv_cell(value: Any) -> str:
    value = _cell(value)
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def scope_label(scope) -> str:
    return _("Whole platform") if scope.is_platform else str(scope.initiative.title)


def _unit_label(unit: str) -> str:
    labels = {
        "hours": pgettext("unit", "hours"),
        "rating": pgettext("unit", "rating out of 5"),
        "ratio": pgettext("unit", "ratio"),
        "percent": "%",
    }
    return labels.get(unit, "")


# --- CSV -----------------------------------------------------------------------------------


def csv_response(table, *, filename: str) -> HttpResponse:
    """One table as CSV: the header row (its columns), its rows, then its totals if any."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response.write("\ufeff")  # The BOM makes Excel read the file as UTF-8 (Cyrillic names).
    writer = csv.writer(response)
    writer.writerow([_csv_cell(column) for column in table.columns])
    for row in table.rows:
        writer.writerow([_csv_cell(value) for value in row])
    if table.totals:
        writer.writerow([_csv_cell(value) for value in table.totals])
    return _attachment(response, filename)


# --- XLSX ----------------------------------------------------------------------------------


def _number_format(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return INT_FORMAT
    if isinstance(value, (float, Decimal)):
        return DECIMAL_FORMAT
    if isinstance(value, datetime.datetime):
        return "yyyy-mm-dd hh:mm"
    if isinstance(value, datetime.date):
        return "yyyy-mm-dd"
    return None


class _SheetWriter:
    """Writes rows down a worksheet and remembers each column's widest text."""

    def __init__(self, sheet):
        from openpyxl.styles import Font

        self.sheet = sheet
        self.row = 0
        self.widths: dict[int, int] = {}
        self.bold = Font(bold=True)
        self.title_font = Font(bold=True, size=14)
        self.heading_font = Font(bold=True, size=12)

    def write(self, values, *, font=None, measure: bool = True, formats=None):
        self.row += 1
        for index, value in enumerate(values, start=1):
            cell = self.sheet.cell(row=self.row, column=index, value=_cell(value))
            number_format = (formats or {}).get(index) or _number_format(cell.value)
            if number_format:
                cell.number_format = number_format
            if font is not None:
                cell.font = font
            if measure and cell.value is not None:
                length = len(str(cell.value))
                self.widths[index] = max(self.widths.get(index, 0), length)

    def skip(self):
        self.row += 1

    def table(self, table):
        """Bold header, the rows, a bold totals row."""
        self.write(table.columns, font=self.bold)
        for row in table.rows:
            self.write(row)
        if table.totals:
            self.write(table.totals, font=self.bold)

    def finish(self):
        from openpyxl.utils import get_column_letter

        for index, width in self.widths.items():
            letter = get_column_letter(index)
            self.sheet.column_dimensions[letter].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)


def _workbook_bytes(workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _title_rows(writer: _SheetWriter, title: str, report) -> None:
    # Titles are not measured: a long title would make its column as wide as itself.
    writer.write([title], font=writer.title_font, measure=False)
    writer.write([f"{scope_label(report.scope)} · {report.period.label}"], measure=False)
    writer.skip()


def table_xlsx(table, *, report) -> bytes:
    """One table as a workbook of one sheet: its title, the scope and the period, then the
    table with a bold header and totals."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_name(str(table.title), set())
    writer = _SheetWriter(sheet)
    _title_rows(writer, str(table.title), report)
    writer.table(table)
    sheet.freeze_panes = "A5"  # the title, scope, a blank row and the header stay in view
    writer.finish()
    return _workbook_bytes(workbook)


def sheet_name(title: str, taken: set[str]) -> str:
    """``title`` as an Excel sheet name: no ``[]:*?/\\``, at most 31 characters, no quote at
    either end, and unlike the names in ``taken`` (compared without case, as Excel does);
    the name is added to ``taken``."""
    name = SHEET_NAME_FORBIDDEN.sub(" ", title)
    name = re.sub(r"\s+", " ", name).strip().strip("'").strip() or _("Sheet")
    name = name[:SHEET_NAME_MAX].rstrip()
    candidate, number = name, 1
    while candidate.lower() in taken:
        number += 1
        suffix = f" ({number})"
        candidate = name[: SHEET_NAME_MAX - len(suffix)].rstrip() + suffix
    taken.add(candidate.lower())
    return candidate


def figure_row(figure) -> list:
    """Indicator (with its unit), value, previous period, change, target, progress (a
    fraction, shown as a percentage)."""
    unit = _unit_label(figure.unit)
    label = f"{figure.label}, {unit}" if unit else str(figure.label)
    progress = figure.progress_percent
    return [
        label,
        figure.value,
        figure.previous,
        figure.delta,
        figure.target,
        progress / 100 if progress is not None else None,
    ]


def report_xlsx(report) -> bytes:
    """The whole report as one workbook: a sheet per section with its figures (indicator,
    value, previous period, change, target, progress), then each of its tables under its
    title."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    figure_columns = [
        _("Indicator"),
        report.period.label,
        _("Previous period (%(period)s)") % {"period": report.period.previous().label},
        # The difference from the previous period (not the verb «Изменить»).
        pgettext("indicator", "Change"),
        _("Target"),
        _("Progress"),
    ]
    for section in report.sections:
        sheet = workbook.create_sheet(sheet_name(str(section.title), taken))
        writer = _SheetWriter(sheet)
        _title_rows(writer, str(section.title), report)
        if section.figures:
            writer.write(figure_columns, font=writer.bold)
            for figure in section.figures:
                writer.write(figure_row(figure), formats={6: PERCENT_FORMAT})
        if section.note:
            writer.skip()
            writer.write([str(section.note)], measure=False)
        for table in section.tables:
            writer.skip()
            writer.write([str(table.title)], font=writer.heading_font, measure=False)
            writer.table(table)
        writer.finish()
    if not workbook.worksheets:
        # A workbook needs a sheet; an empty report says so rather than failing.
        sheet = workbook.create_sheet(sheet_name(_("Indicators"), taken))
        writer = _SheetWriter(sheet)
        _title_rows(writer, _("Indicators"), report)
        writer.write([_("No indicators for this period.")], measure=False)
    return _workbook_bytes(workbook)


def xlsx_response(data: bytes, *, filename: str) -> HttpResponse:
    return _attachment(HttpResponse(data, content_type=XLSX_CONTENT_TYPE), filename)
