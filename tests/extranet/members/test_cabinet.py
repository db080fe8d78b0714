"""The personal cabinet: own data only, every URL by role, withdraw and leave by the owner."""

from __future__ import annotations

import pytest
from django.test import Client

from extranet.members.models import Membership
from tests.conftest import EXTRANET_ROLES
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_guest_is_sent_to_login(client, home_page):
    """/cabinet/ needs a login; a guest is redirected to allauth's login with next."""
    response = client.get("/cabinet/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/cabinet/")


def test_user_sees_own_data_and_approval_notice(client, home_page):
    """A signed-in user sees their e-mail and names, and the common group notice."""
    me = UserFactory(email="me@example.com", first_name="Иван", last_name="Иванов")
    other = UserFactory(email="other@example.com")
    client.force_login(me)
    html = client.get("/en/cabinet/").content.decode()
    assert "me@example.com" in html and "Иванов" in html
    assert other.email not in html
    assert "will become available after an administrator confirms" in html
    assert 'href="/en/accounts/email/"' in html


def _role(request):
    return request.node.callspec.params["extranet_client"]


# GET pages of the cabinet: every signed-in role gets them; a guest goes to the login.
GET_URLS = ["/cabinet/", "/cabinet/data.json", "/cabinet/delete/", "/cabinet/consent/withdraw/"]


@pytest.mark.parametrize("url", GET_URLS)
@pytest.mark.parametrize("extranet_client", EXTRANET_ROLES, indirect=True)
def test_cabinet_pages_by_role(extranet_client, request, url):
    """Each cabinet page: 302 to the login for a guest, 200 for every signed-in role."""
    response = extranet_client.get(url)
    if _role(request) == "guest":
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("extranet_client", EXTRANET_ROLES, indirect=True)
def test_withdraw_someone_elses_application_by_role(extranet_client, people, request):
    """Only the applicant can withdraw their application: others get 404 (guests the login),
    and the application stays pending."""
    membership = Membership.objects.get(user=people["pending"])
    response = extranet_client.post(f"/cabinet/memberships/{membership.pk}/withdraw/")
    role = _role(request)
    expected = {"guest": 302, "pending": 302}.get(role, 404)
    assert response.status_code == expected
    membership.refresh_from_db()
    assert membership.status == ("withdrawn" if role == "pending" else "pending")


@pytest.mark.parametrize("extranet_client", EXTRANET_ROLES, indirect=True)
def test_leave_someone_elses_membership_by_role(extranet_client, people, request):
    """Only the member can open «leave» for their membership and confirm it; others get 404,
    even the initiative's and the portal's admins (they remove members elsewhere)."""
    membership = Membership.objects.get(user=people["member"])
    url = f"/cabinet/memberships/{membership.pk}/leave/"
    role = _role(request)
    get = extranet_client.get(url)
    post = extranet_client.post(url)
    if role == "guest":
        assert get.status_code == post.status_code == 302
    elif role == "member":
        assert get.status_code == 200
        assert post.status_code == 302
    else:
        assert get.status_code == post.status_code == 404
    membership.refresh_from_db()
    assert membership.status == ("removed" if role == "member" else "approved")


