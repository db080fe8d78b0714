"""The indicators page «Показатели» in a real browser: the portal admin opens last year's
report built from memberships spread over that year (and a few in the year before), sees
the SVG charts with their lines drawn, opens a chart's data table, switches the period
picker's fields by kind, changes the scope to an initiative keeping the period, and the page
never scrolls sideways at a phone's 390 px."""

from __future__ import annotations

import datetime
import re

import pytest

from extranet.dashboard.periods import platform_today, platform_zone
from extranet.members.models import Membership
from tests.browser.helpers import log_in
from tests.factories import PASSWORD, MembershipFactory, PortalAdminFactory, ProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _at(year: int, month: int, day: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=platform_zone())


def _member(initiative, *, applied: datetime.datetime, approved: datetime.datetime | None):
    """A membership applied for and (when ``approved``) approved at the given times; the
    times are written directly (``applied_at`` is set on creation otherwise)."""
    membership = MembershipFactory(
        initiative=initiative,
        user=ProfileFactory().user,
        status="approved" if approved else "pending",
    )
    Membership.objects.filter(pk=membership.pk).update(
        applied_at=applied, approved_at=approved, decided_at=approved
    )
    return membership


@pytest.fixture
def site(live_server, gorki, polotsk):
    year = platform_today().year - 1
    # Last year: one or two members a month in each initiative, approved a few days after
    # applying; the year before: a few, so the previous period's line has something too.
    for month in range(1, 13):
        for n, initiative in enumerate((gorki, polotsk)):
            if (month + n) % 3 == 0:
                continue
            applied = _at(year, month, 3 + n)
            _member(initiative, applied=applied, approved=applied + datetime.timedelta(days=4))
        _member(gorki, applied=_at(year, month, 20), approved=None)
    for month in (2, 6, 9):
        applied = _at(year - 1, month, 10)
        _member(polotsk, applied=applied, approved=applied + datetime.timedelta(days=2))
    admin = PortalAdminFactory(email="indicators-admin@example.com")
    ProfileFactory(user=admin)
    return {"base": live_server.url, "admin": admin, "year": year, "gorki": gorki}


def _open(page, site, query=""):
    page.goto(f"{site['base']}/en/cabinet/admin/indicators/?period=year&year={site['year']}{query}")
    page.wait_for_load_state()


def test_charts_data_table_period_fields_and_scope(page, site, screenshot):
    """The membership chart is a visible SVG image with a line per series whose points are
    drawn; its «Data table» opens and lists a row per month; the period picker shows only
    the fields of the chosen kind (quarter: year and quarter; custom: the two dates) and a
    custom period submits; the scope switch goes to an initiative with the year kept."""
    log_in(page, site["base"], site["admin"].email, PASSWORD)
    _open(page, site)
    assert page.get_by_role("heading", level=1).inner_text().strip() == "Indicators"

    chart = page.locator("#chart-membership_series-figure")
    svg = chart.locator("svg.chart-svg")
    svg.wait_for(state="visible")
    assert svg.get_attribute("role") == "img"
    box = svg.bounding_box()
    assert box["width"] > 300 and box["height"] > 100
    lines = svg.locator(".chart-svg__series path")
    assert lines.count() == 3  # new members, applications, the previous year's new members
    for i in range(lines.count()):
        assert re.search(r"M[\d.]+ [\d.]+L", lines.nth(i).get_attribute("d"))
    assert svg.locator(".chart-svg__point").count() == 3 * 12
    assert "No data" not in svg.text_content()
    screenshot(page, "desktop")

    data = chart.locator("details.indicator-chart__data")
    table = data.locator("table")
    assert not table.is_visible()
    data.locator("summary").click()
    assert table.is_visible()
    assert data.get_attribute("open") is not None
    assert table.locator("tbody tr").count() == 12

    form = page.locator("[data-period-form]")
    year, quarter, month, start = (
        form.locator(f"[name={name}]") for name in ("year", "quarter", "month", "start")
    )
    assert year.is_visible() and not quarter.is_visible() and not start.is_visible()
    form.locator("select[name=period]").select_option("quarter")
    assert year.is_visible() and quarter.is_visible()
    assert not month.is_visible() and not start.is_visible()
    form.locator("select[name=period]").select_option("custom")
    assert start.is_visible() and not year.is_visible() and not quarter.is_visible()
    start.fill(f"{site['year']}-03-01")
    form.locator("[name=end]").fill(f"{site['year']}-03-31")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "period=custom" in page.url and "year=" not in page.url
    assert f"start={site['year']}-03-01" in page.url
    assert str(site["year"]) in page.locator(".indicators__period").inner_text()
    assert page.locator("#chart-membership_series-figure .chart-svg__point").count() > 0

    _open(page, site)
    form.locator("select[name=initiative]").select_option("gorki")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "initiative=gorki" in page.url and f"year={site['year']}" in page.url
    assert site["gorki"].short_name in page.get_by_role("heading", level=1).inner_text()
    assert site["gorki"].title in page.locator(".indicators__initiative").inner_text()


def test_phone_width_does_not_scroll_sideways(browser, site, screenshot):
    """At 390 px the page is no wider than the screen: the wide table scrolls inside its own
    box, the charts shrink with theirs and their text stays at a readable size."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ru-RU")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        log_in(page, site["base"], site["admin"].email, PASSWORD)
        _open(page, site)
        page.locator("svg.chart-svg").first.wait_for(state="visible")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        scroller = page.locator("#table-members_per_initiative .indicator-scroll")
        widths = scroller.evaluate("el => [el.scrollWidth, el.clientWidth]")
        assert widths[0] > widths[1]  # the table is wider than its box, and scrolls in it
        label_height = page.locator("svg.chart-svg .chart-svg__label--x").first.evaluate(
            "el => el.getBoundingClientRect().height"
        )
        assert label_height >= 11
        screenshot(page, "phone")
    finally:
        context.close()


def test_demo_data_indicators_show_real_charts(page, live_server, screenshot):
    """``seed_demo``'s portal admin opens «Показатели»: every section of this year's report
    is there with drawn charts (lines with points, bars with width) from the demo's own
    history, and the page is saved as a screenshot."""
    from io import StringIO

    from django.core.management import call_command

    from tests.factories import ensure_home_page

    ensure_home_page()
    call_command("seed_demo", "--force", stdout=StringIO())
    log_in(page, live_server.url, "admin@example.com", "demo-password-2026")
    page.goto(live_server.url + "/cabinet/admin/indicators/")
    sections = page.locator("main section h2").all_inner_texts()
    for title in ("Участие в инициативах", "Мероприятия", "Активность", "Биржа идей"):
        assert any(title in text for text in sections), sections
    charts = page.locator("main svg[role=img]")
    assert charts.count() >= 6
    # Lines with more than two points of which some are above zero, and bars with width.
    heights = page.eval_on_selector_all(
        "main svg[role=img] path", "els => els.map(e => e.getBBox().height)"
    )
    assert sum(1 for h in heights if h > 5) >= 3, heights
    widths = page.eval_on_selector_all(
        "main svg[role=img] rect", "els => els.map(e => e.getBBox().width)"
    )
    assert sum(1 for w in widths if w > 5) >= 3
    assert screenshot(page, "indicators-demo").stat().st_size > 50_000
