"""The privacy rule of DESIGN.md, decided in extranet.members.permissions alone."""

import pytest
from django.contrib.auth.models import AnonymousUser

from extranet.members.permissions import (
    can_manage_members,
    can_view_personal_data,
    is_initiative_admin,
    is_member,
)
from tests.factories import EditorFactory, MembershipFactory, PortalAdminFactory, UserFactory

pytestmark = pytest.mark.django_db


def fresh(user):
    """The user as a new request would load it (no cached membership sets)."""
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def people(gorki, polotsk):
    return {
        "gorki_admin": MembershipFactory(initiative=gorki, role="admin").user,
        "gorki_member": MembershipFactory(initiative=gorki).user,
        "polotsk_admin": MembershipFactory(initiative=polotsk, role="admin").user,
        "polotsk_member": MembershipFactory(initiative=polotsk).user,
        "portal_admin": PortalAdminFactory(),
        "editor": EditorFactory(),
        "registered": UserFactory(),
    }


def test_pending_applicant_is_visible_only_to_self_portal_admin_and_that_initiatives_admins(
    gorki, people
):
    """Before approval: the applicant, the portal admin and Gorki's admins; nobody else."""
    applicant = MembershipFactory(initiative=gorki, status="pending").user
    allowed = {"gorki_admin", "portal_admin"}
    for name, viewer in people.items():
        assert can_view_personal_data(fresh(viewer), applicant) == (name in allowed), name
    assert can_view_personal_data(applicant, applicant)
    assert not can_view_personal_data(AnonymousUser(), applicant)


def test_rejected_applicant_stays_private(gorki, people):
    """A rejected applicant is still visible only to the admins who decided and the portal admin."""
    rejected = MembershipFactory(initiative=gorki, status="rejected").user
    assert can_view_personal_data(fresh(people["gorki_admin"]), rejected)
    assert not can_view_personal_data(fresh(people["gorki_member"]), rejected)


def test_approved_member_is_visible_to_members_of_the_same_initiative(gorki, people):
    """After approval: members of the same initiative see them; other initiatives do not."""
    member = MembershipFactory(initiative=gorki).user
    assert can_view_personal_data(fresh(people["gorki_member"]), member)
    assert can_view_personal_data(fresh(people["gorki_admin"]), member)
    assert not can_view_personal_data(fresh(people["polotsk_member"]), member)
    assert not can_view_personal_data(fresh(people["polotsk_admin"]), member)
    assert not can_view_personal_data(fresh(people["editor"]), member)
    assert not can_view_personal_data(fresh(people["registered"]), member)


def test_withdrawn_or_removed_people_are_not_visible_to_members(gorki, people):
    """Someone who withdrew or was removed is no longer visible to the initiative's members."""
    for status in ("withdrawn", "removed"):
        person = MembershipFactory(initiative=gorki, status=status).user
        assert not can_view_personal_data(fresh(people["gorki_member"]), person)


def test_roles(gorki, polotsk, people):
    """Member and admin checks follow approved memberships; the portal admin manages all."""
    assert is_member(people["gorki_member"], gorki)
    assert not is_member(people["gorki_member"], polotsk)
    assert is_initiative_admin(people["gorki_admin"], gorki)
    assert not is_initiative_admin(people["gorki_member"], gorki)
    assert can_manage_members(people["gorki_admin"], gorki)
    assert not can_manage_members(people["gorki_admin"], polotsk)
    assert can_manage_members(people["portal_admin"], polotsk)
    pending = MembershipFactory(initiative=gorki, status="pending", role="admin").user
    assert not is_member(pending, gorki) and not is_initiative_admin(pending, gorki)
