"""Writes of the notices: ``notify`` (the one entry point of every source app), delivery,
mark-read, and the e-mail preferences.

Nothing here runs on the request path but ``notify`` itself, which only enqueues: the
fan-out (one notification per recipient, their e-mails or digest items, the live push to
their bells) runs in the task ``notice_deliver`` after the source's transaction commits.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import Iterable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.urls import reverse, translate_url
from django.utils import timezone, translation
from notifications.models import Notification

from core.email import email_build, email_enqueue
from core.models import OutgoingEmail

from .kinds import Category, Mode, NoticeKind, get_kind, kind_text
from .models import DigestItem, EmailSettings, NoticeEvent
from .selectors import email_modes, unread_count_forget
from .tokens import DIGEST, unsubscribe_token

logger = logging.getLogger(__name__)

EMAIL_TEMPLATE = "notices/emails/notice"


def user_group(user_id: int) -> str:
    """The channel-layer group a user's open bells listen on."""
    return f"notices.user.{user_id}"


def _ids(people: Iterable) -> list[int]:
    ids = set()
    for person in people:
        ids.add(person if isinstance(person, int) else person.pk)
    return sorted(ids)


def notify(
    *,
    kind: str,
    recipients: Iterable,
    target: models.Model,
    url: str,
    actor=None,
    initiative=None,
    params: dict | None = None,
    excerpt: str = "",
    email_excerpt: bool = False,
) -> str | None:
    """Tell ``recipients`` (users or ids) about an event of ``kind``; returns the event's id.

    ``url`` is the object's address without a language prefix (``reverse`` in the default
    language); ``params`` fill the kind's text («%(actor)s», «%(initiative)s» are added from
    ``actor`` and ``initiative``). ``excerpt`` is shown in the bell's list; the e-mail
    carries it only when ``email_excerpt`` (a group's private text goes out by mail only when
    its initiative switched excerpts on). The actor is never told of their own action, and
    inactive accounts are skipped. The caller decides who may see the object: pass only them.
    """
    notice_kind = get_kind(kind)
    if notice_kind is None:
        raise ValueError(f"unknown notice kind {kind!r}")
    actor_id = actor.pk if actor is not None else None
    recipient_ids = [pk for pk in _ids(recipients) if pk != actor_id]
    if not recipient_ids:
        return None
    filled = {key: str(value) for key, value in (params or {}).items()}
    # Without a person (a seeded or system change) the platform itself is the actor.
    filled.setdefault(
        "actor", (actor.get_full_name() or actor.email) if actor else settings.PLATFORM_NAME
    )
    if initiative is not None:
        filled.setdefault("initiative", initiative.title)
    event = {
        "event_id": uuid.uuid4().hex,
        "kind": kind,
        "recipient_ids": recipient_ids,
        "actor_id": actor_id,
        "target_type": ContentType.objects.get_for_model(target).pk,
        "target_id": str(target.pk),
        "url": url,
        "initiative_id": initiative.pk if initiative is not None else None,
        "initiative_title": initiative.title if initiative is not None else "",
        "params": filled,
        "excerpt": str(excerpt or ""),
        "email_excerpt": bool(email_excerpt),
    }
    from .tasks import notice_deliver

    transaction.on_commit(lambda: notice_deliver.enqueue(**event))
    return event["event_id"]


def site_link(path: str, language: str) -> str:
    """An absolute address of ``path`` (unprefixed) in ``language``."""
    return f"{settings.SITE_URL}{path_in_language(path, language)}"


def path_in_language(path: str, language: str) -> str:
    """``path`` (a site path in the default language) in ``language``: ``/en/…`` for the
    addresses that have language versions, as it is for those that don't (Wagtail admin,
    files, health checks), which would not exist under ``/en/``."""
    if language == settings.LANGUAGE_CODE:
        return path
    with translation.override(settings.LANGUAGE_CODE):
        return translate_url(path, language)


