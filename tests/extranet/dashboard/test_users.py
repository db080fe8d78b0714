"""The portal admin's «All users» at /cabinet/admin/users/: data, filters, search, export."""

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.conftest import EXTRANET_ROLES
from tests.extranet.members.test_blocked_people import _block
from tests.factories import MembershipFactory, OrganisationFactory, ProfileFactory

pytestmark = pytest.mark.django_db

URL = "/en/cabinet/admin/users/"


def _phone(user):
    return user.profile.phone.as_international


@pytest.mark.parametrize(
    ("extranet_client", "role"), [(r, r) for r in EXTRANET_ROLES], indirect=["extranet_client"]
)
def test_only_the_portal_admin_opens_the_list(extranet_client, role, people):
    """Every extranet role but the portal admin is refused (guests too), and a refusal shows
    nobody's e-mail or phone; CSV and XLSX exports are refused the same way."""
    expected = 200 if role == "portal_admin" else 403
    for suffix in ("", "?format=csv", "?format=xlsx"):
        response = extranet_client.get(URL + suffix)
        assert response.status_code == expected, suffix
    if expected == 403:
        body = extranet_client.get(URL).content.decode()
        assert people["pending"].email not in body
        assert _phone(people["pending"]) not in body


def test_portal_admin_sees_everyones_personal_data(client, people, gorki, polotsk):
    """Name, e-mail, phone, organisation, position and each initiative with the admin and
    pending badges are on the cards, and approved memberships carry a role form."""
    client.force_login(people["portal_admin"])
    html = client.get(URL).content.decode()
    for role in ("registered", "pending", "other_member", "member", "initiative_admin"):
        user = people[role]
        assert user.email in html
        assert _phone(user) in html
        assert user.profile.organisation.name in html
        assert user.last_name in html
    assert gorki.title in html and polotsk.title in html
    assert "Awaiting approval" in html
    assert "Administrator" in html
    assert "Make administrator" in html
    assert "Remove administrator rights" in html


def _emails(client, query):
    rows = list(csv.reader(io.StringIO(client.get(URL + query).content.decode("utf-8-sig"))))
    return {row[1] for row in rows[1:]}


def test_filter_by_initiative_and_status(client, people, gorki, polotsk):
    """initiative= keeps the people who applied to it; status= approved/pending/rejected
    narrows it; status=none keeps those with no open or current membership."""
    rejected = MembershipFactory(initiative=gorki, status="rejected").user
    client.force_login(people["portal_admin"])
    e = {role: (u.email if u else None) for role, u in people.items()}
    assert _emails(client, f"?format=csv&initiative={gorki.pk}") == {
        e["pending"],
        e["member"],
        e["initiative_admin"],
        rejected.email,
    }
    assert _emails(client, f"?format=csv&initiative={gorki.pk}&status=approved") == {
        e["member"],
        e["initiative_admin"],
    }
    assert _emails(client, "?format=csv&status=pending") == {e["pending"]}
    assert _emails(client, "?format=csv&status=rejected") == {rejected.email}
    assert _emails(client, f"?format=csv&status=approved&initiative={polotsk.pk}") == {
        e["other_member"]
    }
    assert _emails(client, "?format=csv&status=none") == {
        e["registered"],
        e["editor"],
        e["portal_admin"],
        rejected.email,
    }
    # The HTML list applies the same filters.
    html = client.get(URL, {"status": "pending"}).content.decode()
    assert e["pending"] in html and e["member"] not in html


def test_bad_filter_values_are_ignored(client, people):
    """A forged initiative id or an unknown status shows the whole list, never a 500."""
    client.force_login(people["portal_admin"])
    for query in ("?initiative=abc", "?status=bogus", "?initiative=999999&status=none"):
        assert client.get(URL + query).status_code == 200


def test_search_by_name_email_or_organisation(client, people):
    """q= matches the family name, a part of the e-mail or the organisation's name."""
    target = ProfileFactory(
        user__first_name="Юлиан",
        user__last_name="Пасичник",
        user__email="yulian@example.org",
        organisation=OrganisationFactory(name="НИИ Композитов"),
    ).user
    client.force_login(people["portal_admin"])
    for q in ("пасичник", "YULIAN@example", "композитов", "Пасичник Юлиан"):
        assert _emails(client, f"?format=csv&q={q}") == {target.email}, q
    html = client.get(URL, {"q": "Пасичник"}).content.decode()
    assert target.email in html
    assert people["member"].email not in html


