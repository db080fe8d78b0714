"""Giving and taking an initiative's admin role from «All users» (dashboard:membership_role)."""

import pytest
from django.urls import reverse

from extranet.members.models import Membership, User
from tests.conftest import EXTRANET_ROLES
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

USERS_URL = "/en/cabinet/admin/users/"


def _url(membership):
    return f"/en/cabinet/admin/memberships/{membership.pk}/role/"


def _membership(user, initiative):
    return Membership.objects.get(user=user, initiative=initiative, status="approved")


def _can_edit(user, initiative):
    # A fresh user object: Wagtail caches permissions on the instance.
    return initiative.permissions_for_user(User.objects.get(pk=user.pk)).can_edit()


@pytest.mark.parametrize(
    ("extranet_client", "role"), [(r, r) for r in EXTRANET_ROLES], indirect=["extranet_client"]
)
def test_only_the_portal_admin_changes_roles(extranet_client, role, people, gorki):
    """Everyone but the portal admin gets 403 and the role stays; the portal admin is sent
    back to the list and the member becomes an admin."""
    membership = _membership(people["member"], gorki)
    response = extranet_client.post(_url(membership), {"role": "admin"})
    membership.refresh_from_db()
    if role == "portal_admin":
        assert response.status_code == 302
        assert membership.role == "admin"
    else:
        assert response.status_code == 403
        assert membership.role == "member"


def test_give_and_take_the_role_follows_wagtail_permissions(client, people, gorki):
    """«Make administrator» lets the member edit the initiative's page in Wagtail; «Remove
    administrator rights» takes it away again."""
    member = people["member"]
    membership = _membership(member, gorki)
    assert not _can_edit(member, gorki)
    client.force_login(people["portal_admin"])
    client.post(_url(membership), {"role": "admin"})
    assert _membership(member, gorki).role == "admin"
    assert _can_edit(member, gorki)
    client.post(_url(membership), {"role": "member"})
    assert _membership(member, gorki).role == "member"
    assert not _can_edit(member, gorki)


def test_an_initiative_can_have_several_admins(client, people, gorki):
    """Making a second member admin keeps the first admin's role and rights."""
    client.force_login(people["portal_admin"])
    first, second = people["member"], MembershipFactory(initiative=gorki).user
    client.post(_url(_membership(first, gorki)), {"role": "admin"})
    client.post(_url(_membership(second, gorki)), {"role": "admin"})
    assert _membership(first, gorki).role == _membership(second, gorki).role == "admin"
    assert _can_edit(first, gorki) and _can_edit(second, gorki)
    html = client.get(USERS_URL, {"initiative": gorki.pk}).content.decode()
    assert html.count("Remove administrator rights") >= 2


def test_redirect_back_keeps_the_filters(client, people, gorki):
    """The form returns to the list with its filters; a foreign ``next`` is ignored."""
    client.force_login(people["portal_admin"])
    membership = _membership(people["member"], gorki)
    back = f"{USERS_URL}?initiative={gorki.pk}&status=approved&page=1"
    response = client.post(_url(membership), {"role": "admin", "next": back})
    assert response["Location"] == back
    response = client.post(_url(membership), {"role": "member", "next": "https://evil.example/"})
    assert response["Location"] == reverse("dashboard:users")


def test_the_list_offers_the_forms(client, people, gorki):
    """Approved memberships carry a POST form to the role view; pending ones do not."""
    client.force_login(people["portal_admin"])
    html = client.get(USERS_URL).content.decode()
    assert _url(_membership(people["member"], gorki)) in html
    pending = Membership.objects.get(user=people["pending"])
    assert _url(pending) not in html


def test_forged_id_is_404_and_get_is_refused(client, people, gorki):
    """An unknown membership id is 404; the view accepts POST only."""
    client.force_login(people["portal_admin"])
    assert (
        client.post("/en/cabinet/admin/memberships/999999/role/", {"role": "admin"}).status_code
        == 404
    )
    membership = _membership(people["member"], gorki)
    assert client.get(_url(membership)).status_code == 405


