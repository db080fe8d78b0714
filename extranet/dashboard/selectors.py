"""Reads for the portal administrator's cabinet."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from initiatives.models import InitiativeIndexPage, InitiativePage


@dataclass(frozen=True)
class RegistryRow:
    page: InitiativePage
    edit_url: str
    delete_url: str


def initiatives_registry() -> list[RegistryRow]:
    """Every initiative, published or not, with its admin links (one query)."""
    pages = InitiativePage.objects.select_related("logo").order_by("title")
    return [
        RegistryRow(
            page=page,
            edit_url=reverse("wagtailadmin_pages:edit", args=[page.pk]),
            delete_url=reverse("wagtailadmin_pages:delete", args=[page.pk]),
        )
        for page in pages
    ]


def initiative_add_url() -> str | None:
    """Wagtail's «add an initiative» form under the index page, if the index exists."""
    index = InitiativeIndexPage.objects.first()
    if index is None:
        return None
    return reverse("wagtailadmin_pages:add", args=["initiatives", "initiativepage", index.pk])