def unsubscribe_link(*, user_id: int, scope: str, language: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("unsubscribe", args=[unsubscribe_token(user_id=user_id, scope=scope)])
    return site_link(path, language)


def unsubscribe_headers(link: str) -> dict[str, str]:
    """RFC 2369 ``List-Unsubscribe`` with RFC 8058 one-click: a mail client may POST to it."""
    return {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def settings_link(language: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return site_link(reverse("notification_settings"), language)


def _language(user) -> str:
    own = getattr(user, "email_settings", None)
    return own.language if own is not None else settings.LANGUAGE_CODE


def _profile_subscribed(user) -> bool:
    try:
        return user.profile.newsletter
    except models.ObjectDoesNotExist:
        return True


def mode_for(user, notice_kind: NoticeKind) -> str:
    """How ``user`` wants this kind mailed: service mail always at once; otherwise off when
    they unsubscribed from everything, else their mode for the kind's category."""
    if notice_kind.service:
        return Mode.IMMEDIATE
    if not _profile_subscribed(user):
        return Mode.OFF
    return email_modes(getattr(user, "email_settings", None))[notice_kind.category]


def _notice_email(user, notice_kind: NoticeKind, event: dict, key: str) -> OutgoingEmail:
    language = _language(user)
    with translation.override(language):
        text = kind_text(notice_kind.key, event["params"])
        unsubscribe = (
            None
            if notice_kind.service
            else unsubscribe_link(user_id=user.pk, scope=notice_kind.category, language=language)
        )
        context = {
            "site_url": settings.SITE_URL,
            "platform_name": settings.PLATFORM_NAME,
            "recipient": user,
            "text": text,
            "excerpt": event["excerpt"] if event["email_excerpt"] else "",
            "initiative_title": event["initiative_title"],
            "url": site_link(event["url"], language),
            "category": Category(notice_kind.category).label,
            "settings_url": settings_link(language),
            "unsubscribe_url": unsubscribe,
            "service": notice_kind.service,
        }
        from django.template.loader import render_to_string

        return email_build(
            to=[user.email],
            subject=text,
            body=render_to_string(f"{EMAIL_TEMPLATE}.txt", context),
            html=render_to_string(f"{EMAIL_TEMPLATE}.html", context),
            headers=unsubscribe_headers(unsubscribe) if unsubscribe else None,
            key=key,
            kind=f"notice:{notice_kind.key}",
        )


def notice_event_deliver(
    *,
    event_id: str,
    kind: str,
    recipient_ids: list[int],
    actor_id: int | None,
    target_type: int,
    target_id: str,
    url: str,
    initiative_id: int | None,
    initiative_title: str,
    params: dict,
    excerpt: str,
    email_excerpt: bool,
) -> int:
    """Fan one event out; see :func:`notify`. Runs once per event id, in one transaction."""
    notice_kind = get_kind(kind)
    if notice_kind is None:
        logger.warning("notice kind %r is not registered; event %s dropped", kind, event_id)
        return 0
    event = {"params": params, "excerpt": excerpt, "email_excerpt": email_excerpt, "url": url}
    event["initiative_title"] = initiative_title
    User = get_user_model()
    with transaction.atomic():
        _, created = NoticeEvent.objects.get_or_create(id=event_id, defaults={"kind": kind})
        if not created:
            return 0
        users = list(
            User.objects.filter(pk__in=recipient_ids, is_active=True)
            .exclude(pk=actor_id or 0)
            .select_related("profile", "email_settings")
            .order_by("pk")
        )
        if not users:
            return 0
        user_type = ContentType.objects.get_for_model(User)
        data = {
            "kind": kind,
            "params": params,
            "url": url,
            "initiative": initiative_id,
            "initiative_title": initiative_title,
            "excerpt": excerpt,
            # Whether an e-mail (now or in the digest) may quote the excerpt.
            "email_excerpt": email_excerpt,
        }
        now = timezone.now()
        notifications = Notification.objects.bulk_create(
            [
                Notification(
                    recipient=user,
                    actor_content_type_id=user_type.pk if actor_id else target_type,
                    actor_object_id=str(actor_id) if actor_id else target_id,
                    verb=kind,
                    target_content_type_id=target_type,
                    target_object_id=target_id,
                    data=data,
                    public=False,
                    timestamp=now,
                )
                for user in users
            ]
        )
        mails, digest, emailed = [], [], []
        for user, notification in zip(users, notifications, strict=True):
            mode = mode_for(user, notice_kind)
            if mode == Mode.IMMEDIATE:
                key = f"notice:{event_id}:{user.pk}"
                mails.append(_notice_email(user, notice_kind, event, key))
                emailed.append(notification.pk)
            elif mode == Mode.DIGEST:
                digest.append(
                    DigestItem(
                        recipient=user,
                        notification=notification,
                        category=notice_kind.category,
                        initiative_id=initiative_id,
                        initiative_title=initiative_title,
                    )
                )
        if mails:
            saved = OutgoingEmail.objects.bulk_create(mails)
            email_enqueue(outgoing_ids=[mail.pk for mail in saved])
            Notification.objects.filter(pk__in=emailed).update(emailed=True)
        if digest:
            DigestItem.objects.bulk_create(digest)
        user_ids = [user.pk for user in users]
        transaction.on_commit(lambda: bells_changed(user_ids=user_ids))
    return len(users)


def bells_changed(*, user_ids: Iterable[int]) -> None:
    """Forget the cached unread counts and tell the users' open bells to refresh.

    A channel layer that is down (Redis restarting) costs the live update only: the count
    is read from the database on the next page.
    """
    user_ids = list(user_ids)
    if not user_ids:
        return
    unread_count_forget(*user_ids)
    layer = get_channel_layer()
    if layer is None:
        return

    # One hop into the event loop for all recipients: async_to_sync per user costs a
    # thread start each (2 s of a 1,000-member fan-out, measured with cProfile).
    async def tell_all():
        for user_id in user_ids:
            await layer.group_send(user_group(user_id), {"type": "notices.changed"})

    try:
        async_to_sync(tell_all)()
    except Exception:  # the push is best effort; the page is the truth
        logger.warning("could not push notice counts", exc_info=True)


def notification_mark_read(*, user, notification: Notification) -> None:
    if notification.recipient_id != user.pk:
        raise PermissionError("not this user's notification")
    if notification.unread:
        Notification.objects.filter(pk=notification.pk).update(unread=False)
        notification.unread = False
        bells_changed(user_ids=[user.pk])


def notifications_mark_all_read(*, user) -> int:
    count = Notification.objects.filter(recipient=user, unread=True).update(unread=False)
    if count:
        bells_changed(user_ids=[user.pk])
    return count


def email_settings_save(*, user, modes: dict[str, str], language: str | None = None):
    """Store ``user``'s mode per category (unknown categories or modes are an error)."""
    for category, mode in modes.items():
        if category not in Category.values or mode not in Mode.values:
            raise ValueError(f"bad e-mail preference {category}={mode}")
    own, _ = EmailSettings.objects.get_or_create(user=user)
    for category, mode in modes.items():
        setattr(own, category, mode)
    if language is not None:
        if language not in dict(settings.LANGUAGES):
            raise ValueError(f"unknown language {language!r}")
        own.language = language
    own.save()
    return own


def newsletter_set(*, user, subscribed: bool) -> None:
    """The master switch («Отписаться» / «Подписаться»): the profile's newsletter field.

    The mock-up puts the switch in the members' profile, so it is stored there; the model is
    looked up by name, not imported (members imports notices, never the other way).
    """
    profile_model = django_apps.get_model("members", "Profile")
    profile_model.objects.update_or_create(user=user, defaults={"newsletter": subscribed})
    with contextlib.suppress(models.ObjectDoesNotExist):
        user.profile.newsletter = subscribed


def unsubscribe_apply(*, user, scope: str) -> list[str]:
    """Turn off what an unsubscribe link names: one category, or every category now mailed
    as a digest (``scope == "digest"``). Returns the categories turned off."""
    own = getattr(user, "email_settings", None)
    modes = email_modes(own)
    if scope == DIGEST:
        categories = [category for category, mode in modes.items() if mode == Mode.DIGEST]
    else:
        categories = [scope] if modes.get(scope) != Mode.OFF else []
    if categories:
        email_settings_save(user=user, modes=dict.fromkeys(categories, Mode.OFF))
    return categories
