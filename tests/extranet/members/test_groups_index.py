"""The list of common groups at /cabinet/groups/ and «Common group» in the header (issue 5,
item 5): the portal admin sees every published initiative's group, members their own, the
rest an empty state pointing to the initiatives; counts come in a constant number of queries.
Also «Change» at /cabinet/groups/<slug>/admins/: the portal admin chooses the initiative's
administrators through membership_set_role, and bad input is a form error, never a 500."""

from __future__ import annotations

import pytest
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from extranet.members import events
from extranet.members.models import Membership
from tests.conftest import EXTRANET_ROLES
from tests.factories import InitiativePageFactory, MembershipFactory

pytestmark = pytest.mark.django_db

INDEX = "/en/cabinet/groups/"


def _en(name: str, **kwargs) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs or None)


def _slugs(response) -> list[str]:
    return [row.initiative.slug for row in response.context["rows"]]


# Which groups each role finds on the list.
EXPECTED_GROUPS = {
    "registered": [],
    "editor": [],
    "pending": [],
    "other_member": ["polotsk"],
    "member": ["gorki"],
    "initiative_admin": ["gorki"],
    "portal_admin": ["gorki", "polotsk"],
}


@pytest.mark.parametrize("extranet_client", EXTRANET_ROLES, indirect=True)
def test_groups_index_by_role(extranet_client, request, people):
    """Guests go to the login; the portal admin sees every group, members their own; people
    in no group get the empty state with a link to the initiatives' registry."""
    role = request.node.callspec.params["extranet_client"]
    response = extranet_client.get(INDEX)
    if role == "guest":
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
        return
    assert response.status_code == 200
    assert sorted(_slugs(response)) == EXPECTED_GROUPS[role]
    body = response.content.decode()
    if not EXPECTED_GROUPS[role]:
        assert "You are not in any common group yet" in body
        assert 'href="/en/initiatives/"' in body
    else:
        assert "empty-state" not in body


def test_counts_and_links_for_the_portal_admin(client, people, gorki, polotsk):
    """Each group shows its approved members and pending applications, and links to the
    directory, the applications queue and «Change»."""
    client.force_login(people["portal_admin"])
    response = client.get(INDEX)
    rows = {row.initiative.slug: row for row in response.context["rows"]}
    assert (rows["gorki"].member_count, rows["gorki"].pending_count) == (2, 1)
    assert (rows["polotsk"].member_count, rows["polotsk"].pending_count) == (1, 0)
    body = response.content.decode()
    for name in ("groups:members", "groups:applications", "groups:admins"):
        assert f'href="{_en(name, slug="gorki")}"' in body
    assert "Unconfirmed (1)" in body
    assert "you see every cluster initiative's common group" in body


def test_members_see_no_management_links(client, people, gorki):
    """A plain member sees the member count and the directory, no pending count or queue."""
    client.force_login(people["member"])
    response = client.get(INDEX)
    (row,) = response.context["rows"]
    assert row.pending_count is None and row.applications_url == "" and row.admins_url == ""
    body = response.content.decode()
    assert f'href="{_en("groups:members", slug="gorki")}"' in body
    assert "Unconfirmed" not in body
    assert "the cluster initiatives you take part in" in body


def test_initiative_admin_sees_pending_count_but_not_change(client, people, gorki):
    """An initiative admin gets the queue with its count; «Change» is the portal admin's."""
    client.force_login(people["initiative_admin"])
    response = client.get(INDEX)
    (row,) = response.context["rows"]
    assert row.pending_count == 1
    assert row.applications_url == _en("groups:applications", slug="gorki")
    assert row.admins_url == ""


def test_unpublished_and_switched_off(client, people, gorki, polotsk):
    """An unpublished initiative is not listed; a switched-off directory is not linked."""
    polotsk.unpublish()
    gorki.directory_enabled = False
    gorki.save_revision().publish()
    client.force_login(people["portal_admin"])
    response = client.get(INDEX)
    assert _slugs(response) == ["gorki"]
    assert response.context["rows"][0].members_url == ""
    assert _en("groups:members", slug="gorki") not in response.content.decode()


