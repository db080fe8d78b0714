"""The feed's part of a person's data export: their posts, comments and attachments
(extranet.members.exports; registered in wagtail_hooks.py). Three queries however much the
person wrote, and nothing anybody else wrote."""

from __future__ import annotations

from typing import Any

from extranet.members.exports import absolute_url

from .models import Attachment, Comment, Post


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def _post_url(post: Post) -> str:
    return absolute_url("groups:post_detail", slug=post.initiative.slug, post_id=post.pk)


def account_export(*, user) -> dict[str, Any]:
    posts = (
        Post.objects.filter(author=user)
        .select_related("initiative", "event", "idea")
        .order_by("created_at", "id")
    )
    comments = (
        Comment.objects.filter(author=user)
        .select_related("post__initiative")
        .order_by("created_at", "id")
    )
    attachments = (
        Attachment.objects.filter(post__author=user)
        .select_related("post__initiative")
        .order_by("created_at", "id")
    )
    return {
        "posts": [
            {
                "id": post.pk,
                "group": post.initiative.slug,
                "group_title": post.initiative.title,
                "kind": post.kind,
                # The announced event's title, as the post showed it.
                "event": post.event.title if post.event_id else None,
                # The linked idea's title (the person's own post: they linked it).
                "idea": post.idea.title if post.idea_id else None,
                "text": post.text,
                "pinned": post.pinned,
                "created": _iso(post.created_at),
                "edited": _iso(post.edited_at),
                "url": _post_url(post),
            }
            for post in posts
        ],
        "comments": [
            {
                "id": comment.pk,
                "post": comment.post_id,
                "post_url": _post_url(comment.post),
                "text": comment.text,
                "created": _iso(comment.created_at),
                "edited": _iso(comment.edited_at),
            }
            for comment in comments
        ],
        "attachments": [
            {
                "id": attachment.pk,
                "post": attachment.post_id,
                "name": attachment.name,
                "size": attachment.size,
                "content_type": attachment.content_type,
                "uploaded": _iso(attachment.created_at),
                "url": absolute_url("attachment_download", attachment_id=attachment.pk),
            }
            for attachment in attachments
        ],
    }
