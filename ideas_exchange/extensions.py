"""Where the extranet plugs into the ideas exchange without this public app importing it.

The ideas exchange is public (guests read it), so, like ``events``, it imports nothing from
``extranet``. What it needs to know about people and the chat comes through Wagtail hooks
the extranet registers (members in ``extranet/members/wagtail_hooks.py``, the chat in
``extranet/chat/wagtail_hooks.py``):

- ``HOOK_MEMBER_INITIATIVES``: ``fn(user) -> set[int]``, the initiatives where ``user`` is
  an approved member (members-only ideas; a person approved nowhere posts through
  moderation). Read fresh.
- ``HOOK_ADMIN_INITIATIVES``: ``fn(user) -> set[int]``, the initiatives ``user`` administers
  (they moderate those initiatives' ideas).
- ``HOOK_IS_MODERATOR``: ``fn(user) -> bool``, editors and the portal admin, who moderate
  every idea.
- ``HOOK_AUTHOR_DETAILS``: ``fn(user) -> dict`` with ``name`` and ``organisation`` from the
  person's profile.
- ``HOOK_RESPOND``: ``fn(*, sender, recipient, text, idea) -> str``, «Откликнуться»: the
  chat sends ``recipient`` (the idea's author) a private message and returns the
  conversation's address; raises :class:`RespondError` with a sentence when it cannot.

And the other way, the exchange tells the extranet what happened through the Django signals
of ``ideas_exchange.signals``; the members app turns them into notices.

Until something registers, nobody is a member or moderator (superusers excepted) and
«Откликнуться» says the chat is not available.
"""

from __future__ import annotations

from wagtail import hooks

HOOK_MEMBER_INITIATIVES = "ideas_member_initiatives"
HOOK_ADMIN_INITIATIVES = "ideas_admin_initiatives"
HOOK_IS_MODERATOR = "ideas_is_moderator"
HOOK_AUTHOR_DETAILS = "ideas_author_details"
HOOK_RESPOND = "ideas_respond"


class RespondError(Exception):
    """The chat refused «Откликнуться»; ``str(error)`` is the sentence for the person."""


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _union(hook_name: str, user) -> set[int]:
    if not _signed_in(user):
        return set()
    found: set[int] = set()
    for provider in hooks.get_hooks(hook_name):
        found |= set(provider(user))
    return found


def member_initiative_ids(user) -> set[int]:
    return _union(HOOK_MEMBER_INITIATIVES, user)


def admin_initiative_ids(user) -> set[int]:
    return _union(HOOK_ADMIN_INITIATIVES, user)


def is_moderator(user) -> bool:
    if not _signed_in(user):
        return False
    if user.is_superuser:
        return True
    return any(provider(user) for provider in hooks.get_hooks(HOOK_IS_MODERATOR))


def author_details(user) -> dict:
    details = {"name": user.get_full_name() or user.email, "organisation": ""}
    for provider in hooks.get_hooks(HOOK_AUTHOR_DETAILS):
        details.update({key: value for key, value in provider(user).items() if value})
    return details


def respond(*, sender, recipient, text: str, idea) -> str:
    """Send the idea's author a private message; the conversation's address."""
    from django.utils.translation import gettext as _

    providers = hooks.get_hooks(HOOK_RESPOND)
    if not providers:
        raise RespondError(_("Private messages are not available."))
    return providers[0](sender=sender, recipient=recipient, text=text, idea=idea)
