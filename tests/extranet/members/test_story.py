"""The whole membership story through the test client, as a person lives it (issue 4).

sign up → verify the e-mail from the outbox → fill the profile and apply → pending banner →
the initiative admin approves → the person is a member (and their data opens to members).
"""

import re

import pytest
from django.core import mail

from extranet.members.models import Consent, Membership, User
from extranet.members.permissions import can_view_personal_data, is_member
from tests.factories import MembershipFactory, signup_form_data

pytestmark = pytest.mark.django_db


def test_sign_up_to_approval(client, client_for, gorki):
    """Every step answers as designed, and the data only opens to members after approval."""
    admin = MembershipFactory(initiative=gorki, role="admin").user
    member = MembershipFactory(initiative=gorki).user

    # 1. Sign up with consent; the e-mail must be verified before anything else.
    response = client.post(
        "/en/accounts/signup/",
        signup_form_data(email="Nova.Person@Example.com", first_name="Инна", last_name="Хостина"),
    )
    assert response.status_code == 302
    person = User.objects.get(email="nova.person@example.com")
    assert Consent.objects.filter(user=person, withdrawn_at__isnull=True).exists()
    assert len(mail.outbox) == 1

    # 2. Verify from the link in the e-mail.
    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    path = link.group(0).split("testserver", 1)[-1]
    assert client.post(path).status_code == 302
    assert person.emailaddress_set.get().verified

    # 3. Log in, fill the profile and apply to Gorki.
    assert client.login(email="nova.person@example.com", password=signup_form_data()["password1"])
    response = client.post(
        "/en/cabinet/",
        {
            "first_name": "Инна",
            "last_name": "Хостина",
            "organisation": "ООО «Новые биотехнологии»",
            "phone": "+375 29 765-43-21",
            "position": "Технолог",
            "newsletter": "on",
            "initiative": "gorki",
            "message": "Хотим участвовать в проектах кластера",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=person, initiative=gorki)
    assert membership.status == "pending"
    assert str(person.profile.phone) == "+375297654321"

    # 4. The cabinet shows the pending state; members cannot see the applicant's data yet.
    cabinet = client.get("/en/cabinet/").content.decode()
    assert (
        "Хотим участвовать" in cabinet or "pending" in cabinet.lower() or "wait" in cabinet.lower()
    )
    assert not can_view_personal_data(User.objects.get(pk=member.pk), person)

    # 5. The initiative admin sees the application and approves it.
    admin_client = client_for(admin)
    queue = admin_client.get("/en/cabinet/groups/gorki/applications/").content.decode()
    assert "nova.person@example.com" in queue, queue[queue.find("<main") :][:3000]
    assert re.search(r"\+375 29 765.43.21", queue)
    response = admin_client.post(f"/en/cabinet/groups/gorki/applications/{membership.pk}/approve/")
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.status == "approved" and membership.decided_by_id == admin.pk

    # 6. Now a member: the initiative page says so, and members may see the person's data.
    person = User.objects.get(pk=person.pk)
    assert is_member(person, gorki)
    page = client.get("/en/initiatives/gorki/").content.decode()
    assert "You are a member of this initiative." in page
    assert can_view_personal_data(User.objects.get(pk=member.pk), person)
    assert "ООО «Новые биотехнологии»" in page  # the organisation is now listed publicly
    assert "nova.person@example.com" not in page
