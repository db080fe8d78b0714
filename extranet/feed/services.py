"""Changes to the feed, with their side effects (files, events). Views call these.

Each function checks its rule again (permissions), validates the text, and either does all
of its work or none: files stored for a post that then fails to save are removed again, and
files of deleted posts are removed only after the deletion is committed.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.text import clean_text
from core.uploads import CheckedUpload, atomic_with_files

from . import events, permissions
from .models import COMMENT_MAX_LENGTH, POST_MAX_LENGTH, Attachment, Comment, Post


class FeedError(ValidationError):
    """A feed change that cannot be made; ``code`` names the reason, the message is for
    people."""


def _check_text(text: str, *, limit: int, required: bool) -> str:
    text = clean_text(text)
    if required and not text:
        raise FeedError(_("Write something first: the message is empty."), code="empty")
    if len(text) > limit:
        raise FeedError(
            _("The text is too long: %(length)s characters, at most %(limit)s."),
            code="too_long",
            params={"length": len(text), "limit": limit},
        )
    return text


def _check_kind(kind: str) -> str:
    if kind not in Post.Kind.values:
        raise FeedError(_("Unknown kind of post."), code="kind")
    return kind


def _store(post: Post, uploads: Sequence[CheckedUpload], stored: list) -> None:
    for upload in uploads:
        attachment = Attachment(
            post=post, name=upload.name, content_type=upload.content_type, size=upload.size
        )
        attachment.file.save(upload.storage_name, upload.file, save=False)
        stored.append((attachment.file.storage, attachment.file.name))
        attachment.save()


def _remove_files_on_commit(files: list) -> None:
    def remove():
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(remove)


def post_create(
    *,
    initiative,
    author,
    kind: str,
    text: str,
    uploads: Sequence[CheckedUpload] = (),
    event_id: int | None = None,
    idea_id: int | None = None,
) -> Post:
    """``author`` posts in ``initiative``'s feed; text or at least one file is required.

    ``event_id`` (an announcement's event page) must come from the form's choices, which
    the events app offers, and ``idea_id`` (a proposal's idea) from those the ideas exchange
    offers; other kinds link nothing."""
    if not permissions.can_post(author, initiative):
        raise PermissionDenied
    text = _check_text(text, limit=POST_MAX_LENGTH, required=not uploads)
    kind = _check_kind(kind)
    if len(uploads) > settings.FEED_MAX_ATTACHMENTS:
        raise FeedError(
            _("Too many files: at most %(limit)s per post."),
            code="too_many_files",
            params={"limit": settings.FEED_MAX_ATTACHMENTS},
        )

    def work(stored):
        post = Post.objects.create(
            initiative=initiative,
            author=author,
            kind=kind,
            text=text,
            event_id=event_id if kind == Post.Kind.ANNOUNCEMENT else None,
            idea_id=idea_id if kind == Post.Kind.PROPOSAL else None,
        )
        _store(post, uploads, stored)
        return post

    post = atomic_with_files(work, error=FeedError)
    transaction.on_commit(lambda: events.post_created.send(sender=Post, post=post, actor=author))
    return post


def post_update(
    *,
    post: Post,
    by,
    kind: str,
    text: str,
    uploads: Sequence[CheckedUpload] = (),
    remove_attachment_ids: Sequence[int] = (),
    event_id: int | None = None,
    idea_id: int | None = None,
) -> Post:
    """The author changes their post: text, kind, linked event or idea, files added or
    removed."""
    if not permissions.can_edit_post(by, post):
        raise PermissionDenied
    kind = _check_kind(kind)

    def work(stored):
        locked = Post.objects.select_for_update().get(pk=post.pk)
        removed = list(locked.attachments.filter(pk__in=list(remove_attachment_ids)))
        remaining = locked.attachments.count() - len(removed)
        if remaining + len(uploads) > settings.FEED_MAX_ATTACHMENTS:
            raise FeedError(
                _("Too many files: at most %(limit)s per post."),
                code="too_many_files",
                params={"limit": settings.FEED_MAX_ATTACHMENTS},
            )
        locked.text = _check_text(
            text, limit=POST_MAX_LENGTH, required=remaining + len(uploads) == 0
        )
        locked.kind = kind
        locked.event_id = event_id if kind == Post.Kind.ANNOUNCEMENT else None
        locked.idea_id = idea_id if kind == Post.Kind.PROPOSAL else None
        locked.edited_at = timezone.now()
        locked.save(update_fields=["text", "kind", "event", "idea", "edited_at"])
        _remove_files_on_commit([(a.file.storage, a.file.name) for a in removed])
        Attachment.objects.filter(pk__in=[a.pk for a in removed]).delete()
        _store(locked, uploads, stored)
        return locked

    return atomic_with_files(work, error=FeedError)


@transaction.atomic
def post_delete(*, post: Post, by) -> None:
    """The author, an initiative admin or the portal admin deletes a post with its comments
    and files."""
    if not permissions.can_delete_post(by, post):
        raise PermissionDenied
    _remove_files_on_commit([(a.file.storage, a.file.name) for a in post.attachments.all()])
    post.delete()


@transaction.atomic
def post_pin(*, post: Post, by, pinned: bool = True) -> Post:
    """Pin (or unpin) a post at the top of the feed; moderators only."""
    if not permissions.can_pin_post(by, post):
        raise PermissionDenied
    locked = Post.objects.select_for_update().get(pk=post.pk)
    if locked.pinned != pinned:
        locked.pinned = pinned
        locked.pinned_at = timezone.now() if pinned else None
        locked.save(update_fields=["pinned", "pinned_at"])
        if pinned:
            transaction.on_commit(
                lambda: events.post_pinned.send(sender=Post, post=locked, actor=by)
            )
    return locked


@transaction.atomic
def comment_create(*, post: Post, author, text: str) -> Comment:
    if not permissions.can_comment(author, post):
        raise PermissionDenied
    text = _check_text(text, limit=COMMENT_MAX_LENGTH, required=True)
    comment = Comment.objects.create(post=post, author=author, text=text)
    transaction.on_commit(
        lambda: events.comment_created.send(
            sender=Comment, comment=comment, post=post, actor=author
        )
    )
    return comment


@transaction.atomic
def comment_update(*, comment: Comment, by, text: str) -> Comment:
    if not permissions.can_edit_comment(by, comment):
        raise PermissionDenied
    comment.text = _check_text(text, limit=COMMENT_MAX_LENGTH, required=True)
    comment.edited_at = timezone.now()
    comment.save(update_fields=["text", "edited_at"])
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, by) -> None:
    if not permissions.can_delete_comment(by, comment):
        raise PermissionDenied
    comment.delete()
