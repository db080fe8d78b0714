"""Membership events other apps react to (the notifications issue delivers them).

Each is a Django signal sent by :mod:`extranet.members.services` after the change is
committed, with ``membership`` (and ``actor`` where a person decided). Receivers must not
assume anything about the request: they may run in a task.
"""

from django.dispatch import Signal

# sender=Membership; kwargs: membership
membership_applied = Signal()
# sender=Membership; kwargs: membership, actor
membership_approved = Signal()
# sender=Membership; kwargs: membership, actor, reason
membership_rejected = Signal()
# sender=Membership; kwargs: membership
membership_withdrawn = Signal()
# sender=Membership; kwargs: membership, actor (None when the member left by themself)
membership_ended = Signal()
# sender=Membership; kwargs: membership, actor, role
membership_role_changed = Signal()

# sender=Invitation; kwargs: invitation, actor (the admin who invited). Sent when an
# invitation is created (extranet.members.invitations.invitation_create), after commit.
member_invited = Signal()
