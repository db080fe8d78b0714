"""The portal admin's indicator targets at /cabinet/admin/indicators/targets/ (issue 14):
who may open it, saving, clearing, refusing bad input whole, and the report showing them."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages

from extranet.dashboard.indicators import indicators_report
from extranet.dashboard.models import IndicatorTarget
from extranet.dashboard.periods import platform_today, year_period
from tests.conftest import EXTRANET_ROLES

pytestmark = pytest.mark.django_db

URL = "/en/cabinet/admin/indicators/targets/"
RU_URL = "/cabinet/admin/indicators/targets/"
# Targetable figures of the membership section for any scope (the platform adds its users').
KEY = "members"
OTHER_KEY = "applications"


def _year():
    return platform_today().year


def _target(key=KEY, *, initiative=None, year=None):
    row = IndicatorTarget.objects.filter(
        initiative=initiative, key=key, year=year or _year()
    ).first()
    return row.value if row else None


def _targets():
    return sorted(
        IndicatorTarget.objects.values_list("initiative_id", "key", "year", "value", "updated_by")
    )


@pytest.mark.parametrize(
    ("extranet_client", "role"), [(r, r) for r in EXTRANET_ROLES], indirect=["extranet_client"]
)
def test_only_the_portal_admin_sets_targets(extranet_client, role, gorki):
    """Every signed-in role but the portal admin is refused the page and its POST; a guest
    is sent to log in (as on the indicators pages), coming back here after; a refused POST
    saves nothing."""
    expected = {"portal_admin": 200, "guest": 302}.get(role, 403)
    for query in ("", "?initiative=gorki"):
        response = extranet_client.get(URL + query)
        assert response.status_code == expected
        if role == "guest":
            assert "/accounts/login/" in response["Location"]
            assert "indicators/targets/" in response["Location"]
    if role != "portal_admin":
        response = extranet_client.post(URL, {f"target-{KEY}": "10"})
        assert response.status_code == expected
        assert not IndicatorTarget.objects.exists()


def test_the_page_lists_targetable_figures_with_this_years_value(client_for, people, gorki):
    """The platform's page lists the targetable figures (users' included) with the actual
    value beside an input; an initiative's has no platform-only figure; the chooser offers
    the initiatives and the years."""
    client = client_for(people["portal_admin"])
    html = client.get(URL).content.decode()
    assert 'name="target-users_registered"' in html
    assert f'name="target-{KEY}"' in html
    # Not targetable: no input.
    assert 'name="target-rejections"' not in html
    assert gorki.title in html
    assert f'<option value="{_year() + 1}"' in html
    # Seven accounts registered this year (one per role but the guest): the row says so.
    report = indicators_report(period=year_period(_year()))
    assert report.section("membership").figure("users_total").value == 7
    row = html.split('id="target-row-users_total"', 1)[1].split("</tr>", 1)[0]
    assert "<td>7</td>" in row
    html = client.get(URL + "?initiative=gorki").content.decode()
    assert f'name="target-{KEY}"' in html
    assert 'name="target-users_registered"' not in html


def test_saving_creates_updates_and_clears(
    client_for, people, gorki, django_capture_on_commit_callbacks
):
    """A POST saves the numbers (Russian «1,5» as well), redirects back to the same year and
    scope with a message, a blank input removes a target, and an unknown key is ignored."""
    admin = people["portal_admin"]
    client = client_for(admin)
    year = _year()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{RU_URL}?year={year}&initiative=gorki",
            {f"target-{KEY}": "120", f"target-{OTHER_KEY}": "4,5", "target-bogus": "7"},
        )
    assert response.status_code == 302
    assert response["Location"] == f"{RU_URL}?year={year}&initiative=gorki"
    assert _target(initiative=gorki) == Decimal("120")
    assert _target(OTHER_KEY, initiative=gorki) == Decimal("4.5")
    assert not IndicatorTarget.objects.filter(key="bogus").exists()
    assert IndicatorTarget.objects.get(key=KEY).updated_by == admin
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(str(year) in m for m in shown)

    html = client.get(f"{URL}?year={year}&initiative=gorki").content.decode()
    assert 'value="120.00"' in html or 'value="120"' in html

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{URL}?year={year}&initiative=gorki",
            {f"target-{KEY}": "130.25", f"target-{OTHER_KEY}": ""},
        )
    assert response.status_code == 302
    assert _target(initiative=gorki) == Decimal("130.25")
    assert _target(OTHER_KEY, initiative=gorki) is None
    assert IndicatorTarget.objects.count() == 1


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("-1", "A target cannot be negative."),
        ("many", "Enter a number, such as 120 or 4.5."),
        ("NaN", "Enter a number, such as 120 or 4.5."),
        ("1.234", "Use at most two decimal places."),
        ("1234567890123", "The number is too large."),
        ("1e20", "The number is too large."),
    ],
)
def test_bad_input_saves_nothing(client_for, people, gorki, bad, message):
    """One bad number (negative, not a number, too many decimals, beyond max_digits 14/2)
    gets its error beside the field, and no target changes: not even the valid ones of the
    same POST."""
    IndicatorTarget.objects.create(initiative=None, key=KEY, year=_year(), value=10)
    IndicatorTarget.objects.create(initiative=None, key=OTHER_KEY, year=_year(), value=3)
    before = _targets()
    client = client_for(people["portal_admin"])
    response = client.post(URL, {f"target-{KEY}": "20", f"target-{OTHER_KEY}": bad})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Nothing was saved" in html
    assert _targets() == before


def test_wrong_year_or_initiative_is_not_found(client_for, people, gorki):
    """A year the chooser does not offer, or an unknown initiative, is a 404."""
    client = client_for(people["portal_admin"])
    for query in ("?year=abc", "?year=1990", f"?year={_year() + 5}", "?initiative=nowhere"):
        assert client.get(URL + query).status_code == 404, query
        assert client.post(URL + query, {f"target-{KEY}": "1"}).status_code == 404, query
    assert not IndicatorTarget.objects.exists()


def test_targets_reach_the_report_for_their_year_and_scope_only(
    client_for, people, gorki, polotsk, django_capture_on_commit_callbacks
):
    """A saved target is on the (already cached) report's figure at once, for that year and
    scope only: not the platform's, not another initiative's, not another year's."""
    year = _year()
    period = year_period(year)
    cached = indicators_report(initiative=gorki, period=period)
    assert cached.section("membership").figure(KEY).target is None
    client = client_for(people["portal_admin"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{URL}?year={year}&initiative=gorki", {f"target-{KEY}": "50"})
    assert indicators_report(initiative=gorki, period=period).section("membership").figure(
        KEY
    ).target == Decimal("50")
    assert indicators_report(period=period).section("membership").figure(KEY).target is None
    assert (
        indicators_report(initiative=polotsk, period=period)
        .section("membership")
        .figure(KEY)
        .target
        is None
    )
    last_year = indicators_report(initiative=gorki, period=year_period(year - 1))
    assert last_year.section("membership").figure(KEY).target is None


def test_the_form_posts_with_csrf(client_for, people, gorki):
    """The form carries a CSRF token, and a POST without one is refused."""
    from django.test import Client

    html = client_for(people["portal_admin"]).get(URL).content.decode()
    assert 'name="csrfmiddlewaretoken"' in html
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(people["portal_admin"])
    assert strict.post(URL, {f"target-{KEY}": "1"}).status_code == 403
    assert not IndicatorTarget.objects.exists()
