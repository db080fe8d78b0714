"""Reads of the ideas exchange (lists go through ``permissions.visible_ideas``).

Each list runs a fixed number of queries however many ideas exist: what a card shows
(initiative, author, tags, comment and partner counts) is joined, prefetched or annotated
with subqueries here, never looked up per card in a template.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from taggit.models import Tag
from wagtail.search.backends import get_search_backend

from core.locales import originals
from core.pagecache import TAG_ALL, tagged_values
from core.text import clean_line

from . import permissions
from .models import (
    Idea,
    IdeaComment,
    IdeasExchangePage,
    Partnership,
    TaggedIdea,
)

SEARCH_MAX_LENGTH = 200
# A search keeps at most this many best matches (the board then pages through them).
SEARCH_MAX_RESULTS = 500
TAG_OPTIONS = 40
_NOT_A_WORD = re.compile(r"[^\w\s]|_")


def board_page() -> IdeasExchangePage | None:
    """The live /ideas/ page (there is at most one)."""
    return IdeasExchangePage.objects.live().public().first()


# --- the board's filters -----------------------------------------------------------------


@dataclass(frozen=True)
class BoardFilters:
    """The board's GET parameters; a value that is not understood is dropped (shown as «all»),
    so no filter can fail the page."""

    kind: str = ""
    status: str = ""
    initiative: str = ""
    tag: str = ""
    q: str = ""
    mine: bool = False

    @classmethod
    def from_query(cls, query, *, initiatives=(), signed_in: bool = False) -> BoardFilters:
        """``initiatives``: the (slug, label) options; a slug not among them is dropped.
        An unknown tag slug is dropped too (one query)."""

        def text(name: str, limit: int = 100) -> str:
            value = query.get(name, "")
            # Control characters dropped: PostgreSQL refuses a NUL in the tag's query.
            return clean_line(value)[:limit] if isinstance(value, str) else ""

        kind = text("kind")
        status = text("status")
        initiative = text("initiative", 255)
        tag = text("tag", 100)
        if tag and not Tag.objects.filter(slug=tag, ideas__isnull=False).exists():
            tag = ""
        return cls(
            kind=kind if kind in Idea.Kind.values else "",
            status=status if status in Idea.Status.values else "",
            initiative=initiative if initiative in {slug for slug, _ in initiatives} else "",
            tag=tag,
            q=search_words(text("q", SEARCH_MAX_LENGTH)),
            mine=signed_in and query.get("mine") == "1",
        )

    @property
    def active(self) -> bool:
        return bool(self.kind or self.status or self.initiative or self.tag or self.q)


def search_words(text: str) -> str:
    """The words of a search, without the punctuation a full-text engine reads as syntax
    (quotes, brackets, operators): «"биотех"* -лаб» is searched as «биотех лаб»."""
    return " ".join(_NOT_A_WORD.sub(" ", text).split())[:SEARCH_MAX_LENGTH]


def initiative_options() -> list[tuple[str, str]]:
    """(slug, short name) of the live initiatives that take part in the exchange."""
    from initiatives.models import InitiativePage

    return [
        (slug, short_name or title)
        for slug, short_name, title in originals(InitiativePage.objects.live())
        .public()
        .filter(ideas_enabled=True)
        .order_by("title")
        .values_list("slug", "short_name", "title")
    ]


def tag_options(*, user, selected: str = "") -> list[tuple[str, str]]:
    """(slug, name) of the tags most used by the ideas ``user`` sees (and the selected one).
    Cached per audience (permissions.visibility_scope) until an idea changes: the count over
    10,000 ideas' tags costs ~15 ms per request."""
    scope = permissions.visibility_scope(user)

    def most_used(scopes):
        visible = permissions.visible_ideas(user).values("pk")
        return {
            scopes[0]: list(
                Tag.objects.filter(ideas__in=visible)
                .annotate(uses=Count("ideas"))
                .order_by("-uses", "name")
                .values_list("slug", "name")[:TAG_OPTIONS]
            )
        }

    tags = list(tagged_values(("ideas", TAG_ALL), "ideas-tag-options", [scope], most_used)[scope])
    if selected and selected not in {slug for slug, _ in tags}:
        tags += list(Tag.objects.filter(slug=selected).values_list("slug", "name")[:1])
    return sorted(tags, key=lambda pair: pair[1].lower())


# --- cards ---------------------------------------------------------------------------------


