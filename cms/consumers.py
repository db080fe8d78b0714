"""A diagnostic websocket: proves the ASGI server, the proxy's upgrade and the origin check work.

Send ``{"type": "ping"}`` and get ``{"type": "pong", "authenticated": bool}`` back. Anything
else gets an error message and the connection stays open, so a bad frame loses nothing.
"""

import json

from channels.generic.websocket import AsyncWebsocketConsumer

from core.websocket import FrameError, frame_read


class PingConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        await self.accept()

    async def receive(self, text_data=None, bytes_data=None):
        try:
            message = frame_read(text_data)
        except FrameError as error:
            await self._error(str(error))
            return
        if message.get("type") != "ping":
            await self._error('Unknown message; send {"type": "ping"}.')
            return
        user = self.scope.get("user")
        await self.send(
            json.dumps({"type": "pong", "authenticated": bool(user and user.is_authenticated)})
        )

    async def _error(self, text):
        await self.send(json.dumps({"type": "error", "error": text}))
