"""The indicators' inline SVG charts (extranet/dashboard/charts.py) and the page's template
tags (indicator_tags): well-formed, accessible SVG for line and bar charts, empty and
missing data, escaping of user text, number and unit formatting, the change against the
previous period, target progress, the tables' numeric columns, and the page itself rendered
from a hand-built report."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from extranet.dashboard import charts
from extranet.dashboard.indicators import Chart, Figure, Report, Scope, Section, Series, Table
from extranet.dashboard.periods import quarter_period
from extranet.dashboard.templatetags import indicator_tags

NS = {"svg": charts.SVG_NS}
Q1 = quarter_period(2026, 1)


def _parse(markup) -> ET.Element:
    # Our own markup, parsed to prove it is well-formed XML.
    return ET.fromstring(str(markup))  # noqa: S314


def _svg(chart, **kwargs) -> ET.Element:
    return _parse(charts.chart_svg(chart, **kwargs))


def _line(**overrides) -> Chart:
    data = {
        "key": "membership_series",
        "title": "Applications and new members",
        "kind": "line",
        "labels": ["1 Jan", "2 Jan", "3 Jan", "4 Jan", "5 Jan"],
        "series": [
            Series("New members", [1, 3, 0, 7, 2]),
            Series("Applications", [2, 4, 1, 8, 3]),
        ],
        "previous": Series("New members, previous period", [0, 1, 2, 1, 1]),
    }
    data.update(overrides)
    return Chart(**data)


def _bar(**overrides) -> Chart:
    data = {
        "key": "events_held_by_kind",
        "title": "Events held by kind",
        "kind": "bar",
        "labels": ["Seminars", "Round tables", "Conferences"],
        "series": [Series("Held", [5, 2, 0])],
        "previous": Series("Previous period", [3, 4, 1]),
    }
    data.update(overrides)
    return Chart(**data)


def _paths(root) -> list[ET.Element]:
    return root.findall(".//svg:g[@class]/svg:path[@fill='none']", NS)


def _points(root) -> list[ET.Element]:
    return [el for el in root.iter() if "chart-svg__point" in el.get("class", "")]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


# --- line charts --------------------------------------------------------------------------


def test_line_chart_is_an_accessible_svg_image():
    """The SVG parses as XML, is role="img", named by its <title> and described by its
    <desc>, which summarises each series (total and maximum for counts); it scales by its
    viewBox."""
    root = _svg(_line())
    assert root.tag == f"{{{charts.SVG_NS}}}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox") == f"0 0 {charts.WIDTH} {charts.LINE_HEIGHT}"
    title = root.find("svg:title", NS)
    desc = root.find("svg:desc", NS)
    assert root.get("aria-labelledby") == title.get("id") == "chart-membership_series-title"
    assert root.get("aria-describedby") == desc.get("id")
    assert title.text == "Applications and new members"
    assert "5 points, 1 Jan to 5 Jan" in desc.text
    assert "New members: total 13, the most 7 (4 Jan)." in desc.text
    assert "Applications: total 18, the most 8 (4 Jan)." in desc.text


def test_one_path_per_series_the_previous_period_dashed_and_drawn_first():
    """Each series, the previous period included, is one <path>; only the previous one is
    dashed and grey, and it comes first so the period's lines lie on top of it."""
    paths = _paths(_svg(_line()))
    assert len(paths) == 3
    dashed = [p for p in paths if p.get("stroke-dasharray")]
    assert dashed == [paths[0]]
    assert paths[0].get("stroke") == charts.PREVIOUS_COLOUR
    assert {p.get("stroke") for p in paths[1:]} == set(charts.PALETTE[:2])
    for path in paths:
        assert path.get("d").count("M") == 1 and path.get("d").count("L") == 4


def test_every_point_has_a_tooltip():
    """Each drawn value gets a marker whose <title> names the bucket, the series and the
    value; the series differ by marker shape, not only by colour."""
    root = _svg(_line())
    points = _points(root)
    assert len(points) == 15
    tips = [p.find("svg:title", NS).text for p in points]
    assert "4 Jan — New members: 7" in tips
    assert "2 Jan — New members, previous period: 1" in tips
    shapes = {p.tag.split("}")[1] for p in points}
    assert shapes == {"circle", "rect"}  # the third series would get diamonds (paths)


def test_missing_values_break_the_line_and_have_no_marker():
    """A None value leaves a gap: the path starts again after it, and no marker is drawn
    for it."""
    chart = _line(series=[Series("New members", [1, None, 2, 3, None])], previous=None)
    root = _svg(chart)
    (path,) = _paths(root)
    assert path.get("d").count("M") == 2
    assert len(_points(root)) == 3


