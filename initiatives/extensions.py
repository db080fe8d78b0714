"""Where the extranet plugs into the public initiative pages without this app importing it.

The membership app registers, in its ``wagtail_hooks.py``:

- ``HOOK_ORGANISATIONS``: ``fn(initiative_ids) -> dict[int, list[OrganisationItem]]``, the
  organisations with approved members in each initiative (public data only: no person);
- ``HOOK_DELETE_GUARD``: ``fn(initiative) -> str | None``, a reason the initiative must not be
  deleted (it has members, posts, ...), or None.

The events app registers ``HOOK_ADMIN_GROUP_READY``: ``fn(initiative=, group=)``, called by
``services.initiative_admin_group_ensure`` after it made or checked the initiative's Wagtail
group, so the group's rights on pages outside the initiative's subtree (its events) follow.

Until something registers, pages show their empty states and nothing blocks deletion.
"""

from __future__ import annotations

from dataclasses import dataclass

from wagtail import hooks

HOOK_ORGANISATIONS = "initiative_participating_organisations"
HOOK_DELETE_GUARD = "initiative_delete_guard"
HOOK_ADMIN_GROUP_READY = "initiative_admin_group_ready"


@dataclass(frozen=True)
class OrganisationItem:
    name: str
    kind: str = ""  # «Университет», «Компания», ... as the provider labels it
    website: str = ""


def organisations_by_initiative(initiative_ids: list[int]) -> dict[int, list[OrganisationItem]]:
    result: dict[int, list[OrganisationItem]] = {pk: [] for pk in initiative_ids}
    if not initiative_ids:
        return result
    for provider in hooks.get_hooks(HOOK_ORGANISATIONS):
        for pk, items in provider(list(initiative_ids)).items():
            result.setdefault(pk, []).extend(items)
    return result


def delete_refusal_reasons(initiative) -> list[str]:
    return [reason for guard in hooks.get_hooks(HOOK_DELETE_GUARD) if (reason := guard(initiative))]
