"""The chat's places elsewhere: «Сообщения (N)» in the header (register_nav_item, kept live
over /ws/chat/), «Написать» on people's cards (register_person_action), the portal admin's
«Сообщение всем» (register_nav_links) and «Откликнуться» on an idea of the ideas exchange
(its ``HOOK_RESPOND``)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks

from extranet.members.people import PERSON_ACTION_HOOK, PERSON_ACTIONS_PREPARE_HOOK
from extranet.members.templatetags.cabinet_tags import NAV_ITEM_HOOK, NAV_LINKS_HOOK, NavItem
from ideas_exchange.extensions import HOOK_RESPOND, RespondError

from . import exports, permissions, services  # noqa: F401 - exports registers its hook

LIVE_URL = "/ws/chat/"


@hooks.register(NAV_ITEM_HOOK, order=5)
def messages_item(user) -> list[NavItem]:
    if not permissions.can_use_chat(user):
        return []
    return [
        NavItem(
            key="messages",
            label=_("Messages"),
            url=reverse("chat:index"),
            count=services.unread_total(user=user),
            icon="chat",
            live_url=LIVE_URL,
        )
    ]


def _writable(viewer) -> tuple[frozenset | None, frozenset | None]:
    """(the people decided so far, those of them ``viewer`` may write to) for this request;
    None for «everyone». Kept on the request's user object, which lives for one request; the
    socket never uses it (``permissions`` reads fresh there)."""
    return getattr(viewer, "_chat_writable", (frozenset(), frozenset()))


@hooks.register(PERSON_ACTIONS_PREPARE_HOOK)
def prepare_write_to(viewer, subject_ids):
    """Whom of a page's cards ``viewer`` may write to: one query about those people only."""
    decided, writable = _writable(viewer)
    if decided is None or not permissions.can_use_chat(viewer):
        return
    wanted = frozenset(subject_ids) - decided
    if not wanted:
        return
    if permissions.can_broadcast(viewer):
        viewer._chat_writable = (None, None)
        return
    people = permissions.writable_people(viewer, is_portal_admin_now=False).filter(pk__in=wanted)
    viewer._chat_writable = (
        decided | wanted,
        writable | frozenset(people.values_list("pk", flat=True)),
    )


def _may_write_to(viewer, subject_id: int) -> bool:
    decided, writable = _writable(viewer)
    if decided is not None and subject_id not in decided:
        # A card no page announced (a template asking per person): everyone at once, as one
        # query, rather than one per card.
        if permissions.can_broadcast(viewer):
            decided = writable = None
        else:
            people = permissions.writable_people(viewer, is_portal_admin_now=False)
            decided, writable = None, frozenset(people.values_list("pk", flat=True))
        viewer._chat_writable = (decided, writable)
    return writable is None or subject_id in writable


@hooks.register(PERSON_ACTION_HOOK)
def write_to(viewer, subject):
    """«Написать» on a card, when ``viewer`` may write to ``subject``: one query per page
    however many cards it shows."""
    if not permissions.can_use_chat(viewer) or not subject.is_active:
        return None
    if not _may_write_to(viewer, subject.pk):
        return None
    return (_("Write a message"), reverse("chat:with", args=[subject.pk]))


@hooks.register(NAV_LINKS_HOOK)
def broadcast_link(user):
    if not permissions.can_broadcast(user):
        return []
    return [(_("Message to everyone"), reverse("chat_admin:broadcast"))]


@hooks.register(HOOK_RESPOND)
def respond_to_idea(*, sender, recipient, text, idea) -> str:
    """«Откликнуться»: a private message to the idea's author, in a conversation marked as
    begun from the idea; the conversation's address. The exchange decided who may respond;
    a block, a blocked account or a bad text still refuse (RespondError with the sentence)."""
    try:
        conversation = services.conversation_open_from_idea(
            sender=sender,
            recipient=recipient,
            body=text,
            idea_title=idea.title,
            idea_url=f"{settings.SITE_URL}{idea.get_absolute_url()}",
        )
    except services.ChatError as error:
        raise RespondError(" ".join(error.messages)) from error
    return reverse("chat:conversation", args=[conversation.pk])