def test_previous_period_longer_or_shorter_than_the_labels():
    """A previous period of another length (31 days against 28) is drawn over the labels
    there are: extra values are dropped, missing ones are simply not drawn."""
    longer = _line(previous=Series("Previous", [1] * 9))
    assert len(_points(_svg(longer))) == 5 + 5 + 5
    shorter = _line(previous=Series("Previous", [1, 1]))
    assert len(_points(_svg(shorter))) == 5 + 5 + 2


def test_y_gridlines_at_round_numbers():
    """The y axis is labelled at round numbers from 0 past the largest value."""
    root = _svg(_line())
    labels = [t.text for t in root.iterfind(".//svg:text", NS) if "label--y" in t.get("class")]
    assert labels == ["0", "2", "4", "6", "8"]


def test_a_few_labelled_x_ticks_for_a_long_series():
    """Sixty days get at most MAX_X_LABELS labels, the first day among them."""
    labels = [f"{n} Mar" for n in range(1, 61)]
    chart = _line(labels=labels, series=[Series("New members", list(range(60)))], previous=None)
    root = _svg(chart)
    xs = [t.text for t in root.iterfind(".//svg:text", NS) if "label--x" in t.get("class")]
    assert xs[0] == "1 Mar" and 2 <= len(xs) <= charts.MAX_X_LABELS


def test_empty_chart_draws_the_axis_and_a_note():
    """No buckets at all, or no value in any: the axis is drawn, no series, and «No data
    for this period» is written (and said in the description)."""
    for chart in (
        _line(labels=[], series=[Series("New members", [])], previous=None),
        _line(series=[Series("New members", [None] * 5)], previous=None),
    ):
        root = _svg(chart)
        assert not _paths(root)
        notes = [
            t.text for t in root.iterfind(".//svg:text", NS) if t.get("class") == "chart-svg__note"
        ]
        assert notes == ["No data for this period"]
        assert "No data for this period." in root.find("svg:desc", NS).text
        assert root.findall(".//svg:g[@class='chart-svg__grid']/svg:line", NS)


def test_all_zero_chart_draws_flat_lines_and_the_note():
    """All zeros: the lines are drawn along the axis and the note says there is nothing."""
    root = _svg(_line(series=[Series("New members", [0] * 5)], previous=None))
    assert len(_paths(root)) == 1
    assert any(t.text == "No data for this period" for t in root.iterfind(".//svg:text", NS))


def test_user_text_is_escaped():
    """Titles, labels and series names with <, & and quotes stay text: the SVG still parses
    and shows them as written."""
    nasty = 'R&D <script>alert("x")</script>'
    chart = _line(title=nasty, labels=[nasty, "b"], series=[Series(nasty, [1, 2])], previous=None)
    markup = str(charts.chart_svg(chart))
    assert "<script>" not in markup
    root = _parse(markup)
    assert root.find("svg:title", NS).text == nasty
    assert any(nasty in (p.find("svg:title", NS).text or "") for p in _points(root))
    bar = _parse(charts.chart_svg(_bar(labels=[nasty, "x", "y"])))
    texts = [t.text for t in bar.iterfind(".//svg:text", NS)]
    assert 'R&D <script>alert("x")</script>' in texts


def test_dom_ids_are_unique_and_safe():
    """The ids hang off the chart's key (made safe for an id) or the one given."""
    root = _svg(_line(key="a b/c"))
    assert root.find("svg:title", NS).get("id") == "chart-a-b-c-title"
    root = _svg(_line(), dom_id="other")
    assert root.get("aria-labelledby") == "other-title"


# --- bar charts ---------------------------------------------------------------------------


def test_bar_chart_groups_current_and_hatched_previous_bars():
    """One bar per value and period, the previous one filled with the chart's own hatch
    pattern and outlined; each bar's value is written at its end and in its tooltip."""
    root = _svg(_bar())
    assert root.get("role") == "img"
    bars = [r for r in root.iterfind(".//svg:rect", NS) if "chart-svg__bar" in r.get("class", "")]
    assert len(bars) == 6
    previous = [b for b in bars if "previous" in b.get("class")]
    assert len(previous) == 3
    pattern = root.find(".//svg:pattern", NS)
    assert pattern.get("id") == "chart-events_held_by_kind-hatch"
    assert {b.get("fill") for b in previous} == {"url(#chart-events_held_by_kind-hatch)"}
    values = [
        t.text for t in root.iterfind(".//svg:text", NS) if t.get("class") == "chart-svg__value"
    ]
    assert values == ["5", "3", "2", "4", "0", "1"]
    tips = [b.find("svg:title", NS).text for b in bars]
    assert "Round tables — Previous period: 4" in tips
    desc = root.find("svg:desc", NS).text
    assert "3 categories" in desc and "Held: total 7, the most 5 (Seminars)." in desc


