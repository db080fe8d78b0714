"""A person who withdrew their consent (their account blocked) is shown by no page of the
extranet: the applications queue, the member card, the directory and the photo endpoint ask
one privacy rule and give one answer (issue 9, item 7)."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation

from extranet.members import permissions
from extranet.members.models import Membership
from extranet.members.profiles import consent_give, consent_withdraw
from tests.extranet.members.images import image_bytes

pytestmark = pytest.mark.django_db


def _url(name: str, **kwargs) -> str:
    with translation.override("ru"):
        return reverse(name, kwargs=kwargs)


def _block(user):
    consent_give(user=user)
    consent_withdraw(user=user)
    user.refresh_from_db()
    return user


def _traces(user) -> list[str]:
    phone = user.profile.phone
    return [user.email, phone.as_e164, phone.as_international]


@pytest.mark.parametrize("viewer", ["initiative_admin", "portal_admin"])
def test_blocked_applicant_is_not_in_the_queue(client, people, viewer):
    """After consent withdrawal the applications page shows neither the applicant's e-mail
    nor phone, counts them no more and cannot approve them; their card is 404."""
    applicant = _block(people["pending"])
    membership = Membership.objects.get(user=applicant)
    client.force_login(people[viewer])
    response = client.get(_url("groups:applications", slug="gorki"))
    assert response.status_code == 200
    body = response.content.decode()
    for trace in _traces(applicant):
        assert trace not in body
    assert response.context["pending_count"] == 0
    approve = _url("groups:application_approve", slug="gorki", membership_id=membership.pk)
    assert client.post(approve).status_code == 404
    membership.refresh_from_db()
    assert membership.status == Membership.Status.PENDING
    assert client.get(_url("person", user_id=applicant.pk)).status_code == 404


@pytest.mark.parametrize("viewer", ["member", "initiative_admin", "portal_admin"])
def test_blocked_member_is_gone_from_directory_card_and_photo(client, people, viewer):
    """A blocked member is not in the directory, their card is 404 and their photo is not
    served, to members, the initiative's admins and the portal admin alike."""
    blocked = people["other_member"]
    Membership.objects.create(
        user=blocked, initiative=people["member"].memberships.get().initiative, status="approved"
    )
    blocked.profile.photo.save("p.jpg", ContentFile(image_bytes("JPEG")), save=True)
    client.force_login(people[viewer])
    assert client.get(f"/files/photos/{blocked.pk}/").status_code == 200
    _block(blocked)
    body = client.get(_url("groups:members", slug="gorki")).content.decode()
    for trace in _traces(blocked):
        assert trace not in body
    assert blocked.get_full_name() not in body
    assert client.get(_url("person", user_id=blocked.pk)).status_code == 404
    assert client.get(f"/files/photos/{blocked.pk}/").status_code == 404


@pytest.mark.parametrize("viewer", ["member", "initiative_admin", "portal_admin"])
def test_the_rule_hides_blocked_people_from_everyone(people, viewer):
    """The privacy rule, one person at a time and for a page of people, sees no personal
    data of a blocked account, whoever asks."""
    blocked = _block(people["pending"])
    member = people["member"]
    viewer = people[viewer]
    assert not permissions.can_view_personal_data(viewer, blocked)
    assert not permissions.can_view_person(viewer, blocked)
    assert permissions.people_with_visible_data(viewer, [blocked.pk, member.pk]) == {member.pk}


def test_applications_page_asks_the_privacy_rule(client, people, monkeypatch):
    """The queue shows an applicant's data only when the privacy rule lets the viewer see it
    (the page asks the rule, not only its own query): otherwise the row has no e-mail, no
    phone and no decision buttons."""
    monkeypatch.setattr(permissions, "people_with_visible_data", lambda viewer, ids: frozenset())
    applicant = people["pending"]
    client.force_login(people["initiative_admin"])
    response = client.get(_url("groups:applications", slug="gorki"))
    body = response.content.decode()
    for trace in _traces(applicant):
        assert trace not in body
    assert 'action="/cabinet/groups/gorki/applications/' not in body
    assert response.context["pending_count"] == 1
