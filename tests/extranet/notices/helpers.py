"""Notifications made directly, as ``services.notice_event_deliver`` stores them."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from notifications.models import Notification

APPROVED = "members.application_approved"


def make_notices(user, count: int, *, kind: str = APPROVED, url: str = "/cabinet/", **data):
    """``count`` notices for ``user``, one minute apart (the last is the newest), unread."""
    user_type = ContentType.objects.get_for_model(user)
    now = timezone.now()
    return Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                actor_content_type=user_type,
                actor_object_id=str(user.pk),
                verb=kind,
                target_content_type=user_type,
                target_object_id=str(user.pk),
                public=False,
                timestamp=now - timedelta(minutes=count - index),
                data={
                    "kind": kind,
                    "params": {"initiative": f"Инициатива {index}"},
                    "url": url,
                    "initiative": None,
                    "initiative_title": f"Инициатива {index}",
                    "excerpt": data.get("excerpt", ""),
                },
            )
            for index in range(count)
        ]
    )
