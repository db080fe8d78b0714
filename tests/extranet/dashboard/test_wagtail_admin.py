"""«Participants» in Wagtail admin (wagtail-modeladmin) and the organisation merge."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from extranet.dashboard.services import organisation_merge
from extranet.members.models import Membership, Organisation, Profile, User
from tests.extranet.dashboard.test_users import (  # noqa: F401 (the «blocked» fixture)
    _blocked_traces,
    blocked_account,
)
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    ProfileFactory,
    SuperuserFactory,
)

pytestmark = pytest.mark.django_db

# Wagtail admin speaks Russian to the portal admin (the site's language).
BLOCKED_BADGE = "Заблокирован (согласие отозвано)"

INDEX_URLS = {
    "user": "/admin/members/user/",
    "membership": "/admin/members/membership/",
    "organisation": "/admin/members/organisation/",
}
MERGE_URL = "/en/cabinet/admin/organisations/merge/"


def test_index_urls_are_the_modeladmin_ones():
    """The registries live where the tests look for them."""
    for model, url in INDEX_URLS.items():
        assert reverse(f"members_{model}_modeladmin_index") == url


@pytest.mark.parametrize("url", INDEX_URLS.values())
def test_portal_admins_open_the_registries(client, people, url):
    """The «Администраторы портала» group and superusers get every list."""
    for user in (people["portal_admin"], SuperuserFactory()):
        client.force_login(user)
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", INDEX_URLS.values())
def test_editors_and_members_do_not_see_personal_data(client, people, editor, url):
    """An editor (who may use Wagtail admin) is refused the lists and exports; members and
    initiative admins too; nobody's e-mail shows in the refusal."""
    for user in (editor, people["initiative_admin"], people["member"], people["registered"]):
        client.force_login(user)
        for suffix in ("", "?export=csv"):
            response = client.get(url + suffix)
            assert response.status_code in (302, 403), (user, suffix)
            assert people["pending"].email.encode() not in response.content


def test_menu_shows_participants_to_portal_admins_only(client, people, editor):
    """The «Participants» menu items reach portal admins; an editor's admin has none."""
    client.force_login(people["portal_admin"])
    html = client.get("/admin/").content.decode()
    assert all(url in html for url in INDEX_URLS.values())
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert not any(url in html for url in INDEX_URLS.values())


