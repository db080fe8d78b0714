"""Exports of the indicators (issue 14): a table to CSV and XLSX, the whole report to one
XLSX workbook with a sheet per section; formula guard, file names, the views' downloads."""

import csv
import datetime
import io
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation
from openpyxl import load_workbook

from extranet.dashboard import exports
from extranet.dashboard.indicators import (
    Figure,
    Report,
    Scope,
    Section,
    Table,
    indicators_report,
)
from extranet.dashboard.periods import Period, month_period, quarter_period, year_period

YEAR = 2025


@pytest.fixture(autouse=True)
def _english():
    """The exports' own words (headings, «Whole platform») in English, as the /en/ site."""
    with translation.override("en"):
        yield


def _table(**kwargs):
    values = {
        "key": "members_per_initiative",
        "title": "Участники по инициативам",
        "columns": ["Инициатива", "Участники", "Рейтинг"],
        "rows": [
            ["Кластер «Горки»", 12, 4.25],
            ['=HYPERLINK("http://evil")', 3, None],
            ["+375 29 000-00-00", 0, Decimal("1.50")],
            ["-1+1", -2, 0.0],
            ["@SUM(A1)", 1, 5.0],
        ],
        "totals": ["Итого", 14, None],
    }
    values.update(kwargs)
    return Table(**values)


def _initiative(slug="gorki", title="Кластер аграрных биотехнологий Горецкого района", pk=7):
    return SimpleNamespace(pk=pk, slug=slug, title=title)


def _report(*, sections=None, initiative=None, period=None):
    if sections is None:
        sections = [
            Section(
                key="membership",
                title="Членство",
                figures=[
                    Figure(key="members", label="Участники", value=120, previous=100),
                    Figure(
                        key="decision_hours",
                        label="Медиана решения",
                        value=12.5,
                        previous=None,
                        unit="hours",
                        targetable=False,
                    ),
                    Figure(
                        key="applications",
                        label="Заявки",
                        value=30,
                        previous=40,
                        target=Decimal("60"),
                    ),
                ],
                tables=[_table()],
            ),
            Section(
                key="events",
                title="Мероприятия",
                figures=[Figure(key="events_held", label="Проведено", value=None)],
                tables=[
                    _table(key="events_by_kind", title="По видам", totals=None),
                    _table(key="events_ratings", title="Оценки", rows=[], totals=None),
                ],
            ),
        ]
    return Report(
        scope=Scope(initiative=initiative),
        period=period or year_period(YEAR),
        sections=sections,
    )


def _csv_rows(response):
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def _row(sheet, number, width=3):
    """The first ``width`` values of a row (a sheet's rows run to its widest column)."""
    return [cell.value for cell in sheet[number]][:width]


def _workbook(data: bytes):
    return load_workbook(io.BytesIO(data))


# --- file names --------------------------------------------------------------------------


def test_file_names_say_scope_period_and_table_in_ascii():
    """indicators-<scope>-<period>-<table>.<fmt>: «platform» or the initiative's slug (a
    Cyrillic one transliterated), the period's key for each kind, nothing but ASCII."""
    platform = _report()
    assert exports.export_filename(platform, "members_per_initiative", "csv") == (
        "indicators-platform-2025-members_per_initiative.csv"
    )
    gorki = _report(initiative=_initiative())
    assert exports.export_filename(gorki, "report", "xlsx") == "indicators-gorki-2025-report.xlsx"
    cyrillic = _report(initiative=_initiative(slug="горки-кластер"), period=quarter_period(YEAR, 2))
    assert exports.export_filename(cyrillic, "events", "csv") == (
        "indicators-gorki-klaster-2025-q2-events.csv"
    )
    unknown = _report(initiative=_initiative(slug="中文", pk=42), period=month_period(YEAR, 3))
    assert exports.export_filename(unknown, "events", "csv") == (
        "indicators-initiative-42-2025-03-events.csv"
    )
    custom = _report(period=Period("custom", datetime.date(2025, 1, 5), datetime.date(2025, 2, 1)))
    name = exports.export_filename(custom, 'a"b/..\\c', "csv")
    assert name == "indicators-platform-2025-01-05_2025-02-01-abc.csv"
    assert name.isascii()


# --- CSV ---------------------------------------------------------------------------------


def test_csv_has_bom_header_rows_totals_and_guards_formulas():
    """UTF-8 with a BOM, the columns, every row and the totals; text that would run as a
    formula (= + - @) gets a quote, numbers stay numbers; an empty value is an empty cell;
    sent as an attachment under the given name."""
    response = exports.csv_response(_table(), filename="indicators-platform-2025-x.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == (
        'attachment; filename="indicators-platform-2025-x.csv"'
    )
    rows = _csv_rows(response)
    assert rows == [
        ["Инициатива", "Участники", "Рейтинг"],
        ["Кластер «Горки»", "12", "4.25"],
        ['\'=HYPERLINK("http://evil")', "3", ""],
        ["'+375 29 000-00-00", "0", "1.50"],
        ["'-1+1", "-2", "0.0"],
        ["'@SUM(A1)", "1", "5.0"],
        ["Итого", "14", ""],
    ]


