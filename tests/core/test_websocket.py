"""core.websocket.frame_read: the one reading of client frames every consumer shares."""

import pytest

from core.websocket import MAX_FRAME, FrameError, frame_read


def test_a_json_object_is_read():
    """A small JSON object comes back as a dict."""
    assert frame_read('{"type": "ping"}') == {"type": "ping"}


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (None, "text frame"),
        ("x" * (MAX_FRAME + 1), "at most 1 KB"),
        ("not json", "not valid JSON"),
        ('["ping"]', "JSON object"),
        ("42", "JSON object"),
    ],
)
def test_bad_frames_raise_a_message_to_send_back(frame, message):
    """Binary, oversized, invalid and non-object frames raise FrameError with a reason."""
    with pytest.raises(FrameError, match=message):
        frame_read(frame)