def test_pagination_keeps_filters(client, people, gorki):
    """20 users a page; the page links carry the filters."""
    for _ in range(25):
        MembershipFactory(initiative=gorki)
    client.force_login(people["portal_admin"])
    response = client.get(URL, {"initiative": gorki.pk, "status": "approved"})
    assert len(response.context["rows"]) == 20
    assert response.context["page_obj"].paginator.count == 27
    html = response.content.decode()
    assert f"initiative={gorki.pk}&amp;page=2&amp;status=approved" in html
    page2 = client.get(URL, {"initiative": gorki.pk, "status": "approved", "page": 2})
    assert len(page2.context["rows"]) == 7


@pytest.mark.parametrize("extra", [0, 55])
def test_constant_number_of_queries(
    client, people, gorki, polotsk, extra, django_assert_max_num_queries
):
    """The page costs the same number of queries with 5 users as with 60, a fifth of them
    blocked (the privacy rule is asked once for the page, not per person)."""
    for index in range(extra):
        membership = MembershipFactory(initiative=gorki if index % 2 else polotsk)
        if index % 5 == 0:
            _block(membership.user)
    client.force_login(people["portal_admin"])
    client.get(URL)  # warm caches (site, settings) so both sizes compare the same work
    with django_assert_max_num_queries(16):
        assert client.get(URL).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(URL + "?format=csv").status_code == 200


def test_csv_export(client, people, gorki):
    """?format=csv is an attachment in UTF-8 with a BOM, with one row per filtered user and
    the same columns as the list plus the account's status (Cyrillic kept)."""
    client.force_login(people["portal_admin"])
    response = client.get(URL, {"format": "csv", "initiative": gorki.pk, "status": "approved"})
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Name",
        "E-mail",
        "Phone",
        "Organisation",
        "Position",
        "Initiatives",
        "Registered",
        "Status",
    ]
    by_email = {row[1]: row for row in rows[1:]}
    admin = people["initiative_admin"]
    assert set(by_email) == {people["member"].email, admin.email}
    row = by_email[admin.email]
    assert row[0] == admin.get_full_name()
    assert row[2] == _phone(admin)
    assert row[3] == admin.profile.organisation.name
    assert gorki.title in row[5] and "Administrator" in row[5]


def test_xlsx_export(client, people, gorki):
    """?format=xlsx is a workbook with the same columns and the filtered users only."""
    client.force_login(people["portal_admin"])
    response = client.get(URL, {"format": "xlsx", "status": "pending"})
    assert response["Content-Disposition"].startswith("attachment;")
    assert "spreadsheetml" in response["Content-Type"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:3] == ["Name", "E-mail", "Phone"]
    assert [row[1] for row in rows[1:]] == [people["pending"].email]
    assert rows[1][0] == people["pending"].get_full_name()
    assert gorki.title in rows[1][5]