def with_card_data(qs: QuerySet) -> QuerySet:
    """What a card shows, in a constant number of queries: the initiative and author joined,
    the tags prefetched, the visible comments and the accepted partners counted."""
    comments = (
        IdeaComment.objects.filter(idea=OuterRef("pk"), hidden=False)
        .order_by()
        .values("idea")
        .annotate(n=Count("pk"))
        .values("n")
    )
    partners = (
        Partnership.objects.filter(idea=OuterRef("pk"), status=Partnership.Status.ACCEPTED)
        .order_by()
        .values("idea")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        qs.select_related("initiative", "author")
        .prefetch_related("tags")
        .annotate(
            comment_count=Coalesce(Subquery(comments, output_field=IntegerField()), Value(0)),
            partner_count=Coalesce(Subquery(partners, output_field=IntegerField()), Value(0)),
        )
    )


def _filtered(qs: QuerySet, filters: BoardFilters) -> QuerySet:
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.initiative:
        qs = qs.filter(initiative__slug=filters.initiative)
    if filters.tag:
        tagged = TaggedIdea.objects.filter(tag__slug=filters.tag).values("content_object_id")
        qs = qs.filter(pk__in=tagged)
    return qs


def search_ids(*, user, query: str, base: QuerySet | None = None) -> list[int]:
    """The ids of the ideas ``user`` sees that match ``query`` (Wagtail search), best first."""
    qs = permissions.visible_ideas(user) if base is None else base
    results = get_search_backend().search(query, qs, operator="and")
    return [idea.pk for idea in results[:SEARCH_MAX_RESULTS]]


def board_ideas(*, user, filters: BoardFilters | None = None) -> QuerySet:
    """The board: the approved ideas ``user`` may see (or, with ``?mine=1``, all of their own
    in every moderation state), filtered, newest first, each with its card data."""
    filters = filters or BoardFilters()
    if filters.mine and permissions.signed_in(user):
        qs = Idea.objects.filter(author=user).order_by("-created_at", "-pk")
        base = Idea.objects.filter(author=user)
    else:
        qs = permissions.visible_ideas(user)
        base = None
    qs = _filtered(qs, filters)
    if filters.q:
        # The search runs on the same rule; its matches are then filtered, counted and
        # paged like the rest (the database backend cannot filter on tags or annotate).
        qs = qs.filter(pk__in=search_ids(user=user, query=filters.q, base=base))
    return with_card_data(qs)


def latest_public_ideas(*, limit: int) -> list[Idea]:
    """The newest approved public ideas (the home page's section, the RSS feed)."""
    return list(with_card_data(permissions.visible_ideas(None))[:limit])


def initiative_open_ideas(*, initiative, user, limit: int = 5) -> list[Idea]:
    """``initiative``'s ideas that are not closed and that ``user`` may see, newest first."""
    qs = permissions.visible_ideas(user).filter(initiative=initiative)
    qs = qs.exclude(status=Idea.Status.CLOSED)
    return list(with_card_data(qs)[:limit])


# --- one idea ------------------------------------------------------------------------------


def idea_get(idea_id) -> Idea | None:
    """One idea with what its page shows joined (the permission check is the caller's)."""
    return (
        Idea.objects.select_related("initiative", "author")
        .prefetch_related("tags")
        .filter(pk=idea_id)
        .first()
    )


def idea_comments(*, idea: Idea, include_hidden: bool = False) -> list[IdeaComment]:
    """Top-level comments oldest first, each with ``replies_list`` (hidden ones only for
    moderators)."""
    qs = IdeaComment.objects.filter(idea=idea).select_related("author")
    if not include_hidden:
        qs = qs.filter(hidden=False)
    replies = qs.exclude(parent=None).order_by("created_at", "pk")
    return list(
        qs.filter(parent=None)
        .order_by("created_at", "pk")
        .prefetch_related(Prefetch("replies", queryset=replies, to_attr="replies_list"))
    )


def idea_partnerships(*, idea: Idea, include_pending: bool) -> list[Partnership]:
    statuses = [Partnership.Status.ACCEPTED]
    if include_pending:
        statuses.append(Partnership.Status.PENDING)
    return list(
        idea.partnerships.filter(status__in=statuses)
        .select_related("user")
        .order_by("status", "created_at", "pk")
    )


def my_partnership(*, idea: Idea, user) -> Partnership | None:
    if not permissions.signed_in(user):
        return None
    return (
        idea.partnerships.filter(
            user=user, status__in=[Partnership.Status.PENDING, Partnership.Status.ACCEPTED]
        )
        .order_by("-created_at")
        .first()
    )
