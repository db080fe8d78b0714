"""Writes of the portal administrator's cabinet (DESIGN.md: writes with side effects live here)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from extranet.members.models import Organisation, Profile


@transaction.atomic
def organisation_merge(*, target: Organisation, duplicates: Iterable[Organisation]) -> int:
    """Move every profile of ``duplicates`` to ``target`` and delete the duplicates.

    ``target`` among the duplicates is ignored. A blank website of ``target`` is taken from
    the first duplicate that has one. Returns the number of profiles moved.
    """
    duplicate_ids = [org.pk for org in duplicates if org.pk != target.pk]
    if not duplicate_ids:
        return 0
    doubles = list(
        Organisation.objects.select_for_update().filter(pk__in=duplicate_ids).order_by("pk")
    )
    moved = Profile.objects.filter(organisation__in=doubles).update(organisation=target)
    if not target.website:
        website = next((org.website for org in doubles if org.website), "")
        if website:
            target.website = website
            target.save(update_fields=["website"])
    Organisation.objects.filter(pk__in=[org.pk for org in doubles]).delete()
    return moved
