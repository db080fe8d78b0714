"""Where the extranet plugs into events without this public app importing it.

Events are public pages, so (like ``initiatives``) this app imports nothing from
``extranet``. What it needs to know about people comes through Wagtail hooks the members app
registers in its ``wagtail_hooks.py``:

- ``HOOK_MEMBER_INITIATIVES``: ``fn(user) -> set[int]``, the initiatives in which ``user``
  is an approved member (for «members of the initiative» events). Read fresh, never cached
  across requests.
- ``HOOK_REGISTRANT_DETAILS``: ``fn(user) -> dict`` with ``name`` and ``organisation`` from
  the person's profile, for one-click registration.
- ``HOOK_IS_PORTAL_ADMIN``: ``fn(user) -> bool``, the platform's owners, who organise
  every event.

And the other way, events tell the extranet what happened through the Django signals of
``events.signals``; the members app turns them into notices for people with accounts
(guests are mailed by this app itself).

Until something registers, nobody counts as a member and one-click registration uses the
account's name and e-mail only.
"""

from __future__ import annotations

from wagtail import hooks

HOOK_MEMBER_INITIATIVES = "events_member_initiatives"
HOOK_REGISTRANT_DETAILS = "events_registrant_details"
HOOK_IS_PORTAL_ADMIN = "events_is_portal_admin"


def member_initiative_ids(user) -> set[int]:
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    found: set[int] = set()
    for provider in hooks.get_hooks(HOOK_MEMBER_INITIATIVES):
        found |= set(provider(user))
    return found


def registrant_details(user) -> dict:
    details = {"name": user.get_full_name() or user.email, "organisation": ""}
    for provider in hooks.get_hooks(HOOK_REGISTRANT_DETAILS):
        details.update({key: value for key, value in provider(user).items() if value})
    return details


def is_portal_admin(user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(provider(user) for provider in hooks.get_hooks(HOOK_IS_PORTAL_ADMIN))