def test_csv_without_totals_and_with_lazy_labels_and_dates():
    """A table without totals ends with its rows; translated (lazy) column names and dates
    are written as text."""
    from django.utils.translation import gettext_lazy

    table = Table(
        key="t",
        title="T",
        columns=[gettext_lazy("Initiative"), "Day"],
        rows=[["=1", datetime.date(2025, 3, 1)]],
    )
    rows = _csv_rows(exports.csv_response(table, filename="t.csv"))
    assert rows == [["Initiative", "Day"], ["'=1", "2025-03-01"]]


# --- XLSX of one table ---------------------------------------------------------------------


def test_table_xlsx_has_title_scope_period_bold_header_formats_and_totals():
    """One sheet: the table's title, «scope · period», then a bold header, the rows with
    numbers as numbers (formats set), a bold totals row; formulas are text, columns sized."""
    report = _report(initiative=_initiative())
    book = _workbook(exports.table_xlsx(_table(), report=report))
    assert len(book.worksheets) == 1
    sheet = book.active
    assert sheet["A1"].value == "Участники по инициативам"
    assert sheet["A1"].font.bold
    assert sheet["A2"].value == "Кластер аграрных биотехнологий Горецкого района · 2025"
    header = [cell.value for cell in sheet[4]]
    assert header == ["Инициатива", "Участники", "Рейтинг"]
    assert all(cell.font.bold for cell in sheet[4])
    assert sheet["A5"].value == "Кластер «Горки»"
    assert sheet["B5"].value == 12 and sheet["B5"].number_format == exports.INT_FORMAT
    assert sheet["C5"].value == 4.25 and sheet["C5"].number_format == exports.DECIMAL_FORMAT
    assert sheet["C7"].value == 1.5
    # Guarded: stored as text with the quote, never as a formula.
    assert sheet["A6"].value == '\'=HYPERLINK("http://evil")'
    assert sheet["A6"].data_type == "s"
    assert sheet["A9"].value == "'@SUM(A1)"
    assert sheet["C6"].value is None
    totals = [cell.value for cell in sheet[10]]
    assert totals == ["Итого", 14, None]
    assert sheet["A10"].font.bold and sheet["B10"].font.bold
    assert not sheet["A5"].font.bold
    assert sheet.max_row == 10
    # Widths follow the widest text, not the title (which is not measured).
    assert sheet.column_dimensions["A"].width >= len('=HYPERLINK("http://evil")')
    assert sheet.column_dimensions["B"].width >= exports.MIN_WIDTH
    assert sheet.column_dimensions["B"].width < 20


def test_table_xlsx_of_the_platform_names_the_platform():
    """The scope line says «whole platform» for the platform's report."""
    book = _workbook(exports.table_xlsx(_table(totals=None), report=_report()))
    assert book.active["A2"].value == "Whole platform · 2025"
    assert book.active.max_row == 9


# --- XLSX of the whole report ------------------------------------------------------------


def test_report_xlsx_has_one_sheet_per_section_with_figures_and_tables():
    """A sheet per section, named by its title; the figures (indicator with unit, value,
    previous period, change, target, progress as a percentage) then each table under its
    title with a bold header and totals."""
    book = _workbook(exports.report_xlsx(_report()))
    assert book.sheetnames == ["Членство", "Мероприятия"]
    sheet = book["Членство"]
    assert sheet["A1"].value == "Членство"
    assert sheet["A2"].value == "Whole platform · 2025"
    assert _row(sheet, 4, 6) == [
        "Indicator",
        "2025",
        "Previous period (2024)",
        "Change",
        "Target",
        "Progress",
    ]
    assert _row(sheet, 5, 6) == ["Участники", 120, 100, 20, None, None]
    assert _row(sheet, 6, 6) == ["Медиана решения, hours", 12.5, None, None, None, None]
    assert _row(sheet, 7, 6) == ["Заявки", 30, 40, -10, 60, 0.5]
    assert sheet["F7"].number_format == exports.PERCENT_FORMAT
    assert sheet["A9"].value == "Участники по инициативам"
    assert sheet["A9"].font.bold
    assert _row(sheet, 10) == ["Инициатива", "Участники", "Рейтинг"]
    assert sheet["A11"].value == "Кластер «Горки»"
    assert sheet["A12"].value == '\'=HYPERLINK("http://evil")'
    assert sheet["A16"].value == "Итого" and sheet["A16"].font.bold
    events = book["Мероприятия"]
    assert _row(events, 5, 6) == ["Проведено", None, None, None, None, None]
    titles = [row[0].value for row in events.iter_rows() if row[0].font.size == 12]
    assert titles == ["По видам", "Оценки"]
    # The empty table still has its header.
    assert _row(events, events.max_row) == ["Инициатива", "Участники", "Рейтинг"]


