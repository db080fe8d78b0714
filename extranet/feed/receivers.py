"""Feed events turned into notices (``extranet.notices.services.notify``).

Connected by ``FeedConfig.ready``. A new post and a pin go to the group's members; a comment
to the post's author and to those who commented before, if they still read the group. The
actor is never told. E-mails quote the text only when the initiative allows excerpts.
"""

from __future__ import annotations

from django.conf import settings
from django.dispatch import receiver
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from extranet.members.selectors import group_member_ids, group_reader_ids
from extranet.notices.kinds import Category, NoticeKind, register_kind
from extranet.notices.services import notify
from initiatives.features import Service, service_enabled

from . import events
from .models import Comment, Post

EXCERPT_LENGTH = 200

POST_NEW = register_kind(
    NoticeKind(
        key="feed.post_new",
        category=Category.GROUP,
        text=_("%(actor)s posted in the group «%(initiative)s»"),
    )
)
COMMENT_ON_MY_POST = register_kind(
    NoticeKind(
        key="feed.comment_on_my_post",
        category=Category.GROUP,
        text=_("%(actor)s commented on your post in «%(initiative)s»"),
    )
)
COMMENT_IN_THREAD = register_kind(
    NoticeKind(
        key="feed.comment_in_thread",
        category=Category.GROUP,
        text=_("%(actor)s also commented on a post in «%(initiative)s»"),
    )
)
POST_PINNED = register_kind(
    NoticeKind(
        key="feed.post_pinned",
        category=Category.GROUP,
        text=_("%(actor)s pinned a post in the group «%(initiative)s»"),
    )
)


def _post_path(post: Post) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(
            "groups:post_detail", kwargs={"slug": post.initiative.slug, "post_id": post.pk}
        )


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_LENGTH else text[: EXCERPT_LENGTH - 1] + "…"


def _feed_on(post: Post) -> bool:
    return service_enabled(post.initiative, Service.FEED)


def _tell_members(kind: NoticeKind, post: Post, actor) -> None:
    """A post's news for the whole group: its approved members (the actor excepted)."""
    if not _feed_on(post):
        return
    notify(
        kind=kind.key,
        recipients=group_member_ids(initiative=post.initiative),
        actor=actor,
        target=post,
        initiative=post.initiative,
        url=_post_path(post),
        excerpt=_excerpt(post.text),
        email_excerpt=post.initiative.email_excerpts,
    )


@receiver(events.post_created, dispatch_uid="feed.notify_post_created")
def post_created(sender, post: Post, actor=None, **kwargs):
    _tell_members(POST_NEW, post, actor)


@receiver(events.comment_created, dispatch_uid="feed.notify_comment_created")
def comment_created(sender, comment: Comment, post: Post, actor=None, **kwargs):
    if not _feed_on(post):
        return
    initiative = post.initiative
    common = {
        "actor": actor,
        "target": post,
        "initiative": initiative,
        "url": _post_path(post) + f"#comment-{comment.pk}",
        "excerpt": _excerpt(comment.text),
        "email_excerpt": initiative.email_excerpts,
    }
    author_id = post.author_id
    earlier = set(
        Comment.objects.filter(post=post)
        .exclude(pk=comment.pk)
        .exclude(author__isnull=True)
        .values_list("author_id", flat=True)
    )
    earlier.discard(author_id)
    readers = set(group_reader_ids(initiative=initiative, among={author_id, *earlier} - {None}))
    if author_id in readers:
        notify(kind=COMMENT_ON_MY_POST.key, recipients=[author_id], **common)
    if earlier & readers:
        notify(kind=COMMENT_IN_THREAD.key, recipients=sorted(earlier & readers), **common)


@receiver(events.post_pinned, dispatch_uid="feed.notify_post_pinned")
def post_pinned(sender, post: Post, actor=None, **kwargs):
    _tell_members(POST_PINNED, post, actor)
