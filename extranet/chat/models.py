"""Conversations between two people, their messages and files, blocks, messages to everyone.

A conversation has exactly two participants (``user_a`` has the smaller id, so each pair has
one conversation). Every message has a global, increasing id: a socket that reconnects sends
the last id it saw and gets everything after it (``selectors.messages_after``). To make that
exact, a message is inserted while its sender's and recipient's :class:`Inbox` rows are
locked (``services.message_send``), so the messages a person takes part in commit in id order.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.uploads import StoredFileMixin, private_storage

# A message's text, in characters (after cleaning); the socket's frame limit follows from it.
MESSAGE_MAX_LENGTH = 4000


class Conversation(models.Model):
    # SET_NULL: a deleted account leaves the other person their history («Удалённый
    # пользователь»); its Participant row goes with the account.
    user_a = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("participant"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user_b = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("participant"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    last_message = models.ForeignKey(
        "Message",
        verbose_name=_("last message"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The list is ordered by this (NULL: nothing written yet, shown last).
    last_message_at = models.DateTimeField(_("last message at"), null=True, blank=True)
    # Begun by «Откликнуться» on an idea of the ideas exchange: the two may write to each
    # other whatever their initiatives (either can block the other).
    opened_via_idea = models.BooleanField(_("started from an idea"), default=False)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            models.UniqueConstraint(fields=["user_a", "user_b"], name="chat_conversation_pair"),
            models.CheckConstraint(
                condition=Q(user_a__lt=F("user_b")), name="chat_conversation_ordered_pair"
            ),
        ]

    def __str__(self):
        return f"#{self.pk}"

    def other_id(self, user_id: int) -> int | None:
        """The other participant's id (None when that account was deleted)."""
        return self.user_b_id if self.user_a_id == user_id else self.user_a_id


class Participant(models.Model):
    """One person's side of a conversation: what they have read, how much is unread."""

    conversation = models.ForeignKey(
        Conversation,
        verbose_name=_("conversation"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="chat_participations",
    )
    # Messages with a larger id written by the other person are unread.
    last_read_id = models.BigIntegerField(_("last read message"), default=0)
    unread = models.PositiveIntegerField(_("unread"), default=0)
    # The missed-message e-mail has covered the messages up to this id.
    notified_through_id = models.BigIntegerField(_("notified up to"), default=0)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="chat_participant_once"),
        ]
        indexes = [models.Index(fields=["user", "unread"], name="chat_participant_unread")]

    def __str__(self):
        return f"{self.user_id} in {self.conversation_id}"


class Inbox(models.Model):
    """Per person: the total unread count for the header, and the row a send locks so that
    a person's messages commit in id order."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="chat_inbox",
    )
    unread_total = models.PositiveIntegerField(_("unread messages"), default=0)
    # The newest message of the person's stream (every message they sent or got, but their own
    # messages to everyone). Each live message carries the previous one's id per person
    # (``prev``), so a tab knows when it missed one and asks for it: the chain, not the
    # highest id seen, is what a reconnect resumes from.
    last_message_id = models.BigIntegerField(_("last message"), default=0)

    class Meta:
        verbose_name = _("inbox")
        verbose_name_plural = _("inboxes")

    def __str__(self):
        return str(self.user_id)


class Broadcast(models.Model):
    """A message from the portal admin to everyone, an initiative's members or its admins;
    each recipient gets it in their own conversation with the sender."""

    class Audience(models.TextChoices):
        ALL = "all", _("All users")
        MEMBERS = "members", _("Members of an initiative")
        ADMINS = "admins", _("Administrators of an initiative")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        DONE = "done", _("Delivered")
        FAILED = "failed", _("Failed")

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sender"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    audience = models.CharField(_("recipients"), max_length=16, choices=Audience.choices)
    initiative = models.ForeignKey(
        "initiatives.InitiativePage",
        verbose_name=_("initiative"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    recipients_count = models.PositiveIntegerField(_("received by"), default=0)
    # Why a delivery failed (the exception's type and text), shown on its page.
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("message to everyone")
        verbose_name_plural = _("messages to everyone")

    def __str__(self):
        return f"{self.get_audience_display()} ({self.created_at:%Y-%m-%d})"


class Message(models.Model):
    id = models.BigAutoField(primary_key=True)
    conversation = models.ForeignKey(
        Conversation,
        verbose_name=_("conversation"),
        on_delete=models.CASCADE,
        related_name="messages",
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sender"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(_("text"), blank=True)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    broadcast = models.ForeignKey(
        Broadcast,
        verbose_name=_("message to everyone"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [
            models.Index(fields=["conversation", "id"], name="chat_message_history"),
            models.Index(fields=["sender", "id"], name="chat_message_sender"),
            # The indicators' «did something in the period»: one probe per member.
            models.Index(fields=["sender", "created_at"], name="chat_message_sender_time"),
        ]

    def __str__(self):
        return f"#{self.pk}"


def attachment_path(instance, filename):
    # ``filename`` is already uploads.storage_name(): a random folder and a safe ASCII name.
    return f"chat/{instance.conversation_id}/{filename}"


class MessageAttachment(StoredFileMixin, models.Model):
    message = models.ForeignKey(
        Message,
        verbose_name=_("message"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    # Denormalised from the message: «Общие файлы» lists a conversation's files by it.
    conversation = models.ForeignKey(
        Conversation,
        verbose_name=_("conversation"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=attachment_path, max_length=255
    )
    name = models.CharField(_("name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["message", "id"]
        verbose_name = _("file in a conversation")
        verbose_name_plural = _("files in conversations")
        indexes = [models.Index(fields=["conversation", "-id"], name="chat_attachment_files")]

    def __str__(self):
        return self.name


class Block(models.Model):
    """``blocker`` blocked ``blocked``: neither may write to the other until it is lifted."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("blocked by"),
        on_delete=models.CASCADE,
        related_name="chat_blocks",
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("blocked person"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("blocked at"), default=timezone.now)

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="chat_block_once"),
        ]

    def __str__(self):
        return f"{self.blocker_id} → {self.blocked_id}"
