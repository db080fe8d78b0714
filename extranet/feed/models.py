"""The common group's feed: posts with attachments and flat comments (DESIGN.md, data model).

Authors are kept as ``SET_NULL``: when someone deletes their account, what they wrote stays
and is shown as written by «Удалённый пользователь».
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.uploads import StoredFileMixin, private_storage

POST_MAX_LENGTH = 10_000
COMMENT_MAX_LENGTH = 4_000


class Post(models.Model):
    class Kind(models.TextChoices):
        ANNOUNCEMENT = "announcement", _("Announcement")
        EVENT_REPORT = "event_report", _("Event report")
        NEWS = "news", _("News")
        PROPOSAL = "proposal", _("Proposal")
        DOCUMENT = "document", _("Document")

    # PROTECT: an initiative with a feed is never deleted by a cascade.
    initiative = models.ForeignKey(
        "initiatives.InitiativePage",
        verbose_name=_("initiative"),
        on_delete=models.PROTECT,
        related_name="posts",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="posts",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NEWS)
    text = models.TextField(_("text"), max_length=POST_MAX_LENGTH, blank=True)
    pinned = models.BooleanField(_("pinned"), default=False)
    pinned_at = models.DateTimeField(_("pinned at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    # An «анонс мероприятия» may link an event page. The feed never imports ``events``: the
    # link is a plain Wagtail page, offered by the events app through the
    # ``feed_event_choices`` hook (extensions.py); a deleted event leaves the post unlinked.
    event = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A «предложение» may link an idea of the ideas exchange, offered through the
    # ``feed_idea_choices`` hook; the feed shows it only to readers the exchange lets see it
    # (``ideas_exchange.permissions`` through the same hook module).
    idea = models.ForeignKey(
        "ideas_exchange.Idea",
        verbose_name=_("idea"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        # The feed's order, and its keyset cursor: pinned first, then newest first.
        ordering = ["-pinned", "-created_at", "-id"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        indexes = [
            models.Index(
                fields=["initiative", "-pinned", "-created_at", "-id"], name="feed_post_order"
            ),
            models.Index(
                fields=["initiative", "kind", "-pinned", "-created_at", "-id"],
                name="feed_post_kind_order",
            ),
            # The indicators' «did something in the period»: one probe per member.
            models.Index(fields=["author", "created_at"], name="feed_post_author_time"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"


def attachment_path(instance, filename):
    # ``filename`` is already uploads.storage_name(): a random folder and a safe ASCII name.
    return f"feed/{instance.post.initiative_id}/{filename}"


class Attachment(StoredFileMixin, models.Model):
    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=attachment_path, max_length=255
    )
    # The name as uploaded (made safe by uploads.display_name), shown and used on download.
    name = models.CharField(_("name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["post", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name


class Comment(models.Model):
    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="feed_comments",
    )
    text = models.TextField(_("text"), max_length=COMMENT_MAX_LENGTH)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            models.Index(fields=["post", "created_at", "id"], name="feed_comment_order"),
            # The indicators' «did something in the period»: one probe per member.
            models.Index(fields=["author", "created_at"], name="feed_comment_author_time"),
        ]

    def __str__(self):
        return f"#{self.pk} → {self.post_id}"
