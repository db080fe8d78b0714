"""Who may write to whom, read a conversation, download its files, send to everyone.

The one place the chat decides; its views, templates, downloads and the /ws/chat/ consumer
ask these functions. The roles come from the members' rule (``extranet.members``), but read
**fresh from the database** on every call: a socket lives for hours, and the members'
per-request cache on the user object would outlive a revoked membership.

Who may write to whom (issue 11):

- members of the same initiative (approved, its chat switched on) to each other;
- anyone registered to the portal admin, and the portal admin to anyone;
- an initiative's admin to its pending applicants; anyone registered may answer an
  initiative's admin in a conversation the admin has written in (DESIGN.md: «an initiative
  admin who wrote first»);
- the two people of a conversation begun by «Откликнуться» on an idea of the ideas exchange
  (``Conversation.opened_via_idea``, issue 13) to each other, whatever their initiatives;
- nobody else; a blocked (inactive) or deleted account to nobody, and nobody to it;
- when either person blocked the other (:class:`~.models.Block`), neither writes.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q

from extranet.members.models import Membership
from extranet.members.permissions import PORTAL_ADMINS_GROUP, is_portal_admin

from .models import Block, Conversation, Message


def can_use_chat(user) -> bool:
    """A signed-in, active account (the chat's pages and socket)."""
    return bool(user is not None and user.is_authenticated and user.is_active)


def portal_admin_ids(user_ids) -> frozenset[int]:
    """Which of ``user_ids`` are active portal admins (superusers or the group), in one query."""
    ids = {pk for pk in user_ids if pk is not None}
    if not ids:
        return frozenset()
    return frozenset(
        get_user_model()
        .objects.filter(pk__in=ids, is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name=PORTAL_ADMINS_GROUP))
        .values_list("pk", flat=True)
    )


def _chat_memberships(user_ids):
    """(user_id, initiative_id, status, role) of pending and approved memberships in
    initiatives whose chat is on."""
    return Membership.objects.filter(
        user_id__in=user_ids,
        status__in=(Membership.Status.PENDING, Membership.Status.APPROVED),
        initiative__chat_enabled=True,
    ).values_list("user_id", "initiative_id", "status", "role")


def is_blocked_between(a_id: int, b_id: int) -> bool:
    return Block.objects.filter(
        Q(blocker_id=a_id, blocked_id=b_id) | Q(blocker_id=b_id, blocked_id=a_id)
    ).exists()


def _pair_flags(a_id: int, b_id: int) -> tuple[bool, bool]:
    """(a block either way, either of the two an active portal admin), in one query: the two
    questions every send asks first."""
    User = get_user_model()
    in_group = User.groups.through.objects.filter(
        user_id=OuterRef("pk"), group__name=PORTAL_ADMINS_GROUP
    )
    blocked = Block.objects.filter(
        Q(blocker_id=a_id, blocked_id=b_id) | Q(blocker_id=b_id, blocked_id=a_id)
    )
    rows = list(
        User.objects.filter(pk__in=[a_id, b_id])
        .annotate(_group=Exists(in_group), _blocked=Exists(blocked))
        .values_list("is_active", "is_superuser", "_group", "_blocked")
    )
    any_blocked = any(row[3] for row in rows)
    any_admin = any(active and (superuser or group) for active, superuser, group, _b in rows)
    return any_blocked, any_admin


