"""The who-may-write rule: the bulk form (search, cards) agrees with the one-pair form."""

from __future__ import annotations

import pytest

from extranet.chat import permissions
from extranet.chat.models import Block

pytestmark = pytest.mark.django_db


def _agree(people):
    users = [u for u in people.values() if u is not None]
    for writer in users:
        listed = set(permissions.writable_people(writer).values_list("pk", flat=True))
        for other in users:
            if other.pk == writer.pk:
                continue
            allowed = permissions.can_write(writer, other)
            assert (other.pk in listed) == allowed, (writer.email, other.email, allowed)


def test_writable_people_is_can_write_for_every_pair_of_roles(people):
    """For every pair of the roles (registered, editor, pending, other initiative's member,
    member, initiative admin, portal admin), «may start a conversation» is the same in the
    queryset the search and the cards use as in ``can_write``."""
    _agree(people)


def test_a_block_is_seen_by_both_forms(people):
    """A block either way removes the pair from both forms, the portal admin's too."""
    Block.objects.create(blocker=people["member"], blocked=people["initiative_admin"])
    Block.objects.create(blocker=people["registered"], blocked=people["portal_admin"])
    assert not permissions.can_write(people["initiative_admin"], people["member"])
    assert not permissions.can_write(people["portal_admin"], people["registered"])
    _agree(people)


def test_a_blocked_account_is_in_neither_form(people):
    """An account blocked by consent withdrawal (inactive) is written to by nobody."""
    member = people["member"]
    member.is_active = False
    member.save(update_fields=["is_active"])
    for writer in (people["initiative_admin"], people["portal_admin"]):
        assert not permissions.can_write(writer, member)
        assert not permissions.writable_people(writer).filter(pk=member.pk).exists()
