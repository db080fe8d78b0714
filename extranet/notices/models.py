"""The notices' own tables. The notifications themselves are django-notifications'
``Notification`` rows (recipient, actor, target, unread, ``data`` with the kind, its params
and the link); these tables hold what that app has no place for."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .kinds import DEFAULT_MODES, Category, Mode


def _mode_field(category: Category):
    return models.CharField(
        category.label, max_length=10, choices=Mode.choices, default=DEFAULT_MODES[category]
    )


class EmailSettings(models.Model):
    """A person's e-mail preferences: one mode per category and the language of their mail.

    No row means the defaults. The master switch («Отписаться») is the profile's
    ``newsletter``: off, only service e-mails are sent.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="email_settings",
    )
    language = models.CharField(
        _("language of e-mails"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    membership = _mode_field(Category.MEMBERSHIP)
    group = _mode_field(Category.GROUP)
    messages = _mode_field(Category.MESSAGES)
    events = _mode_field(Category.EVENTS)
    ideas = _mode_field(Category.IDEAS)
    publishing = _mode_field(Category.PUBLISHING)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("e-mail preferences")
        verbose_name_plural = _("e-mail preferences")

    def __str__(self):
        return str(self.user)

    def mode(self, category: str) -> str:
        return getattr(self, category)


class NoticeEvent(models.Model):
    """One delivered event: a retried delivery task finds it and does nothing twice."""

    id = models.CharField(primary_key=True, max_length=32)
    kind = models.CharField(_("kind"), max_length=100)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("delivered event")
        verbose_name_plural = _("delivered events")


class DigestItem(models.Model):
    """A notice waiting for its recipient's daily digest (``manage.py send_digests``)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    notification = models.OneToOneField(
        "notifications.Notification", on_delete=models.CASCADE, related_name="+"
    )
    category = models.CharField(max_length=20, choices=Category.choices)
    # The initiative's id and title as they were, to group the digest per initiative.
    initiative_id = models.IntegerField(null=True, blank=True)
    initiative_title = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["recipient", "id"], name="notices_digest_recipient")]
        verbose_name = _("digest item")
        verbose_name_plural = _("digest items")
