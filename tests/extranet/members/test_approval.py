"""The applications queue at /cabinet/groups/<slug>/applications/: who sees it, approve and
reject (with the events they send), forged ids, pagination and a constant number of queries."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from extranet.members import events
from extranet.members.models import Membership
from tests.conftest import EXTRANET_ROLES
from tests.factories import InitiativePageFactory, MembershipFactory

pytestmark = pytest.mark.django_db

ADMINS = {"initiative_admin", "portal_admin"}


def _url(name: str, slug: str = "gorki", **kwargs) -> str:
    """The Russian (unprefixed) address, whatever language an earlier request left active."""
    with translation.override("ru"):
        return reverse(f"groups:{name}", kwargs={"slug": slug, **kwargs})


def _en(url: str) -> str:
    return "/en" + url


@pytest.fixture
def received():
    """Every approval/rejection event sent, as (name, kwargs), in order."""
    log = []
    handlers = []
    for name in ("membership_approved", "membership_rejected"):
        signal = getattr(events, name)

        def handler(sender, _name=name, **kwargs):
            log.append((_name, kwargs))

        signal.connect(handler, weak=False)
        handlers.append((signal, handler))
    yield log
    for signal, handler in handlers:
        signal.disconnect(handler)


def _pending(people, gorki):
    return Membership.objects.get(user=people["pending"], initiative=gorki)


@pytest.mark.parametrize("extranet_client", EXTRANET_ROLES, indirect=True)
def test_applications_page_by_role(extranet_client, request, people, gorki):
    """Only the initiative's admins and the portal admin open the queue (others 403, guests
    to the login), and only they see the pending applicant's e-mail and phone."""
    role = request.node.callspec.params["extranet_client"]
    applicant = people["pending"]
    phone = applicant.profile.phone
    response = extranet_client.get(_en(_url("applications")))
    body = response.content.decode()
    if role in ADMINS:
        assert response.status_code == 200
        assert applicant.email in body
        assert phone.as_international in body
        assert "Unconfirmed (1)" in body
        assert applicant.profile.organisation.name in body
    else:
        assert response.status_code == (302 if role == "guest" else 403)
        if role == "guest":
            assert "/accounts/login/" in response["Location"]
        assert applicant.email not in body
        assert phone.as_international not in body
        assert phone.as_e164 not in body


@pytest.mark.parametrize("extranet_client", EXTRANET_ROLES, indirect=True)
def test_approve_by_role(extranet_client, request, people, gorki):
    """Approving is allowed to the admins only; anyone else leaves the application pending."""
    role = request.node.callspec.params["extranet_client"]
    membership = _pending(people, gorki)
    response = extranet_client.post(
        _url("application_approve", membership_id=membership.pk), follow=False
    )
    membership.refresh_from_db()
    if role in ADMINS:
        assert response.status_code == 302
        assert response["Location"] == _url("applications")
        assert membership.status == Membership.Status.APPROVED
        assert membership.decided_by == people[role]
    else:
        assert response.status_code == (302 if role == "guest" else 403)
        assert membership.status == Membership.Status.PENDING


@pytest.mark.parametrize("extranet_client", EXTRANET_ROLES, indirect=True)
def test_reject_by_role(extranet_client, request, people, gorki):
    """The rejection page and the rejection itself are for the admins only."""
    role = request.node.callspec.params["extranet_client"]
    membership = _pending(people, gorki)
    url = _url("application_reject", membership_id=membership.pk)
    page = extranet_client.get(url)
    response = extranet_client.post(url, {"reason": "Нет"})
    membership.refresh_from_db()
    if role in ADMINS:
        assert page.status_code == 200
        assert response.status_code == 302
        assert membership.status == Membership.Status.REJECTED
    else:
        expected = 302 if role == "guest" else 403
        assert page.status_code == expected
        assert response.status_code == expected
        assert membership.status == Membership.Status.PENDING


@pytest.mark.parametrize("extranet_client", ["portal_admin"], indirect=True)
def test_unknown_or_unpublished_initiative_is_404(extranet_client, home_page):
    """An unknown slug and an unpublished initiative look the same: 404, even to the portal
    admin."""
    InitiativePageFactory(slug="draft", live=False)
    assert extranet_client.get(_url("applications", slug="nowhere")).status_code == 404
    assert extranet_client.get(_url("applications", slug="draft")).status_code == 404
    assert extranet_client.get(_url("invite", slug="draft")).status_code == 404


def test_approve_sends_only_the_approval_event(
    client, people, gorki, received, django_capture_on_commit_callbacks
):
    """Approval records who and when, shows «Application approved» and sends exactly one
    event, membership_approved, with the admin as actor: never a rejection."""
    admin = people["initiative_admin"]
    client.force_login(admin)
    membership = _pending(people, gorki)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _en(_url("application_approve", membership_id=membership.pk)), follow=True
        )
    assert "Application approved" in response.content.decode()
    membership.refresh_from_db()
    assert membership.status == Membership.Status.APPROVED
    assert membership.decided_at is not None
    assert membership.decided_by == admin
    assert [name for name, _kwargs in received] == ["membership_approved"]
    assert received[0][1]["actor"] == admin
    assert received[0][1]["membership"].pk == membership.pk