def test_bar_widths_follow_the_values():
    """The longest bar belongs to the largest value and a zero is a sliver, not missing."""
    root = _svg(_bar())
    bars = [r for r in root.iterfind(".//svg:rect", NS) if "chart-svg__bar" in r.get("class", "")]
    widths = [float(b.get("width")) for b in bars]
    assert max(widths) == widths[0]
    assert 0 < widths[4] < 2


def test_bar_chart_missing_value_is_a_dash_and_ratings_use_a_scale_of_five():
    """A None value draws no bar but «—»; a rating chart's scale is 0 to 5, its values carry
    one decimal, and the tooltips the «of 5»."""
    chart = _bar(
        unit="rating",
        series=[Series("Average rating", [Decimal("4.3"), None, 5])],
        previous=None,
    )
    root = _svg(chart)
    bars = [r for r in root.iterfind(".//svg:rect", NS) if "chart-svg__bar" in r.get("class", "")]
    assert len(bars) == 2
    values = [
        t.text for t in root.iterfind(".//svg:text", NS) if t.get("class") == "chart-svg__value"
    ]
    assert values == ["4.3", "—", "5.0"]  # the scale says «of 5»; the tooltips too
    tips = [b.find("svg:title", NS).text for b in bars]
    assert tips == ["Seminars — Average rating: 4.3 of 5", "Conferences — Average rating: 5.0 of 5"]
    ticks = [t.text for t in root.iterfind(".//svg:text", NS) if "label--x" in t.get("class")]
    assert ticks == ["0", "1", "2", "3", "4", "5"]


def test_bar_chart_empty_and_long_labels():
    """No categories: the axis and the note; a long label is wrapped on two lines at most
    and ends with «…»."""
    root = _svg(_bar(labels=[], series=[Series("Held", [])], previous=None))
    assert any(t.text == "No data for this period" for t in root.iterfind(".//svg:text", NS))
    long = "Round tables and panel discussions " * 4
    root = _svg(_bar(labels=[long, "b", "c"]))
    lines = [
        t.text for t in root.iterfind(".//svg:text", NS) if "label--category" in t.get("class")
    ]
    assert len(lines) == 2 + 1 + 1
    assert lines[1].endswith("…")
    assert all(len(line) <= charts.LABEL_WRAP for line in lines)


# --- numbers ----------------------------------------------------------------------------


def test_nice_ticks():
    """Steps of 1, 2, 2.5 or 5 times a power of ten, whole for counts, past the maximum."""
    assert charts.nice_ticks(0, 7) == [0, 2, 4, 6, 8]
    assert charts.nice_ticks(0, 1234) == [0, 500, 1000, 1500]
    assert charts.nice_ticks(0, 0) == [0, 1]
    assert charts.nice_ticks(0, 3) == [0, 1, 2, 3]
    assert charts.nice_ticks(0, 0.7, integer=False) == [0, 0.2, 0.4, 0.6, 0.8]


def test_values_with_units_in_english_and_russian_numbers():
    """Units: hours, «of 5», percent, a ratio with one decimal, counts grouped; Russian
    numbers have a decimal comma and a no-break space between thousands."""
    assert charts.format_value(12.5, "hours") == "12.5 h"
    assert charts.format_value(Decimal("4.25"), "rating") == "4.2 of 5"
    assert charts.format_value(45, "percent") == "45%"
    assert charts.format_value(2, "ratio") == "2.0"
    assert charts.format_value(1234567, "") == "1,234,567"
    assert charts.format_value(None, "hours") == "—"
    with translation.override("ru"):
        assert charts.plain_number(1234) == "1\xa0234"
        assert charts.plain_number(12.5) == "12,5"
        assert charts.plain_number(12.0) == "12"
        assert "4,3" in charts.format_value(Decimal("4.3"), "rating")


def test_chart_rows_give_the_data_table_with_totals_for_counts():
    """The data table has the label, each series and the previous period as columns, a
    row per bucket and, for counts, a totals row; other units have no totals."""
    head, rows, totals = charts.chart_rows(_line())
    assert head == ["Date", "New members", "Applications", "New members, previous period"]
    assert rows[3] == ["4 Jan", "7", "8", "1"]
    assert totals == ["Total", "13", "18", "5"]
    head, rows, totals = charts.chart_rows(_bar(unit="rating", previous=None))
    assert head[0] == "Category" and totals is None
    assert rows[0] == ["Seminars", "5.0 of 5"]


