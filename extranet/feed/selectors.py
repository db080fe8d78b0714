"""Reads of the feed, each in a fixed number of queries however long the feed is.

The feed is paged by a keyset cursor on its order (pinned, created, id), never by offset
(``core.paging``): the second page costs the same as the first, and a post written
meanwhile does not shift what «Показать ещё» loads. ``InvalidCursor`` and ``Page`` are
core's, named here for the views.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch

from core.pagecache import TAG_ALL, tagged_values
from core.paging import (
    InvalidCursor,  # noqa: F401 (the feed's views catch it as selectors.InvalidCursor)
    Page,
    cursor_bool,
    cursor_decode,
    cursor_encode,
    cursor_int,
    cursor_time,
    keyset_after,
    keyset_page,
)

from .models import Attachment, Comment, Post

PAGE_SIZE = 20
DOCUMENTS_PAGE_SIZE = 50
# Comments shown under each post in the feed; the post's own page shows them all.
RECENT_COMMENTS = 3


def post_cursor(post: Post) -> str:
    return cursor_encode(int(post.pinned), post.created_at.isoformat(), post.pk)


def _after_post(cursor: str):
    pinned, created, pk = cursor_decode(cursor, 3)
    return keyset_after(
        ("pinned", cursor_bool(pinned)),
        ("created_at", cursor_time(created)),
        ("id", cursor_int(pk)),
    )


def _with_everything(posts, *, newest_comments: int | None):
    """Author with profile, files and comments with their authors (the newest
    ``newest_comments`` of each post as ``recent_desc``, or all of them oldest first as
    ``all_comments`` when None): three queries for the whole page. The comment counts come
    from :func:`_count_comments`."""
    comments = Comment.objects.select_related("author", "author__profile")
    if newest_comments is None:
        wanted = Prefetch(
            "comments", queryset=comments.order_by("created_at", "id"), to_attr="all_comments"
        )
    else:
        wanted = Prefetch(
            "comments",
            queryset=comments.order_by("-created_at", "-id")[:newest_comments],
            to_attr="recent_desc",
        )
    # Not the initiative: the caller has it, and joining it would build a full page object
    # (Page's many fields, two tables) for every post; :func:`_own` sets it instead.
    files = Prefetch("attachments", queryset=Attachment.objects.order_by("id"))
    return posts.select_related("author", "author__profile", "event").prefetch_related(
        files, wanted
    )


def _own(posts, initiative) -> None:
    """Each post's initiative is the one asked for (the permission checks read it)."""
    for post in posts:
        post.initiative = initiative


def _count_comments(posts: list) -> None:
    """Set ``comment_count`` on each post with one query over these posts only (an annotated
    COUNT on the feed's query would group the whole feed before the LIMIT)."""
    counts = dict(
        Comment.objects.filter(post_id__in=[p.pk for p in posts])
        .values_list("post_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for post in posts:
        post.comment_count = counts.get(post.pk, 0)


def feed_page(
    *, initiative, kind: str | None = None, cursor: str | None = None, size: int = PAGE_SIZE
) -> Page:
    """One page of ``initiative``'s feed (pinned first, newest first), optionally of one
    kind, after ``cursor``. Raises InvalidCursor for a cursor this code did not make."""
    posts = Post.objects.filter(initiative=initiative)
    if kind:
        posts = posts.filter(kind=kind)
    if cursor:
        posts = posts.filter(_after_post(cursor))
    ordered = posts.order_by("-pinned", "-created_at", "-id")
    page = keyset_page(
        _with_everything(ordered, newest_comments=RECENT_COMMENTS), size=size, cursor_of=post_cursor
    )
    _own(page.items, initiative)
    _count_comments(page.items)
    for post in page.items:
        # Newest last under the post (flat), as people read a conversation.
        post.recent_comments = list(reversed(post.recent_desc))
    return page


def post_detail(*, initiative, post_id: int) -> Post | None:
    """One post of ``initiative`` with all its comments (newest last), or None."""
    post = _with_everything(
        Post.objects.filter(initiative=initiative, pk=post_id), newest_comments=None
    ).first()
    if post is not None:
        _own([post], initiative)
        post.recent_comments = post.all_comments
        post.comment_count = len(post.all_comments)
    return post


def attachment_cursor(attachment: Attachment) -> str:
    return cursor_encode(attachment.created_at.isoformat(), attachment.pk)


def documents_page(*, initiative, cursor: str | None = None, size: int = DOCUMENTS_PAGE_SIZE):
    """«Документы»: every file posted in ``initiative``'s feed, newest first, with its post
    and the post's author; keyset-paged like the feed."""
    files = Attachment.objects.filter(post__initiative=initiative)
    if cursor:
        created, pk = cursor_decode(cursor, 2)
        files = files.filter(
            keyset_after(("created_at", cursor_time(created)), ("id", cursor_int(pk)))
        )
    ordered = files.select_related("post", "post__author").order_by("-created_at", "-id")
    return keyset_page(ordered, size=size, cursor_of=attachment_cursor)


def attachment_get(*, attachment_id: int) -> Attachment | None:
    """An attachment with its post and initiative, for the permission check and download."""
    return (
        Attachment.objects.select_related("post", "post__initiative")
        .filter(pk=attachment_id)
        .first()
    )


def kind_counts_tag(initiative_id: int) -> str:
    """The tag that :func:`kind_counts` is cached under; purged on a post's save or deletion
    (``FeedConfig.ready``)."""
    return f"feed-kinds:{initiative_id}"


def _kind_counts(initiative_ids: list[int]) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = {pk: {} for pk in initiative_ids}
    rows = (
        Post.objects.filter(initiative_id__in=initiative_ids)
        .values_list("initiative_id", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    for initiative_id, kind, n in rows:
        counts[initiative_id][kind] = n
    return counts


def kind_counts(*, initiative) -> dict[str, int]:
    """How many posts of each kind the feed has (for the filter): cached until a post is
    written, changed or deleted, else one query (a GROUP BY over 10,000 posts costs ~10 ms)."""
    pk = initiative.pk
    # TAG_ALL too: seed_demo's bulk inserts send no signals and purge it when done.
    tags = (kind_counts_tag(pk), TAG_ALL)
    return tagged_values(tags, "feed-kind-counts", [pk], _kind_counts)[pk]
