"""/ws/chat/: one socket per browser tab for all of a person's conversations (CHAT_SPEC.md).

Session auth (``AuthMiddlewareStack``) and the origin check (``AllowedHostsOriginValidator``)
come from cms/asgi.py. Guests and inactive accounts are refused before the handshake
completes. Every client frame asks again, with the account as the database has it now and
the session still in the session store: ``scope["user"]`` was read once at the handshake
and its cached memberships would outlive a revoked membership on a socket that lives for
hours. A message is saved (committed) before any socket is told of it; a client that
reconnects sends ``hello`` with the last id it saw and gets what it missed.

Bad input (binary, non-JSON, oversize frames, unknown types, ids that are not integers, a
conversation that is not mine) gets ``{"type": "error", ...}`` and the socket stays open.
"""

from __future__ import annotations

import json
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from importlib import import_module

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core.websocket import FrameError, frame_read

from . import permissions, selectors, services
from .models import Conversation

logger = logging.getLogger(__name__)

# Policy violation: the account (or this session) may no longer chat; the page's script does
# not reconnect on it.
CLOSE_NOT_ALLOWED = 4403
# The protocol's frame limit; a message of MESSAGE_MAX_LENGTH characters fits with room.
MAX_FRAME = 16 * 1024
# «is typing…» is relayed at most once per this many seconds per socket.
TYPING_INTERVAL = 2.0
# Deliveries (not client frames, which always ask again) re-read the account at most this
# often: a lost chat.access/chat.logout event still ends a revoked socket's deliveries soon.
DELIVERY_RECHECK_SECONDS = 30.0

DB_SESSIONS = "django.contrib.sessions.backends.db"


class _Refused(Exception):
    """A frame that gets an error frame; ``code`` is the protocol's error code."""

    def __init__(self, code: str, text: str):
        super().__init__(text)
        self.code = code
        self.text = text


# --- Database work (each call one trip to the worker thread) -----------------------------------


def _account(user_id: int, session_key: str | None):
    """The account as stored now when it may chat and ``session_key`` is still a live
    session, else None. One query with the database session store (the user row and the
    session's existence together); other stores answer ``exists`` themselves (cached_db
    from the cache)."""
    if not session_key:
        return None
    users = get_user_model().objects.filter(pk=user_id)
    engine = settings.SESSION_ENGINE
    if engine == DB_SESSIONS:
        from django.contrib.sessions.models import Session

        users = users.annotate(
            _session_alive=Exists(
                Session.objects.filter(session_key=session_key, expire_date__gt=timezone.now())
            )
        )
    user = users.first()
    if not permissions.can_use_chat(user):
        return None
    if engine == DB_SESSIONS:
        alive = user._session_alive
    else:
        alive = import_module(engine).SessionStore().exists(session_key)
    return user if alive else None


def _my_conversation(user, conversation_id: int) -> Conversation:
    """``conversation_id`` when ``user`` takes part in it, with both accounts (fresh) in the
    same query; _Refused ``not_found`` otherwise (someone else's looks like a missing one)."""
    conversation = (
        Conversation.objects.select_related("user_a", "user_b")
        .filter(Q(user_a_id=user.pk) | Q(user_b_id=user.pk), pk=conversation_id)
        .first()
    )
    if conversation is None:
        raise _Refused("not_found", _("This conversation was not found."))
    return conversation


def _other(conversation: Conversation, user):
    return conversation.user_b if conversation.user_a_id == user.pk else conversation.user_a


class _Gone(Exception):
    """The account may no longer chat, or this socket's session is gone: close with 4403."""


def _database_executor():
    """Where the consumer's database work runs. Channels' default is one thread per process
    shared by every socket, which serialises all sends of a process (measured: 25-40 stored
    messages a second per process under load); ``CHAT_DB_THREADS`` threads let sends run side
    by side. Each call is its own transaction and sends order themselves with the inbox
    locks, so nothing relies on the shared thread. 0 keeps Channels' shared thread."""
    threads = int(getattr(settings, "CHAT_DB_THREADS", 0))
    if threads <= 0:
        return {}
    return {
        "thread_sensitive": False,
        "executor": ThreadPoolExecutor(max_workers=threads, thread_name_prefix="chat-db"),
    }


def _as_account_sync(user_id: int, session_key: str | None, work=None, *args):
    """One trip to the database thread per frame: the account and its session re-read,
    then ``work(user, *args)`` (None: the check alone). Raises _Gone before any work when
    the account or session is gone. Returns (user, work's result)."""
    user = _account(user_id, session_key)
    if user is None:
        raise _Gone
    return user, (work(user, *args) if work is not None else None)


_as_account = database_sync_to_async(_as_account_sync, **_database_executor())


def _unread(user) -> int:
    return services.unread_total(user=user)


