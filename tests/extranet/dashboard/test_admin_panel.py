"""The indicators' summary panel on Wagtail's dashboard (issue 14, item 5): shown to portal
admins and editors only, counts only, a link to the full page for the portal admin, and a
constant number of queries."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from extranet.dashboard import admin_panel
from extranet.dashboard.admin_panel import (
    SUMMARY_KEYS,
    IndicatorsSummaryPanel,
    add_indicators_summary,
    summary_rows,
)
from extranet.dashboard.indicators import Figure, Report, Scope, Section
from extranet.dashboard.periods import year_period
from tests.factories import MembershipFactory, ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

DASHBOARD = "/admin/"
PANEL_ID = 'id="indicators-summary-section"'
INDICATORS_URL = "/cabinet/admin/indicators/"


def _panel(html: str) -> str:
    """The panel's own HTML (its <section>), or "" when it is not on the page."""
    match = re.search(r'<section[^>]*id="indicators-summary-section".*?</section>', html, re.S)
    return match.group(0) if match else ""


def _row(panel: str, key: str) -> list[str]:
    match = re.search(rf'<tr data-indicator="{key}">(.*?)</tr>', panel, re.S)
    assert match, key
    return [cell.strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", match.group(1), re.S)]


def test_portal_admin_sees_counts_and_the_link(client_for, people):
    """The portal admin's dashboard has the panel: this year's counts beside last year's
    (seven accounts registered this year, none last year) and «All indicators»."""
    response = client_for(people["portal_admin"]).get(DASHBOARD)
    assert response.status_code == 200
    panel = _panel(response.content.decode())
    assert panel
    assert _row(panel, "users_registered")[1:] == ["7", "0"]
    assert f'href="{INDICATORS_URL}"' in panel
    # Every row of the summary is there now that every section is written.
    keys = re.findall(r'<tr data-indicator="([a-z_]+)">', panel)
    assert keys == [row[0] for row in SUMMARY_KEYS]


def test_editor_sees_the_counts_without_the_link(client_for, people):
    """An editor gets the same counts but no link: the full page is the portal admin's."""
    response = client_for(people["editor"]).get(DASHBOARD)
    assert response.status_code == 200
    panel = _panel(response.content.decode())
    assert panel
    assert _row(panel, "users_registered")[1:] == ["7", "0"]
    assert INDICATORS_URL not in panel


@pytest.mark.parametrize("role", ["initiative_admin", "member", "pending", "registered"])
def test_others_do_not_see_the_panel(client_for, people, role):
    """Initiative admins (who may use Wagtail admin for their pages) and everyone else get no
    panel, whether or not the dashboard opens for them."""
    response = client_for(people[role]).get(DASHBOARD)
    assert response.status_code in (200, 302, 403)
    assert PANEL_ID not in response.content.decode()


@pytest.mark.parametrize(
    ("role", "shown"),
    [("portal_admin", True), ("editor", True), ("initiative_admin", False), ("member", False)],
)
def test_the_hook_adds_the_panel_for_admins_and_editors_only(people, role, shown):
    """The ``construct_homepage_panels`` hook itself adds the panel only when the viewer may
    see the summary (so a role that does reach Wagtail admin still gets none)."""
    request = RequestFactory().get(DASHBOARD)
    request.user = people[role]
    panels = []
    add_indicators_summary(request, panels)
    assert [type(p) for p in panels] == ([IndicatorsSummaryPanel] if shown else [])


def test_guests_are_sent_to_log_in(client):
    """A guest never reaches the dashboard (Wagtail's own login redirect)."""
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert PANEL_ID not in response.content.decode()


def test_the_panel_shows_counts_only(client_for, people):
    """No one's name or e-mail is in the panel: only labels and numbers."""
    panel = _panel(client_for(people["portal_admin"]).get(DASHBOARD).content.decode())
    assert panel
    for user in people.values():
        if user is None:
            continue
        assert user.email not in panel
        assert user.last_name not in panel
        assert user.first_name not in panel
    assert "@" not in panel
    for cells in re.findall(r"<tr data-indicator=\"[a-z_]+\">(.*?)</tr>", panel, re.S):
        numbers = re.findall(r"<td>(.*?)</td>", cells, re.S)
        assert all(re.fullmatch(r"[\d\s  ,.—-]+", n.strip()) for n in numbers), numbers


def test_rows_take_the_first_present_key_and_skip_missing_and_non_counts(monkeypatch):
    """The summary keeps its order, takes the first of a row's keys the report has, leaves
    out rows it has none of and figures that are not plain counts."""
    monkeypatch.setattr(
        admin_panel,
        "SUMMARY_KEYS",
        [
            ("users_registered",),
            ("members",),
            ("renamed_posts", "posts"),
            ("gone",),
            ("chat_messages",),
        ],
    )
    report = Report(
        scope=Scope(),
        period=year_period(2025),
        sections=[
            Section(
                key="activity",
                title="Activity",
                figures=[
                    Figure(key="chat_messages", label="Chat messages", value=900, previous=800),
                    Figure(key="posts", label="Posts", value=12, previous=10),
                ],
            ),
            Section(
                key="membership",
                title="Membership",
                figures=[
                    Figure(key="users_registered", label="New users", value=3, previous=4),
                    Figure(key="members", label="Members", value=5, previous=None, unit="ratio"),
                ],
            ),
        ],
    )
    rows = summary_rows(report)
    assert [(r.key, r.value, r.previous) for r in rows] == [
        ("users_registered", 3, 4),
        ("posts", 12, 10),
        ("chat_messages", 900, 800),
    ]


def _panel_queries(user) -> int:
    """Queries of rendering the panel from an empty cache (the report computed afresh)."""
    cache.clear()
    request = RequestFactory().get(DASHBOARD)
    request.user = user
    with CaptureQueriesContext(connection) as queries:
        html = IndicatorsSummaryPanel(request).render_html({"request": request})
    assert PANEL_ID in html
    return len(queries)


def test_the_panel_costs_a_constant_number_of_queries(people, gorki, polotsk):
    """The same number of queries with a few people as with many more members and accounts
    (aggregates, no query per row); once computed, the report comes from the cache."""
    admin = people["portal_admin"]
    _panel_queries(admin)  # the first one also asks once who the viewer is (then cached)
    few = _panel_queries(admin)
    for _n in range(15):
        ProfileFactory(user=UserFactory())
        MembershipFactory(initiative=gorki)
        MembershipFactory(initiative=polotsk, status="pending")
    assert _panel_queries(admin) == few
    request = RequestFactory().get(DASHBOARD)
    request.user = admin
    with CaptureQueriesContext(connection) as cached:
        IndicatorsSummaryPanel(request).render_html({"request": request})
    assert len(cached) == 0


def test_the_dashboard_keeps_its_query_budget(client_for, people, django_assert_max_num_queries):
    """The whole dashboard with the panel, the report computed afresh, stays within budget
    (86 on SQLite when written: Wagtail's own panels and the session with a cold cache, and
    the whole platform report's aggregates for this year and last, which the indicators page
    then takes from the cache)."""
    client = client_for(people["portal_admin"])
    cache.clear()
    with django_assert_max_num_queries(100):
        assert client.get(DASHBOARD).status_code == 200