@pytest.mark.parametrize("extra", [0, 25])
def test_index_queries_do_not_grow(client, people, extra, django_assert_max_num_queries):
    """The list costs the same few queries with 2 groups as with 27 (counts are annotated)."""
    for _ in range(extra):
        initiative = InitiativePageFactory()
        MembershipFactory(initiative=initiative)
        MembershipFactory(initiative=initiative, status="pending")
    client.force_login(people["portal_admin"])
    client.get(INDEX)
    # Measured: 11 (session, user, portal-admin check, the groups with both counts, site,
    # menu, settings, Wagtail's user bar).
    with django_assert_max_num_queries(11):
        response = client.get(INDEX)
    assert len(response.context["rows"]) == 2 + extra


# --- «Common group» in the header -------------------------------------------------------------

MENU_LINK = f'class="user-menu__link" href="{INDEX}"'


@pytest.mark.parametrize("extranet_client", EXTRANET_ROLES, indirect=True)
def test_user_menu_link_by_role(extranet_client, request, people):
    """«Common group» is in the header for the portal admin and approved members, between
    «Messages» and «Personal cabinet»; not for guests, the registered, editors or applicants."""
    role = request.node.callspec.params["extranet_client"]
    body = extranet_client.get("/en/").content.decode()
    shown = role in {"other_member", "member", "initiative_admin", "portal_admin"}
    assert (MENU_LINK in body) is shown
    if shown:
        assert body.index(MENU_LINK) < body.index("Personal cabinet")


def test_user_menu_asks_once_per_request(people):
    """The header's check reuses the per-request membership cache: rendering the menu again
    in the same request costs no query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    template = engines["django"].get_template("includes/user_menu.html")
    request = RequestFactory().get("/en/")
    request.user = type(people["member"]).objects.get(pk=people["member"].pk)
    with CaptureQueriesContext(connection) as first:
        html = template.render({"user": request.user}, request)
    assert 'href="/cabinet/groups/"' in html or f'href="{INDEX}"' in html
    # The portal-admin check, the viewer's memberships, the bell's and the chat's unread counts.
    assert len(first) <= 4
    with CaptureQueriesContext(connection) as second:
        template.render({"user": request.user}, request)
    assert len(second) == 0


# --- «Change»: the initiative's administrators ------------------------------------------------

ADMINS = _en("groups:admins", slug="gorki")


@pytest.mark.parametrize("extranet_client", EXTRANET_ROLES, indirect=True)
def test_admins_page_by_role(extranet_client, request, people):
    """Only the portal admin opens «Change» (and may post to it); guests go to the login,
    everyone else, the initiative's own admin included, gets 403 and nothing changes."""
    role = request.node.callspec.params["extranet_client"]
    member = Membership.objects.get(user=people["member"], initiative__slug="gorki")
    response = extranet_client.get(ADMINS)
    post = extranet_client.post(ADMINS, {"action": "add", "membership": member.pk})
    if role == "portal_admin":
        assert response.status_code == 200
        assert people["initiative_admin"].email in response.content.decode()
        assert post.status_code == 302
    else:
        expected = 302 if role == "guest" else 403
        assert (response.status_code, post.status_code) == (expected, expected)
        if role == "guest":
            assert "/accounts/login/" in response["Location"]
    member.refresh_from_db()
    assert (member.role == "admin") is (role == "portal_admin")


def test_admins_page_unknown_or_unpublished_initiative_is_404(client, people, gorki):
    """An unknown slug and an unpublished initiative answer 404."""
    client.force_login(people["portal_admin"])
    assert client.get(_en("groups:admins", slug="nowhere")).status_code == 404
    gorki.unpublish()
    assert client.get(ADMINS).status_code == 404


@pytest.fixture
def role_events():
    log = []

    def handler(sender, **kwargs):
        log.append(kwargs)

    events.membership_role_changed.connect(handler, weak=False)
    yield log
    events.membership_role_changed.disconnect(handler)