# --- template tags ----------------------------------------------------------------------------


def _render(source: str, **context) -> str:
    return Template("{% load indicator_tags %}" + source).render(Context(context))


def test_chart_tag_renders_the_svg_legend_and_a_data_table_disclosure():
    """{% chart %}: a <figure> captioned by the chart's title, its SVG, a legend entry per
    series (with a decorative sample) and a «Data table» <details> holding the numbers."""
    html = _render("{% chart c %}", c=_line())
    assert '<figure class="indicator-chart"' in html
    assert html.count('role="img"') == 1
    assert html.count('class="chart-legend__item"') == 3
    assert html.count('aria-hidden="true"') >= 3
    assert re.search(r"<details[^>]*>\s*<summary>Data table</summary>", html)
    assert '<th scope="row">4 Jan</th><td class="num">7</td>' in html
    assert "<tfoot>" in html


def test_indicator_value_filter():
    """The filter formats a figure's value by its unit."""
    html = _render("{{ v|indicator_value:'hours' }}|{{ n|indicator_value }}", v=12.5, n=1500)
    assert html == "12.5 h|1,500"


def test_figure_delta_up_down_same_and_missing():
    """Up and down show an arrow, the signed change and the percentage (hidden from screen
    readers) and a sentence for them; no change says so; a missing value shows nothing; a
    zero previous value gives the change without a percentage."""
    up = indicator_tags.figure_delta(Figure("k", "K", 15, 12))
    assert "▲ +3 (+25%)" in up and "figure-delta--up" in up
    assert '<span class="visually-hidden">Up 3 (25%) from the previous period.</span>' in up
    down = indicator_tags.figure_delta(Figure("k", "K", Decimal("9"), 12.0))
    assert "▼ −3 (−25%)" in down
    assert "Down 3 (25%) from the previous period." in down
    same = indicator_tags.figure_delta(Figure("k", "K", 4, 4))
    assert "figure-delta--same" in same and "No change" in same
    assert indicator_tags.figure_delta(Figure("k", "K", None, 4)) == ""
    assert indicator_tags.figure_delta(Figure("k", "K", 4, None)) == ""
    from_zero = indicator_tags.figure_delta(Figure("k", "K", 4, 0))
    assert "▲ +4<" in from_zero and "Up 4 from the previous period." in from_zero
    hours = indicator_tags.figure_delta(Figure("k", "K", 10.5, 12, unit="hours"))
    assert "−1.5 h" in hours
    points = indicator_tags.figure_delta(Figure("k", "K", 40, 30, unit="percent"))
    assert "+10 pp" in points and "%)" not in points


def test_target_progress():
    """With a target: a <progress> (capped at 100) labelled by «Target: X of Y (Z%)»;
    beyond the target it says so; without a target nothing."""
    html = indicator_tags.target_progress(Figure("members", "M", 12, target=Decimal("20")))
    assert '<progress class="target-progress__bar" max="100" value="60"' in html
    assert 'aria-labelledby="target-members"' in html
    assert "Target: 12 of 20 (60%)" in html
    over = indicator_tags.target_progress(Figure("members", "M", 30, target=Decimal("20")))
    assert 'value="100"' in over and "150%" in over and "Target reached" in over
    assert indicator_tags.target_progress(Figure("members", "M", 12)) == ""
    zero = indicator_tags.target_progress(Figure("members", "M", None, target=Decimal("5")))
    assert 'value="0"' in zero and "— of 5" in zero


def test_indicator_table_marks_numeric_columns():
    """Columns of numbers (empty cells allowed) are numeric; text columns are not; cells are
    formatted and the totals row follows the same columns; a column with a fraction keeps
    one decimal in every row."""
    table = Table(
        key="t",
        title="T",
        columns=["Kind", "Held", "Rating"],
        rows=[["A", 1200, None], ["B", 3, Decimal("4.25")]],
        totals=["Total", 1203, Decimal("4.3")],
    )
    cells = indicator_tags.indicator_table(table)
    assert [c.numeric for c in cells.head] == [False, True, True]
    assert [c.text for c in cells.rows[0]] == ["A", "1,200", "—"]
    assert cells.rows[1][2].text == "4.2"
    assert [c.text for c in cells.totals] == ["Total", "1,203", "4.3"]
    mixed = Table(key="m", title="M", columns=["Kind", "Ratio"], rows=[["A", 2], ["B", 2.25]])
    assert [row[1].text for row in indicator_tags.indicator_table(mixed).rows] == ["2.0", "2.2"]


