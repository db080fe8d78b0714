"""Reading websocket frames the same way in every consumer (ping, notifications, later chat).

A frame must be a JSON object in a text frame of at most ``max_size`` characters; anything
else gets an error message that the consumer sends back without closing the socket, so a
bad frame loses nothing.
"""

from __future__ import annotations

import json

MAX_FRAME = 1024


class FrameError(ValueError):
    """A frame the consumer cannot read; ``str(error)`` is the message to send back."""


def frame_read(text_data: str | None, *, max_size: int = MAX_FRAME) -> dict:
    """The frame's JSON object; raises FrameError for binary, oversized or invalid frames."""
    if text_data is None or len(text_data) > max_size:
        raise FrameError(f"Send a JSON text frame of at most {max_size // 1024} KB.")
    try:
        message = json.loads(text_data)
    except ValueError as exc:
        raise FrameError("The frame is not valid JSON.") from exc
    if not isinstance(message, dict):
        raise FrameError("The frame must be a JSON object.")
    return message
