"""Open /ws/chat/ sockets lose access at once when a membership ends, an account is blocked
or deleted, or a session logs out (issue 11, item 4).

Each receiver only queues one channel-layer event for after the commit (``chat.access``: the
sockets re-read the account and close with 4403 when it may no longer chat, else reload
their composers; ``chat.logout``: the socket of that session closes). Sockets also re-check
on every frame, so these events make the loss of access immediate rather than possible.
A receiver never breaks the change that sent its signal: a channel layer that is down costs
a logged warning.
"""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_out
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from extranet.members import events as member_events

from . import services

logger = logging.getLogger(__name__)


def _after_commit(fn) -> None:
    """Run ``fn`` once the current transaction commits (at once outside one), never raising."""

    def safe():
        try:
            fn()
        except Exception:
            logger.warning("chat: could not tell open sockets that access changed", exc_info=True)

    try:
        transaction.on_commit(safe)
    except Exception:
        logger.warning("chat: could not queue the access change", exc_info=True)


def _access_changed(user_id) -> None:
    if user_id is not None:
        _after_commit(lambda: services.access_changed(user_ids=[user_id]))


# --- Memberships: what a member may write changes with them -------------------------------------


@receiver(member_events.membership_approved, dispatch_uid="chat.revocation.approved")
@receiver(member_events.membership_ended, dispatch_uid="chat.revocation.ended")
@receiver(member_events.membership_withdrawn, dispatch_uid="chat.revocation.withdrawn")
@receiver(member_events.membership_rejected, dispatch_uid="chat.revocation.rejected")
@receiver(member_events.membership_role_changed, dispatch_uid="chat.revocation.role")
def membership_changed(sender, membership, **kwargs):
    # Approval grants rights rather than taking them: the open pages reload their composers
    # all the same.
    _access_changed(getattr(membership, "user_id", None))


# --- Accounts: blocked (consent withdrawn, the portal admin's block) or deleted -----------------


@receiver(post_save, sender=get_user_model(), dispatch_uid="chat.revocation.account_saved")
def account_saved(sender, instance, created=False, update_fields=None, **kwargs):
    if created or instance.is_active:
        return
    # A save that names its fields and not is_active (last_login, a profile edit) changes
    # nothing here.
    if update_fields is not None and "is_active" not in update_fields:
        return
    _access_changed(instance.pk)


@receiver(post_delete, sender=get_user_model(), dispatch_uid="chat.revocation.account_deleted")
def account_deleted(sender, instance, **kwargs):
    _access_changed(instance.pk)


# --- Sessions: a logout ends the sockets opened with that session -------------------------------


@receiver(user_logged_out, dispatch_uid="chat.revocation.logged_out")
def logged_out(sender, request=None, user=None, **kwargs):
    session = getattr(request, "session", None)
    session_key = getattr(session, "session_key", None)
    if user is None or not session_key:
        return
    group = services.user_group(user.pk)

    def tell():
        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(
                group, {"type": "chat.logout", "session_key": session_key}
            )

    _after_commit(tell)
