"""The ideas a «Предложение» in a common group's feed may link, and the links it shows.

Registered by the hooks' names (``extranet/feed/extensions.py`` defines them as
``FEED_IDEA_CHOICES_HOOK`` and ``FEED_IDEA_LINKS_HOOK``): the ideas exchange is a public app
and imports nothing from the extranet.

Offered to a post's author: the approved, not closed ideas they may see that belong to the
feed's initiative or to the whole platform, and their own ideas anywhere. A post shows the
link only to readers who may see the idea (``permissions.can_view_idea``); a deleted idea
leaves the post unlinked.
"""

from __future__ import annotations

from django.db.models import Q
from wagtail import hooks

from . import permissions
from .models import Idea
from .selectors import board_page

FEED_IDEA_CHOICES = "feed_idea_choices"
FEED_IDEA_LINKS = "feed_idea_links"
LIMIT = 50


@hooks.register(FEED_IDEA_CHOICES)
def idea_choices(initiative, user) -> list[tuple[int, str]]:
    if not permissions.signed_in(user):
        return []
    ideas = (
        permissions.visible_ideas(user)
        .exclude(status=Idea.Status.CLOSED)
        .filter(Q(initiative=initiative) | Q(initiative__isnull=True) | Q(author_id=user.pk))
        .order_by("-published_at", "-pk")
        .only("pk", "kind", "title")[:LIMIT]
    )
    return [(idea.pk, f"{idea.get_kind_display()} — {idea.title}") for idea in ideas]


@hooks.register(FEED_IDEA_LINKS)
def idea_links(user, idea_ids) -> dict[int, tuple[str, str]]:
    ideas = [
        idea
        for idea in Idea.objects.filter(pk__in=list(idea_ids)).only(
            "pk", "title", "author_id", "initiative_id", "visibility", "moderation"
        )
        if permissions.can_view_idea(user, idea)
    ]
    if not ideas:
        return {}
    page = board_page()
    if page is None:
        return {}
    base = page.url
    return {
        idea.pk: (idea.title, base + page.reverse_subpage("idea", args=[idea.pk])) for idea in ideas
    }