def test_period_fields_say_which_kinds_use_them():
    """The period picker's fields come with the kinds that use them."""
    from extranet.dashboard.periods import PeriodForm

    fields = indicator_tags.period_fields(PeriodForm())
    assert [(f.name, kinds) for f, kinds in fields] == [
        ("year", "year quarter month"),
        ("quarter", "quarter"),
        ("month", "month"),
        ("start", "custom"),
        ("end", "custom"),
    ]


# --- the page -----------------------------------------------------------------------------------


def _report() -> Report:
    membership = Section(
        key="membership",
        title="Membership",
        figures=[
            Figure("members", "Members", 1234, 1000, target=Decimal("2000")),
            Figure("decision_hours", "Median time to a decision", 12.5, 20, unit="hours"),
            Figure("rating", "Average rating", Decimal("4.3"), None, unit="rating", help="1-5"),
        ],
        charts=[_line()],
        tables=[
            Table(
                key="members_per_initiative",
                title="Members per initiative",
                columns=["Initiative", "Members"],
                rows=[["Gorki & Co", 10], ["Polotsk", 5]],
                totals=["Total", 15],
            )
        ],
        note="Counted from the memberships.",
    )
    events = Section(key="events", title="Events", charts=[_bar()])
    return Report(scope=Scope(), period=Q1, sections=[membership, events])


@pytest.mark.django_db
def test_the_page_renders_a_hand_built_report(client_for, people, monkeypatch):
    """The portal admin's page shows the title, the period and its comparison, the report's
    and targets' links, the scope switch with every initiative, the period picker (each
    field saying for which kinds), jump links, every section's cards (value, previous,
    change, target), its charts with data tables, its tables with CSV/XLSX links and totals,
    and its note; the page's own CSS and JS are linked, and there is no inline script."""
    monkeypatch.setattr(
        "extranet.dashboard.views_indicators.indicators_report", lambda **kwargs: _report()
    )
    html = client_for(people["portal_admin"]).get("/en/cabinet/admin/indicators/").content.decode()
    assert re.search(r"<h1>\s*Indicators\s*</h1>", html)
    assert "compared with" in html
    assert "Download the report (XLSX)" in html
    assert "/cabinet/admin/indicators/targets/" in html
    assert 'name="initiative"' in html and ">The whole platform</option>" in html
    assert 'value="gorki"' in html and 'value="polotsk"' in html
    assert 'data-period-for="year quarter month"' in html and 'data-period-for="custom"' in html
    assert 'href="#section-membership"' in html and 'href="#section-events"' in html
    assert ">1,234</div>" in html and "12.5 h" in html and "4.3 of 5" in html
    assert "Target: 1,234 of 2,000" in html
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg') == 2
    assert html.count("<summary>Data table</summary>") == 2
    assert "export/members_per_initiative.csv?" in html
    assert "export/members_per_initiative.xlsx?" in html
    assert "Gorki &amp; Co" in html
    assert "<tfoot>" in html and "Counted from the memberships." in html
    assert "css/indicators.css" in html and "js/indicators.js" in html
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert "<script" not in main
    assert not re.search(r"\son[a-z]+=", main)
    assert ' style="' not in main


@pytest.mark.django_db
def test_a_bad_period_shows_its_errors(client_for, people):
    """A custom period with its last day before its first: the page says it cannot show it,
    marks the field and shows the default period meanwhile."""
    client = client_for(people["portal_admin"])
    html = client.get(
        "/en/cabinet/admin/indicators/?period=custom&start=2026-03-10&end=2026-03-01"
    ).content.decode()
    assert 'role="alert"' in html
    assert "The last day is before the first." in html
    assert 'aria-invalid="true"' in html


@pytest.mark.django_db
def test_the_group_page_has_no_scope_switch(client_for, people, gorki):
    """An initiative admin's page is titled with their initiative (its short name, the full
    one under it) and offers no switch to
    the platform or other initiatives (nor the targets, which the portal admin sets)."""
    html = (
        client_for(people["initiative_admin"])
        .get(f"/en/cabinet/groups/{gorki.slug}/indicators/")
        .content.decode()
    )
    assert re.search(rf"<h1>\s*Indicators: {gorki.short_name}\s*</h1>", html)
    assert gorki.title in html
    assert 'name="initiative"' not in html
    assert "/indicators/targets/" not in html
