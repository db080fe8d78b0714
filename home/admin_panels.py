"""Wagtail dashboard panels for editors (issue 17, part 5): «Недавно опубликованные», the
latest pages published that the viewer may edit, with when, by whom and links to edit and view.

«Ждут утверждения» is Wagtail's own panel (``WorkflowObjectsToModeratePanel``, «Awaiting your
review»): it lists the task states the viewer may approve, so the editors see the news and
events of moderated initiatives there (``initiatives/moderation.py``); it is not duplicated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.urls import reverse
from wagtail.admin.ui.components import Component
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

RECENTLY_PUBLISHED_LIMIT = 10


@dataclass(frozen=True)
class PublishedRow:
    title: str
    kind: str
    published_at: datetime
    author: str
    edit_url: str
    live_url: str | None
    locale: str


def recently_published(*, user, request=None, limit: int = RECENTLY_PUBLISHED_LIMIT):
    """The ``limit`` pages last published among those ``user`` may edit, newest first; a
    fixed number of queries whatever the size of the tree."""
    editable = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    pages = (
        Page.objects.live()
        .filter(depth__gt=1, last_published_at__isnull=False, pk__in=editable.values("pk"))
        .select_related("live_revision__user", "owner", "content_type", "locale")
        .order_by("-last_published_at", "-pk")[:limit]
    )
    rows = []
    for page in pages:
        # The revision's author: the person who wrote it, also when an editor approved it.
        person = page.live_revision.user if page.live_revision_id else None
        person = person or page.owner
        model = page.content_type.model_class()
        rows.append(
            PublishedRow(
                title=page.get_admin_display_title(),
                kind=str(model._meta.verbose_name) if model else "",
                published_at=page.last_published_at,
                author=(person.get_full_name() or person.email) if person else "",
                edit_url=reverse("wagtailadmin_pages:edit", args=[page.pk]),
                live_url=page.get_url(request=request),
                locale=page.locale.language_code,
            )
        )
    return rows


class RecentlyPublishedPanel(Component):
    """«Недавно опубликованные» on Wagtail's dashboard, after Wagtail's moderation panels."""

    name = "recently_published"
    template_name = "home/admin/recently_published.html"
    order = 230

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> dict:
        return {
            "rows": recently_published(user=self.request.user, request=self.request),
            "default_language": settings.LANGUAGE_CODE,
        }