def test_withdraw_and_leave_need_post_and_csrf(people):
    """Withdraw answers 405 to GET; a POST without the CSRF token is refused (403)."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["pending"])
    membership = Membership.objects.get(user=people["pending"])
    url = f"/cabinet/memberships/{membership.pk}/withdraw/"
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 403
    membership.refresh_from_db()
    assert membership.status == "pending"


def test_pending_banner_and_withdraw(client, people):
    """The applicant sees the pending banner and «withdraw»; after it the row is withdrawn
    and gone from the list."""
    client.force_login(people["pending"])
    html = client.get("/en/cabinet/").content.decode()
    assert "waiting for an administrator" in html and "Withdraw application" in html
    membership = Membership.objects.get(user=people["pending"])
    response = client.post(f"/en/cabinet/memberships/{membership.pk}/withdraw/", follow=True)
    assert "Your application has been withdrawn." in response.content.decode()
    membership.refresh_from_db()
    assert membership.status == "withdrawn"


def test_withdraw_of_a_decided_application_is_a_message(client, people):
    """Withdrawing an approved membership is refused with a message, not an error page."""
    client.force_login(people["member"])
    membership = Membership.objects.get(user=people["member"])
    response = client.post(f"/en/cabinet/memberships/{membership.pk}/withdraw/", follow=True)
    assert response.status_code == 200
    assert "Only a pending application can be withdrawn." in response.content.decode()
    membership.refresh_from_db()
    assert membership.status == "approved"


def test_leave_confirmation_then_leave(client, people, gorki):
    """«Leave the initiative» shows a confirmation naming it; the POST ends the membership."""
    client.force_login(people["member"])
    membership = Membership.objects.get(user=people["member"])
    url = f"/en/cabinet/memberships/{membership.pk}/leave/"
    assert gorki.title in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert "You have left the initiative." in response.content.decode()
    membership.refresh_from_db()
    assert membership.status == "removed"


def test_leave_a_pending_application_is_refused(client, people):
    """A pending application cannot be «left» (it is withdrawn instead)."""
    client.force_login(people["pending"])
    membership = Membership.objects.get(user=people["pending"])
    response = client.post(f"/en/cabinet/memberships/{membership.pk}/leave/")
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.status == "pending"


def test_approved_member_sees_no_waiting_notice(client, people):
    """Once approved, the «common group will become available» notice is replaced."""
    client.force_login(people["member"])
    html = client.get("/en/cabinet/").content.decode()
    assert "will become available after an administrator confirms" not in html
    assert "Leave the initiative" in html


def test_cabinet_shows_no_one_elses_personal_data(client, people):
    """The cabinet lists only the viewer's memberships; another applicant's e-mail and phone
    never appear, not even for the initiative admin."""
    client.force_login(people["initiative_admin"])
    html = client.get("/en/cabinet/").content.decode()
    pending = people["pending"]
    assert pending.email not in html
    assert pending.profile.phone.as_e164 not in html


def test_other_initiatives_memberships_are_listed(client, people, polotsk):
    """A member of two initiatives sees both in «My initiatives»."""
    MembershipFactory(user=people["member"], initiative=polotsk)
    client.force_login(people["member"])
    html = client.get("/en/cabinet/").content.decode()
    assert polotsk.title in html


def test_the_cabinet_links_to_the_notification_settings(client_for, people):
    """The mock-up's «Email рассылка» lives in the profile; the cabinet leads to the page
    where each kind of notification is chosen."""
    response = client_for(people["member"]).get("/en/cabinet/")
    assert 'href="/en/cabinet/notifications/settings/"' in response.content.decode()


def test_the_initiative_select_lists_open_initiatives_and_keeps_the_choice(
    client, people, gorki, polotsk
):
    """«Cluster initiative» offers the live initiatives that take applications, by title,
    with their slugs; ``?initiative=`` preselects one; an unknown slug is a form error that
    applies nowhere."""
    polotsk.join_policy = polotsk.JoinPolicy.INVITATION
    polotsk.save_revision().publish()
    user = people["registered"]
    client.force_login(user)
    html = client.get("/cabinet/", {"initiative": "gorki"}).content.decode()
    assert f'<option value="gorki" selected>{gorki.title}</option>' in html
    assert 'value="polotsk' not in html
    data = {
        "first_name": "Ольга",
        "last_name": "Новикова",
        "phone": "+375291234567",
        "initiative": "no-such-initiative",
    }
    response = client.post("/cabinet/", data)
    assert response.status_code == 200
    from django import forms
    from django.utils import translation

    with translation.override("ru"):
        invalid = str(forms.ModelChoiceField.default_error_messages["invalid_choice"])
    assert invalid in response.content.decode()
    assert not Membership.objects.filter(user=user).exists()