def test_sheet_names_are_valid_and_unique():
    """Excel's rules: no []:*?/\\, at most 31 characters, no quote at the ends, unique
    without regard to case."""
    long_title = "Активность: посты/комментарии [по группам] * и чаты? " * 2
    sections = [
        Section(key="a", title=long_title),
        Section(key="b", title=long_title),
        Section(key="c", title="'Идеи'"),
        Section(key="d", title="идеи"),
        Section(key="e", title="///"),
    ]
    book = _workbook(exports.report_xlsx(_report(sections=sections)))
    names = book.sheetnames
    assert len(names) == 5
    assert len({name.lower() for name in names}) == 5
    for name in names:
        assert len(name) <= 31
        assert not set(name) & set("[]:*?/\\")
        assert not name.startswith("'") and not name.endswith("'")
    assert names[0].startswith("Активность посты комментарии")
    assert names[1].endswith("(2)")
    assert names[2] == "Идеи" and names[3] == "идеи (2)"


def test_an_empty_report_is_still_a_workbook():
    """A report without sections gives one sheet saying there is nothing (not an error)."""
    book = _workbook(exports.report_xlsx(_report(sections=[])))
    assert len(book.worksheets) == 1
    values = [row[0].value for row in book.active.iter_rows()]
    assert "No indicators for this period." in values


def test_xlsx_response_is_an_attachment():
    """The workbook goes out as an XLSX attachment under its name."""
    response = exports.xlsx_response(b"PK", filename="indicators-platform-2025-report.xlsx")
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == (
        'attachment; filename="indicators-platform-2025-report.xlsx"'
    )
    assert response.content == b"PK"


# --- through the views -------------------------------------------------------------------

PLATFORM = "/en/cabinet/admin/indicators/"
GROUP = "/en/cabinet/groups/gorki/indicators/"


@pytest.mark.django_db
def test_portal_admin_downloads_a_table_and_the_report(client_for, people, gorki, polotsk):
    """The portal admin's CSV and XLSX of the members table and the whole report, computed
    by the real report, named after the scope and period."""
    client = client_for(people["portal_admin"])
    query = f"?period=year&year={YEAR}"
    response = client.get(f"{PLATFORM}export/members_per_initiative.csv{query}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="indicators-platform-{YEAR}-members_per_initiative.csv"'
    )
    rows = _csv_rows(response)
    assert gorki.title in [row[0] for row in rows]
    assert polotsk.title in [row[0] for row in rows]

    response = client.get(f"{PLATFORM}export/members_per_initiative.xlsx{query}&initiative=gorki")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="indicators-gorki-{YEAR}-members_per_initiative.xlsx"'
    )
    sheet = _workbook(response.content).active
    assert sheet["A2"].value == f"{gorki.title} · {YEAR}"
    assert sheet["A5"].value == gorki.title

    response = client.get(f"{PLATFORM}report.xlsx{query}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="indicators-platform-{YEAR}-report.xlsx"'
    )
    book = _workbook(response.content)
    report = indicators_report(period=year_period(YEAR))
    # One sheet per section of the real report, each with its figures and every table.
    assert book.sheetnames == [str(section.title)[:31] for section in report.sections]
    assert "Membership" in book.sheetnames
    for section, sheet in zip(report.sections, book.worksheets, strict=True):
        first_column = [row[0].value for row in sheet.iter_rows()]
        for figure in section.figures:
            assert any(str(v).startswith(str(figure.label)) for v in first_column if v)
        for table in section.tables:
            assert str(table.title) in first_column


@pytest.mark.django_db
def test_initiative_admin_downloads_their_own_only(client_for, people, gorki, polotsk):
    """An initiative admin gets their initiative's exports, not another's nor the
    platform's."""
    client = client_for(people["initiative_admin"])
    response = client.get(f"{GROUP}export/members_per_initiative.csv?period=year&year={YEAR}")
    assert response.status_code == 200
    assert [row[0] for row in _csv_rows(response)[1:]] == [gorki.title]
    assert client.get(f"{GROUP}report.xlsx").status_code == 200
    other = "/en/cabinet/groups/polotsk/indicators/"
    assert client.get(f"{other}export/members_per_initiative.csv").status_code == 403
    assert client.get(f"{other}report.xlsx").status_code == 403
    assert client.get(f"{PLATFORM}report.xlsx").status_code == 403


@pytest.mark.django_db
def test_every_table_of_the_real_report_downloads(client_for, people, gorki):
    """Every table the sections make (whatever their values: counts, ratios, ratings, empty
    cells) comes out as CSV and XLSX with its header row first."""
    client = client_for(people["portal_admin"])
    report = indicators_report(period=year_period(YEAR))
    assert report.tables()
    for table in report.tables():
        url = f"{PLATFORM}export/{table.key}"
        rows = _csv_rows(client.get(f"{url}.csv?period=year&year={YEAR}"))
        assert rows[0] == [str(column) for column in table.columns], table.key
        assert len(rows) == 1 + len(table.rows) + (1 if table.totals else 0)
        sheet = _workbook(client.get(f"{url}.xlsx?period=year&year={YEAR}").content).active
        assert _row(sheet, 4, len(table.columns)) == [str(c) for c in table.columns]