def _missed(user, after_id: int) -> tuple[list[dict], bool]:
    # One more than the limit tells whether more are waiting, without counting them.
    messages = selectors.messages_after(
        user=user, after_id=after_id, limit=selectors.CATCH_UP_LIMIT + 1
    )
    more = len(messages) > selectors.CATCH_UP_LIMIT
    return [services.message_payload(m) for m in messages[: selectors.CATCH_UP_LIMIT]], more


def _message_send(user, conversation_id: int, text: str):
    """Saves and commits the message (``message_send`` runs its own transaction); the
    payload, the unread counts and both people's ids for the broadcast that follows."""
    conversation = _my_conversation(user, conversation_id)
    message = services.message_send(
        sender=user, conversation=conversation, body=text, publish=False
    )
    return message._payload, message._unread, message._user_ids


def _mark_read(user, conversation_id: int, last_id: int) -> dict:
    conversation = _my_conversation(user, conversation_id)
    return services.conversation_mark_read(user=user, conversation=conversation, up_to=last_id)


def _typing_target(user, conversation_id: int) -> int | None:
    """The other person's id when ``user`` may write to them now, else None."""
    conversation = _my_conversation(user, conversation_id)
    other = _other(conversation, user)
    if permissions.can_write(user, other, conversation=conversation):
        return other.pk
    return None


def _language(scope) -> str:
    """The language of error texts: the site's language switch (its cookie) or the default."""
    languages = dict(settings.LANGUAGES)
    chosen = (scope.get("cookies") or {}).get(settings.LANGUAGE_COOKIE_NAME)
    return chosen if chosen in languages else settings.LANGUAGE_CODE


# The largest id the database holds (a signed 64-bit integer): a bigger number would fail
# in the query instead of getting an error frame.
MAX_ID = 2**63 - 1


def _integer(value) -> int:
    # bool is an int in Python; true/false are not ids.
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_ID:
        raise _Refused("bad_frame", _("The conversation or message number is not valid."))
    return value


