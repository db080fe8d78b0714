"""Chat events turned into notices (``extranet.notices.services.notify``): a message left
unread past ``CHAT_MISSED_MESSAGE_DELAY_MINUTES`` (``missed.py``). Connected by
``ChatConfig.ready``.

Mail goes only to who did not read in time, so nothing is told when a message is sent: the
check runs every minute (``manage.py notify_missed_messages`` on a timer). Where the task
backend can defer (``supports_defer``), a sent message also schedules one check for just
after its delay, at most one per minute of the clock, so mail is not late by the timer's tick.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from extranet.notices.kinds import Category, NoticeKind, register_kind

from . import events

logger = logging.getLogger(__name__)

MESSAGE_MISSED = register_kind(
    NoticeKind(
        key="chat.message_missed",
        category=Category.MESSAGES,
        text=_("New message from %(actor)s"),
    )
)

# The minute a check was last scheduled for, in this process: most messages then cost no
# cache round trip at all.
_scheduled_minute = {"value": None}


@receiver(events.message_sent, dispatch_uid="chat.schedule_missed_check")
def schedule_missed_check(sender, message=None, **kwargs):
    from django_tasks import default_task_backend

    if not default_task_backend.supports_defer:
        return
    delay = timedelta(minutes=settings.CHAT_MISSED_MESSAGE_DELAY_MINUTES)
    due = (timezone.now() + delay).replace(second=0, microsecond=0) + timedelta(minutes=1)
    minute = int(due.timestamp() // 60)
    if _scheduled_minute["value"] == minute:
        return
    _scheduled_minute["value"] = minute
    # Shared by every server process: one deferred check per minute however many send.
    timeout = int(delay.total_seconds()) + 120
    try:
        if not cache.add(f"chat:missed-check:{minute}", 1, timeout=timeout):
            return
        from .tasks import missed_messages_check

        missed_messages_check.using(run_after=due).enqueue()
    except Exception:  # the timer is the reliable path; a failed schedule costs only latency
        logger.warning("could not schedule the missed-message check", exc_info=True)