def test_pending_member_or_bad_role_gives_a_message_not_a_change(client, people, gorki):
    """A pending applicant cannot be made admin and an unknown role is refused: the list
    shows the service's message and nothing changes."""
    client.force_login(people["portal_admin"])
    pending = Membership.objects.get(user=people["pending"])
    response = client.post(_url(pending), {"role": "admin"}, follow=True)
    assert response.status_code == 200
    assert "Only an approved member can be made an administrator." in response.content.decode()
    pending.refresh_from_db()
    assert pending.role == "member"
    membership = _membership(people["member"], gorki)
    response = client.post(_url(membership), {"role": "owner"}, follow=True)
    assert "Unknown role." in response.content.decode()
    assert _membership(people["member"], gorki).role == "member"
    assert not _can_edit(people["member"], gorki)


# --- The portal admin's menu (issue 9, item 15) -------------------------------------------------

ADMIN_LINKS = ('href="/cabinet/admin/users/"', 'href="/cabinet/admin/initiatives/"')


def _account_menu(html):
    start = html.index('class="user-menu"')
    return html[start : html.index("</nav>", start)]


@pytest.mark.parametrize(
    ("extranet_client", "role"), [(r, r) for r in EXTRANET_ROLES], indirect=["extranet_client"]
)
def test_only_the_portal_admin_has_the_admin_pages_in_the_header(extranet_client, role, home_page):
    """Seed 000's portal-admin header: «Все пользователи» and «Кластерные инициативы» (the
    registry) appear in the account menu of the portal admin, on public and cabinet pages
    alike, and for no other role."""
    for url in ("/", "/search/"):
        html = extranet_client.get(url).content.decode()
        menu = _account_menu(html)
        for link in ADMIN_LINKS:
            if role == "portal_admin":
                assert link in menu, (url, link)
            else:
                assert link not in html, (role, url, link)
    if role == "portal_admin":
        assert "Все пользователи" in menu and "Кластерные инициативы" in menu
        assert menu.index("/cabinet/admin/users/") < menu.index("/cabinet/admin/initiatives/")


def test_the_current_admin_page_is_marked_in_the_header(client, people):
    """On «All users» the header's link says it is the current page."""
    client.force_login(people["portal_admin"])
    menu = _account_menu(client.get("/cabinet/admin/users/").content.decode())
    assert 'href="/cabinet/admin/users/" aria-current="page"' in menu
    assert 'href="/cabinet/admin/initiatives/" aria-current' not in menu


def test_the_superuser_has_the_admin_pages_in_the_header(client, superuser, home_page):
    """A superuser is a portal admin (permissions.is_portal_admin): same menu."""
    client.force_login(superuser)
    menu = _account_menu(client.get("/").content.decode())
    assert all(link in menu for link in ADMIN_LINKS)


def test_editors_keep_the_wagtail_admin_link(client, people, home_page):
    """The editor's way into Wagtail admin (Wagtail's user bar) stays on the site's pages,
    the cabinet's included (a guard: the new menu must not replace it)."""
    client.force_login(people["editor"])
    for url in ("/", "/cabinet/"):
        html = client.get(url).content.decode()
        assert 'id="wagtail-userbar-template"' in html
        assert '/admin/"' in html[html.index("wagtail-userbar-template") :]


def test_the_admin_links_cost_no_query(client, people, home_page):
    """The portal admin's two header links reuse the per-request portal-admin check: the page
    runs as many queries as without them (so every page's query budget holds)."""
    from unittest import mock

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from wagtail import hooks

    from extranet.members.templatetags import cabinet_tags

    def get_hooks_but_links(name):
        return [] if name == cabinet_tags.NAV_LINKS_HOOK else real_get_hooks(name)

    real_get_hooks = hooks.get_hooks
    client.force_login(people["portal_admin"])
    client.get("/")  # warm Wagtail's per-process caches
    with CaptureQueriesContext(connection) as with_links:
        html = client.get("/").content.decode()
    assert all(link in html for link in ADMIN_LINKS)
    with (
        mock.patch.object(cabinet_tags.hooks, "get_hooks", get_hooks_but_links),
        CaptureQueriesContext(connection) as without_links,
    ):
        html = client.get("/").content.decode()
    assert not any(link in html for link in ADMIN_LINKS)
    assert len(with_links) == len(without_links)
