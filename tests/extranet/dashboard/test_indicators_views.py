"""The indicators' pages and downloads against every role: the portal admin opens the
platform's and any initiative's; an initiative admin their own initiative's only; a guest is
sent to log in; bad input keeps the page working with its message; constant queries."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from tests.conftest import EXTRANET_ROLES
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

OK, LOGIN, FORBIDDEN = 200, "login", 403


def _url(name, **kwargs):
    with translation.override("ru"):
        return reverse(name, kwargs=kwargs)


def _platform_only(role):
    return {"guest": LOGIN, "portal_admin": OK}.get(role, FORBIDDEN)


def _gorki_admins(role):
    return {"guest": LOGIN, "portal_admin": OK, "initiative_admin": OK}.get(role, FORBIDDEN)


def _nobody_but_portal(role):
    return _platform_only(role)


URLS = [
    ("dashboard:indicators", {}, "", _platform_only),
    ("dashboard:indicators", {}, "?initiative=gorki", _platform_only),
    ("dashboard:indicators_report", {}, "", _platform_only),
    (
        "dashboard:indicators_export",
        {"table": "members_per_initiative", "fmt": "csv"},
        "",
        _platform_only,
    ),
    ("dashboard:indicators_export", {"table": "events_by_kind", "fmt": "xlsx"}, "", _platform_only),
    ("groups:indicators", {"slug": "gorki"}, "", _gorki_admins),
    ("groups:indicators_report", {"slug": "gorki"}, "", _gorki_admins),
    (
        "groups:indicators_export",
        {"slug": "gorki", "table": "events_by_kind", "fmt": "csv"},
        "",
        _gorki_admins,
    ),
    # Gorki's admin is refused another initiative's indicators, page and downloads.
    ("groups:indicators", {"slug": "polotsk"}, "", _nobody_but_portal),
    ("groups:indicators_report", {"slug": "polotsk"}, "", _nobody_but_portal),
    (
        "groups:indicators_export",
        {"slug": "polotsk", "table": "events_by_kind", "fmt": "xlsx"},
        "",
        _nobody_but_portal,
    ),
]


@pytest.mark.parametrize("role", EXTRANET_ROLES)
@pytest.mark.parametrize(("name", "kwargs", "query", "expected"), URLS)
def test_every_url_against_every_role(client, people, role, name, kwargs, query, expected):
    """Each URL answers each role exactly as designed."""
    if people[role] is not None:
        client.force_login(people[role])
    response = client.get(_url(name, **kwargs) + query)
    want = expected(role)
    if want == LOGIN:
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == want, (name, kwargs, role)


def test_platform_page_shows_sections_and_scope_switch(client, people):
    """The portal admin's page holds the sections and a choice of every initiative."""
    client.force_login(people["portal_admin"])
    response = client.get(_url("dashboard:indicators"))
    html = response.content.decode()
    sections = [s.key for s in response.context["report"].sections]
    assert sections[:2] == ["membership", "events"]
    assert {slug for slug, _title in response.context["initiative_choices"]} >= {
        "gorki",
        "polotsk",
    }
    assert response.context["report"].scope.initiative is None
    assert "report.xlsx" in html


def test_platform_page_for_one_initiative(client, people, gorki):
    """``?initiative=gorki`` scopes the report to Gorki; its export links keep the scope."""
    client.force_login(people["portal_admin"])
    response = client.get(_url("dashboard:indicators") + "?initiative=gorki&period=year&year=2026")
    assert response.context["report"].scope.initiative == gorki
    links = response.context["exports"]["members_per_initiative"]
    assert "initiative=gorki" in links["csv"]
    assert "year=2026" in links["xlsx"]


def test_unknown_initiative_is_404(client, people):
    client.force_login(people["portal_admin"])
    assert client.get(_url("dashboard:indicators") + "?initiative=nope").status_code == 404
    assert client.get(_url("groups:indicators", slug="nope")).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "?period=custom&start=2026-05-01&end=2026-01-01",
        "?period=custom&start=garbage",
        "?period=quarter&year=abc&quarter=9",
        "?period=month&year=2026",
        "?period=decade",
        "?period=custom&start=2000-01-01&end=2026-01-01",
    ],
)
def test_bad_period_gets_its_message_and_the_default_period(client, people, query):
    """A wrong or incomplete period: the page still answers (this year) and says what is
    wrong next to the field."""
    client.force_login(people["portal_admin"])
    response = client.get(_url("dashboard:indicators") + query)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors
    assert response.context["period"].kind == "year"


def test_exports_of_unknown_tables_or_formats_are_404(client, people):
    client.force_login(people["portal_admin"])
    assert (
        client.get(_url("dashboard:indicators_export", table="nope", fmt="csv")).status_code == 404
    )
    assert (
        client.get(
            _url("dashboard:indicators_export", table="events_by_kind", fmt="pdf")
        ).status_code
        == 404
    )


def test_initiative_admin_page_is_its_initiative(client, people, gorki):
    """Gorki's admin gets Gorki's report, without the platform's scope switch or targets."""
    client.force_login(people["initiative_admin"])
    response = client.get(_url("groups:indicators", slug="gorki"))
    assert response.context["report"].scope.initiative == gorki
    assert response.context["initiative_choices"] == []
    assert response.context["targets_url"] == ""


def test_menu_links(client, people, gorki):
    """The portal admin's menu has «Показатели»; an initiative admin's links to their own."""
    from extranet.dashboard.wagtail_hooks import portal_admin_nav_links

    with translation.override("ru"):
        admin_links = {url: label for label, url in portal_admin_nav_links(people["portal_admin"])}
        own = {url: label for label, url in portal_admin_nav_links(people["initiative_admin"])}
        member = portal_admin_nav_links(people["member"])
    assert _url("dashboard:indicators") in admin_links
    assert list(own) == [_url("groups:indicators", slug="gorki")]
    assert member == []


@pytest.mark.parametrize("size", [1, 8])
def test_page_queries_are_constant(
    client, people, gorki, polotsk, size, django_assert_max_num_queries
):
    """The same budget with 1 or 8 more members per initiative; the second request comes
    from the cache."""
    from django.core.cache import cache

    for initiative in (gorki, polotsk):
        MembershipFactory.create_batch(size, initiative=initiative)
    client.force_login(people["portal_admin"])
    url = _url("dashboard:indicators")
    client.get(url)  # the session and the user's groups, read once
    cache.clear()
    with django_assert_max_num_queries(80) as cold:
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(15) as warm:
        assert client.get(url).status_code == 200
    assert len(warm) < len(cold)
