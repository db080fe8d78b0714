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

from django.utils.translation import get_language
from wagtail import hooks

from core.pagecache import tagged_values

HOOK_ORGANISATIONS = "initiative_participating_organisations"
HOOK_DELETE_GUARD = "initiative_delete_guard"
HOOK_ADMIN_GROUP_READY = "initiative_admin_group_ready"


@dataclass(frozen=True)
class OrganisationItem:
    name: str
    kind: str = ""  # «Университет», «Компания», ... as the provider labels it
    website: str = ""


def organisations_by_initiative(initiative_ids: list[int]) -> dict[int, list[OrganisationItem]]:
    """Each initiative's participating organisations, cached until the providers purge the
    ``organisations`` tag (the members app does when one appears or goes)."""
    # Per language: an item carries its kind's label in the language it was made in.
    name = f"initiative-organisations:{get_language()}"
    found = tagged_values("organisations", name, list(initiative_ids), _ask)
    return {pk: found.get(pk) or [] for pk in initiative_ids}


def organisation_counts(initiative_ids: list[int]) -> dict[int, int]:
    """How many organisations each initiative has: what the cards show, cached apart from the
    lists so that a page of fifty cards does not read fifty lists."""

    def count(ids):
        return {pk: len(items) for pk, items in organisations_by_initiative(ids).items()}

    found = tagged_values(
        "organisations", "initiative-organisation-counts", list(initiative_ids), count
    )
    return {pk: found.get(pk) or 0 for pk in initiative_ids}


def _ask(initiative_ids: list[int]) -> dict[int, list[OrganisationItem]]:
    result: dict[int, list[OrganisationItem]] = {pk: [] for pk in initiative_ids}
    for provider in hooks.get_hooks(HOOK_ORGANISATIONS):
        for pk, items in provider(list(initiative_ids)).items():
            result.setdefault(pk, []).extend(items)
    return result


def delete_refusal_reasons(initiative) -> list[str]:
    return [reason for guard in hooks.get_hooks(HOOK_DELETE_GUARD) if (reason := guard(initiative))]
