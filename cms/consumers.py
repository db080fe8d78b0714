"""A diagnostic websocket: proves the ASGI server, the proxy's upgrade and the origin check work.

Send ``{"type": "ping"}`` and get ``{"type": "pong", "authenticated": bool}`` back. Anything
else gets an error message and the connection stays open, so a bad frame loses nothing.
"""

import json

from channels.generic.websocket import AsyncWebsocketConsumer

MAX_FRAME = 1024


class PingConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        await self.accept()

    async def receive(self, text_data=None, bytes_data=None):
        if text_data is None or len(text_data) > MAX_FRAME:
            await self._error("Send a JSON text frame of at most 1 KB.")
            return
        try:
            message = json.loads(text_data)
        except ValueError:
            await self._error("The frame is not valid JSON.")
            return
        if not isinstance(message, dict) or message.get("type") != "ping":
            await self._error('Unknown message; send {"type": "ping"}.')
            return
        user = self.scope.get("user")
        await self.send(
            json.dumps({"type": "pong", "authenticated": bool(user and user.is_authenticated)})
        )

    async def _error(self, text):
        await self.send(json.dumps({"type": "error", "error": text}))