def can_write(sender, recipient, *, conversation: Conversation | None = None) -> bool:
    """Whether ``sender`` may send ``recipient`` a message now (see the module's rules).

    ``conversation`` is theirs when it exists: one may answer an initiative's admin only in a
    conversation the admin has written in. A few queries, none cached on the user objects."""
    if sender is None or recipient is None or sender.pk == recipient.pk:
        return False
    if not can_use_chat(sender) or not recipient.is_active:
        return False
    blocked, portal_admin = _pair_flags(sender.pk, recipient.pk)
    if blocked:
        return False
    if portal_admin:
        return True
    # «Откликнуться» on an idea opened it: its two people write to each other (a block or a
    # blocked account, checked above, still ends that).
    if (
        conversation is not None
        and conversation.opened_via_idea
        and {conversation.user_a_id, conversation.user_b_id} == {sender.pk, recipient.pk}
    ):
        return True
    mine: dict[int, tuple[str, str]] = {}
    theirs: dict[int, tuple[str, str]] = {}
    for user_id, initiative_id, status, role in _chat_memberships([sender.pk, recipient.pk]):
        (mine if user_id == sender.pk else theirs)[initiative_id] = (status, role)
    approved, admin = Membership.Status.APPROVED, Membership.Role.ADMIN
    for initiative_id, (status, role) in mine.items():
        other = theirs.get(initiative_id)
        if other is None:
            continue
        other_status = other[0]
        if status == approved and other_status == approved:
            return True
        # The admin writes to an applicant («написать сообщение» of an application).
        if status == approved and role == admin and other_status == Membership.Status.PENDING:
            return True
    # Anyone registered answers an initiative's admin who wrote first (an applicant, also
    # after the decision): the admin chose to write, the answer goes back only to them.
    recipient_admin = any(status == approved and role == admin for status, role in theirs.values())
    return bool(
        recipient_admin
        and conversation is not None
        and Message.objects.filter(conversation=conversation, sender=recipient).exists()
    )


def writable_people(user, *, is_portal_admin_now: bool | None = None):
    """The active accounts ``user`` may start a conversation with (the search of «Поиск по
    имени или email», the cards' «Написать»): the rule of :func:`can_write` as one query.

    ``is_portal_admin_now`` saves the portal-admin lookup when a page already knows it."""
    User = get_user_model()
    if not can_use_chat(user):
        return User.objects.none()
    people = User.objects.filter(is_active=True).exclude(pk=user.pk)
    blocked = Block.objects.filter(blocker=user).values("blocked_id")
    blockers = Block.objects.filter(blocked=user).values("blocker_id")
    people = people.exclude(pk__in=blocked).exclude(pk__in=blockers)
    if is_portal_admin_now is None:
        is_portal_admin_now = bool(portal_admin_ids([user.pk]))
    if is_portal_admin_now:
        return people
    approved = Membership.Status.APPROVED
    chat_on = Membership.objects.filter(initiative__chat_enabled=True)
    mine = chat_on.filter(user=user, status=approved)
    member_of = mine.values("initiative_id")
    admin_of = mine.filter(role=Membership.Role.ADMIN).values("initiative_id")
    rule = (
        Q(is_superuser=True)
        | Q(groups__name=PORTAL_ADMINS_GROUP)
        | Q(pk__in=chat_on.filter(initiative_id__in=member_of, status=approved).values("user_id"))
        | Q(
            pk__in=chat_on.filter(
                initiative_id__in=admin_of, status=Membership.Status.PENDING
            ).values("user_id")
        )
    )
    return people.filter(rule).distinct()


def can_read_conversation(user, conversation: Conversation | None) -> bool:
    """A participant with an active account. History stays readable after the right to
    write ends (a membership ended): what was said to you is yours."""
    if conversation is None or not can_use_chat(user):
        return False
    return user.pk in (conversation.user_a_id, conversation.user_b_id)


def can_download(user, attachment) -> bool:
    """A file of a conversation: its participants only (404 for everyone else)."""
    return can_read_conversation(user, attachment.conversation)


def can_block(user, conversation: Conversation) -> bool:
    """Either participant may block the other (and lift their own block)."""
    return can_read_conversation(user, conversation) and conversation.other_id(user.pk) is not None


def can_broadcast(user) -> bool:
    """«Сообщение всем»: the portal admin only. Asked by pages (the header asks on every one),
    never by the socket, so the members' per-request answer is the right one here."""
    return can_use_chat(user) and is_portal_admin(user)