def test_user_list_shows_data_filters_and_exports(client, people, gorki):
    """Users list name, e-mail, phone, organisation; the initiative and status filters narrow
    it; the CSV and XLSX exports hold the filtered users."""
    client.force_login(people["portal_admin"])
    url = INDEX_URLS["user"]
    html = client.get(url).content.decode()
    member = people["member"]
    assert member.email in html
    assert member.profile.phone.as_international in html
    assert member.profile.organisation.name in html
    query = {
        "memberships__initiative__page_ptr__exact": gorki.pk,
        "memberships__status__exact": "pending",
    }
    html = client.get(url, query).content.decode()
    assert people["pending"].email in html
    assert people["other_member"].email not in html
    assert people["member"].email not in html
    response = client.get(url, {**query, "export": "csv"})
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert [row[1] for row in rows[1:]] == [people["pending"].email]
    response = client.get(url, {**query, "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    emails = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert emails == [people["pending"].email]


def test_user_search_and_inspect(client, people):
    """Search by e-mail finds the user; the inspect view opens; there is no edit or delete."""
    client.force_login(people["portal_admin"])
    member = people["member"]
    html = client.get(INDEX_URLS["user"], {"q": member.email}).content.decode()
    assert member.email in html and people["pending"].email not in html
    assert client.get(f"/admin/members/user/inspect/{member.pk}/").status_code == 200
    # Wagtail admin answers a refusal with a redirect to its dashboard.
    for action in (f"edit/{member.pk}/", f"delete/{member.pk}/", "create/"):
        response = client.get(f"/admin/members/user/{action}")
        assert response.status_code in (302, 403), action
        assert response.status_code == 403 or response["Location"] == "/admin/"


def test_membership_role_edit_goes_through_the_service(client, people, gorki):
    """Saving «admin» in the membership form gives Wagtail page rights (the group sync of
    membership_set_role); saving «member» takes them away. Pending ones cannot be edited."""
    client.force_login(people["portal_admin"])
    member = people["member"]
    membership = Membership.objects.get(user=member, initiative=gorki)
    url = f"/admin/members/membership/edit/{membership.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"role": "admin"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == "admin"
    assert gorki.permissions_for_user(User.objects.get(pk=member.pk)).can_edit()
    client.post(url, {"role": "member"})
    membership.refresh_from_db()
    assert membership.role == "member"
    assert not gorki.permissions_for_user(User.objects.get(pk=member.pk)).can_edit()
    pending = Membership.objects.get(user=people["pending"])
    response = client.post(f"/admin/members/membership/edit/{pending.pk}/", {"role": "admin"})
    assert response.status_code in (302, 403)
    assert response.status_code == 403 or response["Location"] == "/admin/"
    pending.refresh_from_db()
    assert pending.role == "member"


def test_membership_list_filters(client, people, gorki, polotsk):
    """Memberships filter by initiative, status and role."""
    client.force_login(people["portal_admin"])
    url = INDEX_URLS["membership"]
    html = client.get(url, {"initiative__page_ptr__exact": polotsk.pk}).content.decode()
    assert str(people["other_member"]) in html and str(people["member"]) not in html
    html = client.get(url, {"role__exact": "admin"}).content.decode()
    assert str(people["initiative_admin"]) in html and str(people["member"]) not in html
    html = client.get(url, {"status__exact": "pending"}).content.decode()
    assert str(people["pending"]) in html and str(people["member"]) not in html


def test_organisation_merge_service_moves_profiles_and_deletes_duplicates(db):
    """Profiles of the duplicates move to the target, the duplicates are gone, the target's
    blank website is filled from a duplicate, and the target among the duplicates is kept."""
    target = OrganisationFactory(name="БГСХА")
    double = OrganisationFactory(name="БГСХА (Горки)", website="https://baa.by/")
    triple = OrganisationFactory(name="Белорусская ГСХА")
    people = [ProfileFactory(organisation=org) for org in (target, double, double, triple)]
    moved = organisation_merge(target=target, duplicates=[double, triple, target])
    assert moved == 3
    assert not Organisation.objects.filter(pk__in=[double.pk, triple.pk]).exists()
    assert {p.organisation_id for p in Profile.objects.filter(pk__in=[p.pk for p in people])} == {
        target.pk
    }
    target.refresh_from_db()
    assert target.website == "https://baa.by/"


def test_organisation_merge_view(client, people):
    """The portal admin merges through the form (reached from the Organisations list's
    «Merge into…» button); editors and members get 403 and nothing changes."""
    target, double = OrganisationFactory(name="ООО «Альфа»"), OrganisationFactory(name="Альфа ООО")
    profile = ProfileFactory(organisation=double)
    client.force_login(people["member"])
    assert client.get(MERGE_URL).status_code == 403
    assert (
        client.post(MERGE_URL, {"target": target.pk, "duplicates": [double.pk]}).status_code == 403
    )
    assert Organisation.objects.filter(pk=double.pk).exists()

    client.force_login(people["portal_admin"])
    html = client.get(INDEX_URLS["organisation"]).content.decode()
    assert f"{reverse('dashboard:organisation_merge')}?duplicates={double.pk}" in html
    assert client.get(MERGE_URL, {"duplicates": double.pk}).status_code == 200
    response = client.post(MERGE_URL, {"target": target.pk, "duplicates": [double.pk]})
    assert response.status_code == 302
    assert response["Location"] == INDEX_URLS["organisation"]
    profile.refresh_from_db()
    assert profile.organisation == target
    assert not Organisation.objects.filter(pk=double.pk).exists()


def test_organisation_merge_view_rejects_bad_input(client, people):
    """Merging an organisation into itself or a forged id is a form error, nothing deleted."""
    org = OrganisationFactory()
    client.force_login(people["portal_admin"])
    for data in (
        {"target": org.pk, "duplicates": [org.pk]},
        {"target": 999999, "duplicates": [org.pk]},
    ):
        response = client.post(MERGE_URL, data)
        assert response.status_code == 200
        assert response.context["form"].errors
    assert Organisation.objects.filter(pk=org.pk).exists()


def test_editor_cannot_merge(client, editor):
    """An editor gets 403 on the merge view."""
    client.force_login(editor)
    assert client.get(MERGE_URL).status_code == 403


def test_membership_factory_admin_list(client, people, gorki):
    """An initiative can have several admins in the membership list."""
    MembershipFactory(initiative=gorki, role="admin")
    client.force_login(people["portal_admin"])
    response = client.get(INDEX_URLS["membership"], {"role__exact": "admin"})
    assert response.status_code == 200


def test_user_csv_export_quotes_formulas(client, people):
    """A name typed as a formula comes out of the Wagtail CSV export as quoted text."""
    evil = ProfileFactory(user__first_name="=HYPERLINK(1)", user__last_name="").user
    client.force_login(people["portal_admin"])
    response = client.get(INDEX_URLS["user"], {"export": "csv", "q": evil.email})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[1][:2] == ["'=HYPERLINK(1)", evil.email]


def _wagtail_export_row(client, fmt, email):
    """The export's row for ``email``: name, e-mail, phone, organisation, position, joined."""
    response = client.get(INDEX_URLS["user"], {"export": fmt, "q": email})
    content = b"".join(response.streaming_content)
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    else:
        rows = [
            list(r) for r in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)
        ]
    return next(r for r in rows[1:] if r[1] == email)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("formula", ["+1+1", "-2+3", "=cmd", "@SUM(1)"])
def test_wagtail_export_quotes_formulas_in_position(client, people, fmt, formula):
    """The Wagtail users export quotes a position that a spreadsheet would run as a formula,
    even one that looks like a phone number, in CSV and XLSX."""
    user = ProfileFactory(position=formula).user
    client.force_login(people["portal_admin"])
    assert _wagtail_export_row(client, fmt, user.email)[4] == "'" + formula


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_wagtail_export_phone_column(client, people, fmt):
    """A valid phone number is exported as is; «+1+1» stored in the phone column (only by
    writing the database directly) is quoted."""
    good = ProfileFactory(phone="+375291234567").user
    bad = ProfileFactory()
    Profile.objects.filter(pk=bad.pk).update(phone="+1+1")
    client.force_login(people["portal_admin"])
    assert _wagtail_export_row(client, fmt, good.email)[2] == "+375 29 123-45-67"
    assert _wagtail_export_row(client, fmt, bad.user.email)[2] == "'+1+1"


def test_wagtail_user_list_hides_a_blocked_accounts_data(client, people, blocked):
    """«Участники → Users» shows a blocked account's name, e-mail and blocked status, never
    its phone, organisation or position (the privacy rule refuses them to the portal admin
    too), nor finds it by its organisation; an active member's data is still listed. The
    «active» filter finds blocked ones."""
    client.force_login(people["portal_admin"])
    url = INDEX_URLS["user"]
    html = client.get(url).content.decode()
    assert blocked.email in html and BLOCKED_BADGE in html
    for trace in _blocked_traces(blocked):
        assert trace not in html, trace
    member = people["member"]
    assert member.profile.phone.as_international in html
    assert member.profile.organisation.name in html
    html = client.get(url, {"is_active__exact": "0"}).content.decode()
    assert blocked.email in html and member.email not in html
    # The search does not find them by the organisation it does not show.
    assert blocked.email not in client.get(url, {"q": "Отозванных"}).content.decode()
    assert blocked.email in client.get(url, {"q": blocked.last_name}).content.decode()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_wagtail_user_export_hides_a_blocked_accounts_data(client, people, blocked, fmt):
    """The Wagtail users export (CSV, XLSX) gives a blocked account's name, e-mail and
    status with empty phone, organisation and position («-», not quoted as a formula); an
    active member's row keeps them."""
    client.force_login(people["portal_admin"])
    response = client.get(INDEX_URLS["user"], {"export": fmt})
    content = b"".join(response.streaming_content)
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    else:
        sheet = load_workbook(io.BytesIO(content)).active
        rows = [["" if c is None else str(c) for c in r] for r in sheet.iter_rows(values_only=True)]
    everything = "\n".join(";".join(r) for r in rows)
    for trace in _blocked_traces(blocked):
        assert trace not in everything, trace
    by_email = {row[1]: row for row in rows[1:]}
    row = by_email[blocked.email]
    assert row[0] == blocked.get_full_name()
    assert row[2:5] == ["-", "-", "-"]  # Wagtail's empty cell, not quoted as a formula
    assert BLOCKED_BADGE in row
    member = by_email[people["member"].email]
    assert member[2] == people["member"].profile.phone.as_international
    assert member[3] == people["member"].profile.organisation.name
    assert BLOCKED_BADGE not in member


@pytest.mark.parametrize("export", ["", "csv", "xlsx"])
def test_membership_register_leaves_out_blocked_accounts(client, people, blocked, export):
    """«Участники → Memberships» (list and both exports) asks the privacy rule: a blocked
    account's rows would tell which initiatives they belong to, so they are left out, while an
    active member's rows stay."""
    client.force_login(people["portal_admin"])
    query = {"export": export} if export else {}
    response = client.get(INDEX_URLS["membership"], query)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if export == "xlsx":
        sheet = load_workbook(io.BytesIO(body)).active
        text = "\n".join(str(cell.value) for row in sheet.iter_rows() for cell in row)
    else:
        text = body.decode()
    assert blocked.get_full_name() not in text
    assert blocked.email not in text
    assert people["member"].get_full_name() in text
