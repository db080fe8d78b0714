"""Applying, deciding, leaving and roles: the membership services and the events they send."""

import pytest

from extranet.members import events
from extranet.members.models import Membership
from extranet.members.services import (
    MembershipError,
    membership_apply,
    membership_approve,
    membership_end,
    membership_reject,
    membership_set_role,
    membership_withdraw,
)
from tests.factories import MembershipFactory, PortalAdminFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def received():
    """Every membership event sent, as (name, kwargs), in order."""
    log = []
    signals = {
        name: getattr(events, name)
        for name in (
            "membership_applied",
            "membership_approved",
            "membership_rejected",
            "membership_withdrawn",
            "membership_ended",
            "membership_role_changed",
        )
    }
    handlers = {}
    for name, signal in signals.items():

        def handler(sender, _name=name, **kwargs):
            log.append((_name, kwargs))

        handlers[name] = handler
        signal.connect(handler, weak=False)
    yield log
    for name, signal in signals.items():
        signal.disconnect(handlers[name])


def test_apply_creates_pending_and_sends_event_after_commit(
    gorki, received, django_capture_on_commit_callbacks
):
    """An application is pending; the event goes out only once the transaction commits."""
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        membership = membership_apply(user=user, initiative=gorki, message="  Хочу участвовать ")
        assert received == []
    assert membership.status == Membership.Status.PENDING
    assert membership.message == "Хочу участвовать"
    for callback in callbacks:
        callback()
    assert [name for name, _ in received] == ["membership_applied"]


def test_duplicate_and_invitation_only_applications_are_refused(gorki, polotsk):
    """A second pending application, applying as a member, and an invitation-only initiative
    each give a clear error and create nothing."""
    user = UserFactory()
    membership_apply(user=user, initiative=gorki)
    with pytest.raises(MembershipError) as error:
        membership_apply(user=user, initiative=gorki)
    assert error.value.code == "pending"
    member = MembershipFactory(initiative=gorki).user
    with pytest.raises(MembershipError) as error:
        membership_apply(user=member, initiative=gorki)
    assert error.value.code == "member"
    polotsk.join_policy = polotsk.JoinPolicy.INVITATION
    with pytest.raises(MembershipError) as error:
        membership_apply(user=user, initiative=polotsk)
    assert error.value.code == "invitation_only"
    assert Membership.objects.filter(user=user).count() == 1


def test_approve_records_who_and_when_and_sends_only_approval(
    gorki, received, django_capture_on_commit_callbacks
):
    """Approval records the decider and time; only the approval event is sent."""
    admin = PortalAdminFactory()
    membership = MembershipFactory(initiative=gorki, status="pending")
    with django_capture_on_commit_callbacks(execute=True):
        approved = membership_approve(membership=membership, by=admin)
    assert approved.status == "approved" and approved.decided_by == admin and approved.decided_at
    assert [name for name, _ in received] == ["membership_approved"]
    assert received[0][1]["actor"] == admin
    with pytest.raises(MembershipError) as error:
        membership_reject(membership=membership, by=admin)
    assert error.value.code == "decided"


def test_reject_with_reason_then_reapply(gorki, received, django_capture_on_commit_callbacks):
    """A rejection carries its reason to the event; the person may apply again later."""
    admin = PortalAdminFactory()
    membership = MembershipFactory(initiative=gorki, status="pending")
    with django_capture_on_commit_callbacks(execute=True):
        membership_reject(membership=membership, by=admin, reason="  Нет данных об организации ")
    assert [name for name, _ in received] == ["membership_rejected"]
    assert received[0][1]["reason"] == "Нет данных об организации"
    again = membership_apply(user=membership.user, initiative=gorki)
    assert again.status == "pending"


def test_withdraw_only_pending(gorki):
    """A pending application can be withdrawn; a decided one cannot."""
    pending = MembershipFactory(initiative=gorki, status="pending")
    assert membership_withdraw(membership=pending).status == "withdrawn"
    with pytest.raises(MembershipError):
        membership_withdraw(membership=MembershipFactory(initiative=gorki, status="approved"))


def test_roles_sync_wagtail_permissions_and_end_with_membership(gorki, polotsk):
    """Making a member an admin lets them edit the initiative in Wagtail; removing them takes
    it away; a pending applicant cannot be made admin."""
    membership = MembershipFactory(initiative=gorki)
    user = membership.user
    membership_set_role(membership=membership, role="admin", by=PortalAdminFactory())
    user = type(user).objects.get(pk=user.pk)
    assert gorki.permissions_for_user(user).can_edit()
    assert not polotsk.permissions_for_user(user).can_edit()
    membership_end(membership=membership, by=PortalAdminFactory())
    user = type(user).objects.get(pk=user.pk)
    assert not gorki.permissions_for_user(user).can_edit()
    with pytest.raises(MembershipError):
        membership_set_role(
            membership=MembershipFactory(initiative=gorki, status="pending"), role="admin", by=None
        )
    with pytest.raises(MembershipError):
        membership_set_role(membership=MembershipFactory(initiative=gorki), role="owner", by=None)
