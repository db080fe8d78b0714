"""/ws/notifications/: the bell's live count.

Session auth (``AuthMiddlewareStack``) and the origin check (``AllowedHostsOriginValidator``)
come from cms/asgi.py. A guest or blocked account is refused before the handshake completes.
Once open, the socket joins the person's group (``services.user_group``) and gets
``{"type": "unread", "count": n}`` at once and whenever ``services.bells_changed`` pushes
``notices.changed``. The client may send ``{"type": "ping"}`` (→ ``pong``) and
``{"type": "count"}`` (→ ``unread``); anything else gets ``{"type": "error", ...}`` and the
socket stays open. Every message asks the permission again with the account as the database
has it now, and a blocked account's socket is closed.
"""

from __future__ import annotations

import json

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.contrib.auth import get_user_model

from core.websocket import FrameError, frame_read

from .permissions import can_use_notices
from .selectors import unread_count
from .services import user_group

# Policy violation: the account may no longer use the bell.
CLOSE_NOT_ALLOWED = 4403


@database_sync_to_async
def _current_user(user_id: int):
    """The account as stored now, or None when it may not use notices (blocked, deleted)."""
    user = get_user_model().objects.filter(pk=user_id).first()
    return user if can_use_notices(user) else None


@database_sync_to_async
def _count(user) -> int:
    return unread_count(user=user)


class NotificationsConsumer(AsyncWebsocketConsumer):
    user_id: int | None = None
    group: str | None = None

    async def connect(self):
        user = self.scope.get("user")
        if not can_use_notices(user) or await _current_user(user.pk) is None:
            await self.close()
            return
        self.user_id = user.pk
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self._send_count()

    async def disconnect(self, code):
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)
            self.group = None

    async def receive(self, text_data=None, bytes_data=None):
        user = await self._authorised()
        if user is None:
            return
        try:
            message = frame_read(text_data)
        except FrameError as error:
            await self._error(str(error))
            return
        kind = message.get("type")
        if kind not in ("ping", "count"):
            await self._error('Unknown message; send {"type": "ping"} or {"type": "count"}.')
            return
        if kind == "ping":
            await self._send({"type": "pong"})
        else:
            await self._send({"type": "unread", "count": await _count(user)})

    async def notices_changed(self, event):
        """``services.bells_changed``: the count changed; send the new one."""
        await self._send_count()

    async def _authorised(self):
        """The account, re-read; closes the socket and returns None when it may no longer
        use the bell."""
        user = await _current_user(self.user_id) if self.user_id is not None else None
        if user is None:
            await self.disconnect(CLOSE_NOT_ALLOWED)
            await self.close(code=CLOSE_NOT_ALLOWED)
        return user

    async def _send_count(self):
        user = await self._authorised()
        if user is not None:
            await self._send({"type": "unread", "count": await _count(user)})

    async def _send(self, message: dict):
        await self.send(json.dumps(message))

    async def _error(self, text: str):
        await self._send({"type": "error", "error": text})
