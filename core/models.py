"""The outbox: every e-mail the platform sends, with its outcome.

A row is written when a message is queued (``core.email``) and updated by the sending task,
so a send that failed is visible to the portal admin and can be resent, and a task that runs
twice for one message sends it once (the ``key`` and the status claim in ``email_deliver``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutgoingEmail(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    # What the message is about ("notice:<event>:<user>", "digest:<user>:<date>"): a second
    # message with the same key is not queued. Messages without a key are never deduplicated.
    key = models.CharField(_("key"), max_length=200, unique=True, null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=100, blank=True, db_index=True)
    to = models.JSONField(_("to"), default=list)
    from_email = models.CharField(_("from"), max_length=300)
    subject = models.CharField(_("subject"), max_length=998)
    body = models.TextField(_("text part"))
    html = models.TextField(_("HTML part"), blank=True)
    headers = models.JSONField(_("extra headers"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    claimed_at = models.DateTimeField(_("sending since"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="core_email_due")]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)}"