class ChatConsumer(AsyncWebsocketConsumer):
    user_id: int | None = None
    session_key: str | None = None
    group: str | None = None
    language: str = settings.LANGUAGE_CODE
    last_typing: float = 0.0
    checked_at: float = 0.0
    closing: bool = False
    answered_read: tuple | None = None
    frame_checked: bool = False

    # --- Lifecycle ----------------------------------------------------------------------------

    async def connect(self):
        user = self.scope.get("user")
        session = self.scope.get("session")
        session_key = getattr(session, "session_key", None)
        if not permissions.can_use_chat(user):
            await self.close()
            return
        try:
            _current, unread = await _as_account(user.pk, session_key, _unread)
        except _Gone:
            await self.close()
            return
        self.user_id, self.session_key = user.pk, session_key
        self.language = _language(self.scope)
        self.checked_at = time.monotonic()
        # Joined before the handshake completes: nothing committed from now on is missed
        # live, and «hello» covers what came before (clients de-duplicate by id).
        self.group = services.user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self._send({"type": "unread", "count": unread})

    async def disconnect(self, code):
        await self._leave()

    async def _leave(self):
        if self.group is not None:
            group, self.group = self.group, None
            await self.channel_layer.group_discard(group, self.channel_name)

    async def _refuse(self):
        """Close with 4403: this account or session may no longer chat."""
        if self.closing:
            return
        self.closing = True
        await self._leave()
        await self.close(code=CLOSE_NOT_ALLOWED)

    async def _db(self, work=None, *args):
        """``work(user, *args)`` in the database thread after the account and session are
        checked again (raises _Gone otherwise); its result."""
        if self.closing:
            raise _Gone
        _user, result = await _as_account(self.user_id, self.session_key, work, *args)
        self.checked_at = time.monotonic()
        self.frame_checked = True
        return result

    async def _authorised(self) -> bool:
        """The account and session re-read; closes the socket (False) when either is gone."""
        if self.closing or self.user_id is None:
            return False
        try:
            await self._db()
        except _Gone:
            await self._refuse()
            return False
        return True

    # --- Client frames ------------------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None):
        if self.closing or self.user_id is None:
            return
        # Every frame is authorised, in the same database trip as its work where it has
        # some; a frame answered without any (an error, a throttled «typing») asks alone.
        self.frame_checked = False
        with translation.override(self.language):
            frame: dict = {}
            try:
                try:
                    try:
                        frame = frame_read(text_data, max_size=MAX_FRAME)
                    except FrameError:
                        raise _Refused(
                            "bad_frame",
                            _("Send a JSON object in a text frame of at most %(size)s KB.")
                            % {"size": MAX_FRAME // 1024},
                        ) from None
                    # Only a string names a type: a list or an object is unhashable.
                    kind = frame.get("type")
                    handler = self.HANDLERS.get(kind) if isinstance(kind, str) else None
                    if handler is None:
                        raise _Refused("unknown_type", _("Unknown message type."))
                    await handler(self, frame)
                    if not self.frame_checked:
                        await self._db()
                except _Refused as refused:
                    if not self.frame_checked:
                        await self._db()
                    await self._error(refused.code, str(refused.text), frame)
                except services.ChatError as error:
                    if not self.frame_checked:
                        await self._db()
                    await self._error(error.code or "not_allowed", " ".join(error.messages), frame)
            except _Gone:
                await self._refuse()

    async def _hello(self, frame):
        last_id = _integer(frame.get("last_id", 0))
        messages, more = await self._db(_missed, last_id)
        newest = messages[-1]["id"] if messages else last_id
        await self._send({"type": "missed", "messages": messages, "more": more, "last_id": newest})

    async def _send_message(self, frame):
        conversation_id = _integer(frame.get("conversation"))
        text = frame.get("text", "")
        if not isinstance(text, str):
            raise _Refused("bad_frame", _("The message text must be a string."))
        payload, unread, user_ids = await self._db(_message_send, conversation_id, text)
        # Committed by now: only then is anyone told.
        event = services.message_event(payload=payload, unread=unread)
        for pk in set(user_ids):
            await self.channel_layer.group_send(services.user_group(pk), event)
        await self._send({"type": "ack", "client_id": frame.get("client_id"), "message": payload})

    async def _read(self, frame):
        conversation_id = _integer(frame.get("conversation"))
        last_id = _integer(frame.get("last_id", 0))
        state = await self._db(_mark_read, conversation_id, last_id)
        # Answered here, so the client hears back also when nothing changed; a change also
        # reaches every socket of mine through chat.read, and this socket skips that copy.
        await self._send_read(state)
        self.answered_read = self._read_key(state)

    async def _typing(self, frame):
        conversation_id = _integer(frame.get("conversation"))
        now = time.monotonic()
        if now - self.last_typing < TYPING_INTERVAL:
            return  # dropped (receive still checks the account)
        self.last_typing = now
        other_id = await self._db(_typing_target, conversation_id)
        if other_id is not None:
            await self.channel_layer.group_send(
                services.user_group(other_id),
                {"type": "chat.typing", "conversation": conversation_id, "user": self.user_id},
            )

    async def _ping(self, frame):
        await self._db()
        await self._send({"type": "pong"})

    HANDLERS = {
        "hello": _hello,
        "send": _send_message,
        "read": _read,
        "typing": _typing,
        "ping": _ping,
    }

    # --- Channel-layer events -----------------------------------------------------------------

    async def _still_allowed(self) -> bool:
        """Deliveries re-read the account only every DELIVERY_RECHECK_SECONDS (each one is
        one query otherwise); chat.access and chat.logout end a socket at once."""
        if self.closing:
            return False
        if time.monotonic() - self.checked_at < DELIVERY_RECHECK_SECONDS:
            return True
        return await self._authorised()

    async def chat_message(self, event):
        """A message in one of my conversations (mine or to me), saved before it was sent."""
        if not await self._still_allowed():
            return
        await self._send({"type": "message", "message": event["message"]})
        count = (event.get("unread") or {}).get(str(self.user_id))
        if count is not None:
            await self._send({"type": "unread", "count": count})

    @staticmethod
    def _read_key(state) -> tuple:
        return (state["conversation"], state["last_read_id"], state["unread"], state["total"])

    async def chat_read(self, event):
        """I read a conversation (in this tab or another): its state and my header count."""
        if self.answered_read is not None and self._read_key(event) == self.answered_read:
            self.answered_read = None  # the copy of what _read answered already
            return
        if await self._still_allowed():
            await self._send_read(event)

    async def _send_read(self, event):
        await self._send(
            {
                "type": "read",
                "conversation": event["conversation"],
                "last_read_id": event["last_read_id"],
                "unread": event["unread"],
                "total": event["total"],
            }
        )
        await self._send({"type": "unread", "count": event["total"]})

    async def chat_seen(self, event):
        """The other person read my messages up to ``last_read_id``."""
        if not await self._still_allowed():
            return
        await self._send(
            {
                "type": "seen",
                "conversation": event["conversation"],
                "last_read_id": event["last_read_id"],
            }
        )

    async def chat_typing(self, event):
        if not await self._still_allowed():
            return
        await self._send(
            {"type": "typing", "conversation": event["conversation"], "user": event["user"]}
        )

    async def chat_access(self, event):
        """What I may do changed: closed when I may no longer chat, else the page reloads
        its composers' state."""
        if await self._authorised():
            await self._send({"type": "access"})

    async def chat_logout(self, event):
        """A session logged out: this socket closes when it was opened with that session."""
        if event.get("session_key") and event.get("session_key") == self.session_key:
            await self._refuse()

    # --- Output -------------------------------------------------------------------------------

    async def _send(self, message: dict):
        if not self.closing:
            await self.send(json.dumps(message, ensure_ascii=False))

    async def _error(self, code: str, text: str, frame: dict):
        message = {"type": "error", "code": code, "error": text}
        if "client_id" in frame:
            message["client_id"] = frame["client_id"]
        await self._send(message)