def test_reject_with_reason_sends_only_the_rejection_event(
    client, people, gorki, received, django_capture_on_commit_callbacks
):
    """Rejection keeps the reason (shown to the applicant later) and sends exactly one event,
    membership_rejected with that reason: never an approval."""
    admin = people["portal_admin"]
    client.force_login(admin)
    membership = _pending(people, gorki)
    url = _en(_url("application_reject", membership_id=membership.pk))
    assert 'name="reason"' in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "  Заполните профиль  "}, follow=True)
    assert "Application rejected" in response.content.decode()
    membership.refresh_from_db()
    assert membership.status == Membership.Status.REJECTED
    assert membership.decision_reason == "Заполните профиль"
    assert membership.decided_by == admin
    assert [name for name, _kwargs in received] == ["membership_rejected"]
    assert received[0][1]["reason"] == "Заполните профиль"


def test_reject_without_reason_and_too_long_reason(client, people, gorki):
    """The reason is optional; one over 1000 characters is a form error and nothing changes."""
    client.force_login(people["initiative_admin"])
    membership = _pending(people, gorki)
    url = _url("application_reject", membership_id=membership.pk)
    response = client.post(url, {"reason": "x" * 1001})
    assert response.status_code == 200
    membership.refresh_from_db()
    assert membership.status == Membership.Status.PENDING
    assert client.post(url, {}).status_code == 302
    membership.refresh_from_db()
    assert membership.status == Membership.Status.REJECTED
    assert membership.decision_reason == ""


def test_decided_application_cannot_be_decided_again(
    client, people, gorki, received, django_capture_on_commit_callbacks
):
    """Rejecting an approved application (a double click, a stale page) changes nothing,
    says so, and sends no second event."""
    client.force_login(people["initiative_admin"])
    membership = _pending(people, gorki)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("application_approve", membership_id=membership.pk))
        response = client.post(
            _en(_url("application_reject", membership_id=membership.pk)),
            {"reason": "нет"},
            follow=True,
        )
        again = client.post(
            _en(_url("application_approve", membership_id=membership.pk)), follow=True
        )
    assert "already been decided" in response.content.decode()
    assert "already been decided" in again.content.decode()
    membership.refresh_from_db()
    assert membership.status == Membership.Status.APPROVED
    assert [name for name, _kwargs in received] == ["membership_approved"]


def test_forged_membership_of_another_initiative_is_404(client, people, gorki, polotsk):
    """Gorki's admin posting a Polotsk application's id under Gorki's URL gets 404 and the
    Polotsk application stays pending; under Polotsk's URL they are simply forbidden."""
    foreign = MembershipFactory(initiative=polotsk, status="pending")
    client.force_login(people["initiative_admin"])
    assert client.post(_url("application_approve", membership_id=foreign.pk)).status_code == 404
    assert client.post(_url("application_reject", membership_id=foreign.pk)).status_code == 404
    assert client.get(_url("application_reject", membership_id=foreign.pk)).status_code == 404
    assert (
        client.post(
            _url("application_approve", slug="polotsk", membership_id=foreign.pk)
        ).status_code
        == 403
    )
    assert client.post(_url("application_approve", membership_id=999999)).status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == Membership.Status.PENDING


def test_approve_is_post_only(client, people, gorki):
    """A GET (a link, a prefetch) never approves anyone."""
    client.force_login(people["initiative_admin"])
    membership = _pending(people, gorki)
    assert client.get(_url("application_approve", membership_id=membership.pk)).status_code == 405
    membership.refresh_from_db()
    assert membership.status == Membership.Status.PENDING


def test_csrf_is_enforced(people, gorki):
    """Approving without the CSRF token is refused."""
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(people["initiative_admin"])
    membership = _pending(people, gorki)
    response = csrf_client.post(_url("application_approve", membership_id=membership.pk))
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.status == Membership.Status.PENDING


def test_pagination_newest_first_and_only_pending(client, people, gorki):
    """20 a page, newest application first; approved and other initiatives' rows are not
    listed."""
    client.force_login(people["initiative_admin"])
    applicants = [MembershipFactory(initiative=gorki, status="pending") for _ in range(24)]
    response = client.get(_en(_url("applications")))
    body = response.content.decode()
    assert "Unconfirmed (25)" in body
    assert response.context["page_obj"].object_list[0].pk == applicants[-1].pk
    assert len(response.context["page_obj"].object_list) == 20
    second = client.get(_url("applications") + "?page=2").context["page_obj"]
    assert len(second.object_list) == 5
    assert list(second.object_list)[-1].user == people["pending"]
    assert people["member"].email not in body


def test_application_card_shows_message_photo_and_no_chat_link_yet(client, people, gorki):
    """The card carries the applicant's message and their photo from /files/photos/<id>/;
    «write a message» appears only once a feature registers it (register_person_action)."""
    membership = _pending(people, gorki)
    membership.message = "Хотим вступить в кластер"
    membership.save()
    profile = people["pending"].profile
    profile.photo.name = f"photos/{profile.user_id}/x.jpg"
    profile.save()
    client.force_login(people["initiative_admin"])
    body = client.get(_en(_url("applications"))).content.decode()
    assert "Хотим вступить в кластер" in body
    assert f'src="/files/photos/{profile.user_id}/"' in body
    assert "write a message" not in body


@pytest.mark.parametrize("count", [3, 40])
def test_queries_do_not_grow_with_applicants(
    client, people, gorki, count, django_assert_max_num_queries
):
    """The page costs the same number of queries for 3 applicants as for 40."""
    for _ in range(count):
        MembershipFactory(initiative=gorki, status="pending")
    client.force_login(people["initiative_admin"])
    # 18 today (session, user, roles, initiative, count, rows, site settings, header, the
    # chat's unread count and whom the admin may write to, once for all «Написать»); an N+1
    # would add 40 for 40 applicants. One more since the link tags (home/seo.py) name the
    # site's address.
    with django_assert_max_num_queries(21):
        response = client.get(_url("applications"))
    assert response.status_code == 200