def test_make_and_remove_administrator(
    client, people, gorki, role_events, django_capture_on_commit_callbacks
):
    """Making a member an administrator and removing the role go through membership_set_role:
    the role changes, the initiative's Wagtail group follows, the event is sent, the page says
    so, and the directory marks the new administrator."""
    member = Membership.objects.get(user=people["member"], initiative=gorki)
    client.force_login(people["portal_admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADMINS, {"action": "add", "membership": member.pk}, follow=True)
    member.refresh_from_db()
    assert member.role == "admin"
    gorki.refresh_from_db()
    assert gorki.admin_group.user_set.filter(pk=people["member"].pk).exists()
    assert role_events and role_events[-1]["role"] == "admin"
    assert "is now an administrator" in response.content.decode()
    directory = client.get(_en("groups:members", slug="gorki"))
    badges = {card.email: card.badge for card in directory.context["cards"]}
    assert badges[people["member"].email] == "Administrator"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADMINS, {"action": "remove", "membership": member.pk}, follow=True)
    member.refresh_from_db()
    assert member.role == "member"
    assert not gorki.admin_group.user_set.filter(pk=people["member"].pk).exists()
    assert "is no longer an administrator" in response.content.decode()


def test_page_lists_admins_and_candidates(client, people, gorki):
    """Current admins have a «Remove administrator rights» button; the choice offers approved
    non-admin members only (no applicant, no other initiative's member, no admin)."""
    client.force_login(people["portal_admin"])
    response = client.get(ADMINS)
    body = response.content.decode()
    admin = Membership.objects.get(user=people["initiative_admin"], initiative=gorki)
    assert f'name="membership" value="{admin.pk}"' in body
    assert "Remove administrator rights" in body
    offered = set(response.context["add_form"].fields["membership"].queryset)
    assert offered == {Membership.objects.get(user=people["member"], initiative=gorki)}


@pytest.mark.parametrize(
    "bad",
    [
        "unknown",
        "other_initiative",
        "pending",
        "already_admin",
        "garbage",
        "empty",
    ],
)
def test_bad_choice_for_make_admin_is_a_form_error(client, people, gorki, polotsk, bad):
    """An unknown id, another initiative's membership, a pending application, someone who is
    already admin, garbage or nothing: a clear error on the page (200), nothing changes."""
    ids = {
        "unknown": 999999,
        "other_initiative": Membership.objects.get(user=people["other_member"]).pk,
        "pending": Membership.objects.get(user=people["pending"]).pk,
        "already_admin": Membership.objects.get(user=people["initiative_admin"]).pk,
        "garbage": "x'; DROP TABLE",
        "empty": "",
    }
    before = list(Membership.objects.order_by("pk").values_list("pk", "status", "role"))
    client.force_login(people["portal_admin"])
    response = client.post(ADMINS, {"action": "add", "membership": ids[bad]})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="alert alert--error"' in body
    assert "field__errors" in body
    assert list(Membership.objects.order_by("pk").values_list("pk", "status", "role")) == before


@pytest.mark.parametrize("bad", ["member", "other_initiative", "unknown", "empty"])
def test_bad_choice_for_remove_admin_is_a_form_error(client, people, gorki, polotsk, bad):
    """Removing the role from someone who is not this initiative's admin is refused clearly."""
    polotsk_admin = MembershipFactory(initiative=polotsk, role="admin")
    ids = {
        "member": Membership.objects.get(user=people["member"]).pk,
        "other_initiative": polotsk_admin.pk,
        "unknown": 999999,
        "empty": "",
    }
    client.force_login(people["portal_admin"])
    response = client.post(ADMINS, {"action": "remove", "membership": ids[bad]})
    assert response.status_code == 200
    assert 'class="alert alert--error"' in response.content.decode()
    polotsk_admin.refresh_from_db()
    assert polotsk_admin.role == "admin"


def test_unknown_action_is_refused(client, people, gorki):
    """A POST without a known action changes nothing and says so."""
    client.force_login(people["portal_admin"])
    response = client.post(ADMINS, {"action": "promote-everyone"})
    assert response.status_code == 200
    assert "Unknown action." in response.content.decode()
    assert Membership.objects.filter(initiative=gorki, role="admin").count() == 1


def test_service_refusal_is_shown(client, people, gorki, monkeypatch):
    """If the membership changed between the form and the service (MembershipError), its
    message is shown on the form instead of a 500."""
    from extranet.members import views_directory
    from extranet.members.services import MembershipError

    def refuse(**kwargs):
        raise MembershipError("Only an approved member can be made an administrator.")

    monkeypatch.setattr(views_directory, "membership_role_change", refuse)
    member = Membership.objects.get(user=people["member"], initiative=gorki)
    client.force_login(people["portal_admin"])
    response = client.post(ADMINS, {"action": "add", "membership": member.pk})
    assert response.status_code == 200
    assert "Only an approved member can be made an administrator." in response.content.decode()


def test_admins_page_requires_csrf(people, gorki):
    """The role forms are CSRF-protected."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(people["portal_admin"])
    member = Membership.objects.get(user=people["member"], initiative=gorki)
    assert client.post(ADMINS, {"action": "add", "membership": member.pk}).status_code == 403
    member.refresh_from_db()
    assert member.role == "member"