def test_exports_do_not_carry_formulas(client, people):
    """A name typed as a spreadsheet formula is exported as text (quoted), in CSV and XLSX;
    phone numbers keep their leading «+»."""
    evil = ProfileFactory(user__first_name="=HYPERLINK(1)", user__last_name="", position="@SUM(1)")
    client.force_login(people["portal_admin"])
    rows = list(
        csv.reader(io.StringIO(client.get(URL, {"format": "csv"}).content.decode("utf-8-sig")))
    )
    row = next(r for r in rows if r[1] == evil.user.email)
    assert row[0] == "'=HYPERLINK(1)"
    assert row[4] == "'@SUM(1)"
    assert row[2].startswith("+375")
    response = client.get(URL, {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = next(r for r in sheet.iter_rows(values_only=True) if r[1] == evil.user.email)
    assert cells[0] == "'=HYPERLINK(1)"


FORMULAS = ["+1+1", "-2+3", "=cmd", "@SUM(1)"]


def _export_row(client, fmt, email):
    response = client.get(URL, {"format": fmt})
    if fmt == "csv":
        rows = csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
    else:
        rows = load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    return next(list(r) for r in rows if r[1] == email)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("formula", FORMULAS)
def test_formula_in_position_is_quoted(client, people, fmt, formula):
    """A position such as «+1+1» or «-2+3» (which look like phone numbers) is exported as
    quoted text, not a formula: the phone exemption does not reach other columns."""
    evil = ProfileFactory(position=formula).user
    client.force_login(people["portal_admin"])
    assert _export_row(client, fmt, evil.email)[4] == "'" + formula


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_valid_phone_is_exported_as_is(client, people, fmt):
    """A real (valid E.164) phone number keeps its leading «+» in the phone column."""
    user = ProfileFactory(phone="+375291234567").user
    client.force_login(people["portal_admin"])
    assert _export_row(client, fmt, user.email)[2] == "+375 29 123-45-67"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("stored", ["+1+1", "-2+3", "=cmd"])
def test_invalid_phone_in_the_database_is_quoted(client, people, fmt, stored):
    """A phone column value that is no valid number (only possible by writing the database
    directly) is exported as quoted text, as typed."""
    profile = ProfileFactory()
    type(profile).objects.filter(pk=profile.pk).update(phone=stored)
    client.force_login(people["portal_admin"])
    assert _export_row(client, fmt, profile.user.email)[2] == "'" + stored


BLOCKED_BADGE = "Blocked (consent withdrawn)"


@pytest.fixture(name="blocked")
def blocked_account(gorki):
    """A member of Gorki who then withdrew their consent: their account is blocked; their
    organisation, position and phone are theirs alone (no one else's data matches)."""
    profile = ProfileFactory(
        phone="+375297654321",
        organisation=OrganisationFactory(name="Завод Отозванных Согласий"),
        position="Главный технолог по отзыву",
    )
    MembershipFactory(user=profile.user, initiative=gorki, role="admin")
    return _block(profile.user)


def _blocked_traces(user) -> list[str]:
    phone = user.profile.phone
    return [
        phone.as_international,
        phone.as_e164,
        user.profile.organisation.name,
        user.profile.position,
    ]


def test_blocked_account_shows_only_its_name_email_and_badge(client, people, blocked, gorki):
    """A blocked account's card in «All users» keeps the name and the login e-mail (what the
    portal admin acts on) and says it is blocked; its phone, organisation, position and
    memberships (no role form) are shown to nobody, the portal admin included, as the
    privacy rule says. An active member's data is still there."""
    client.force_login(people["portal_admin"])
    html = client.get(URL).content.decode()
    assert blocked.email in html and blocked.last_name in html
    assert BLOCKED_BADGE in html
    for trace in _blocked_traces(blocked):
        assert trace not in html, trace
    # The role forms name the person and the initiative for screen readers.
    assert f"{blocked.get_full_name()}, {gorki.title}" not in html
    member = people["member"]
    assert member.email in html and _phone(member) in html
    assert member.profile.organisation.name in html


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_blocked_account_in_the_exports(client, people, blocked, fmt):
    """The CSV and XLSX exports give a blocked account's name, e-mail and the blocked
    status, and none of its phone, organisation, position or initiatives; an active member's
    row keeps them."""
    client.force_login(people["portal_admin"])
    response = client.get(URL, {"format": fmt})
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = [["" if c is None else str(c) for c in r] for r in sheet.iter_rows(values_only=True)]
    assert "Status" in rows[0]
    status = rows[0].index("Status")
    by_email = {row[1]: row for row in rows[1:]}
    row = by_email[blocked.email]
    assert row[0] == blocked.get_full_name()
    assert row[status] == BLOCKED_BADGE
    assert row[2:6] == ["", "", "", ""]
    everything = "\n".join(";".join(r) for r in rows)
    for trace in _blocked_traces(blocked):
        assert trace not in everything, trace
    member = by_email[people["member"].email]
    assert member[2] == _phone(people["member"])
    assert member[3] == people["member"].profile.organisation.name
    assert member[status] != BLOCKED_BADGE


def test_status_filter_finds_blocked_accounts(client, people, blocked, gorki):
    """status=blocked lists exactly the blocked accounts; the membership filters (and a
    search by organisation) do not find them through memberships or an organisation the
    list does not show."""
    client.force_login(people["portal_admin"])
    assert _emails(client, "?format=csv&status=blocked") == {blocked.email}
    assert blocked.email not in _emails(client, f"?format=csv&initiative={gorki.pk}")
    assert blocked.email not in _emails(client, "?format=csv&status=approved")
    assert blocked.email not in _emails(client, "?format=csv&status=none")
    assert _emails(client, "?format=csv&q=Отозванных") == set()
    assert _emails(client, f"?format=csv&q={blocked.last_name}") >= {blocked.email}
    html = client.get(URL, {"status": "blocked"}).content.decode()
    assert blocked.email in html and people["member"].email not in html
    assert 'value="blocked" selected' in html
