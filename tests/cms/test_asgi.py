"""The ASGI router: HTTP reaches Django and /ws/ reaches Channels behind the origin check."""

import json

import pytest
from channels.testing import HttpCommunicator, WebsocketCommunicator

from cms.asgi import application

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


async def _connect(path="/ws/ping/", origin=b"http://localhost"):
    communicator = WebsocketCommunicator(application, path, headers=[(b"origin", origin)])
    connected, _ = await communicator.connect()
    return communicator, connected


async def test_websocket_handshake_and_ping():
    """A websocket from an allowed origin is accepted and answers ping with pong."""
    communicator, connected = await _connect()
    assert connected
    await communicator.send_to(text_data=json.dumps({"type": "ping"}))
    reply = json.loads(await communicator.receive_from())
    assert reply == {"type": "pong", "authenticated": False}
    await communicator.disconnect()


async def test_websocket_bad_frames_get_errors_and_keep_the_connection():
    """Invalid JSON, unknown types and oversized frames get an error; the socket stays usable."""
    communicator, connected = await _connect()
    assert connected
    for frame in ("not json", json.dumps(["ping"]), json.dumps({"type": "x"}), "x" * 5000):
        await communicator.send_to(text_data=frame)
        reply = json.loads(await communicator.receive_from())
        assert reply["type"] == "error" and reply["error"]
    await communicator.send_to(text_data=json.dumps({"type": "ping"}))
    assert json.loads(await communicator.receive_from())["type"] == "pong"
    await communicator.disconnect()


async def test_websocket_from_foreign_origin_is_refused():
    """AllowedHostsOriginValidator closes sockets opened by pages of other sites."""
    _communicator, connected = await _connect(origin=b"https://evil.example.org")
    assert not connected


async def test_unknown_websocket_path_is_refused():
    """Only routed paths open; anything else fails the handshake."""
    communicator = WebsocketCommunicator(
        application, "/ws/nothing-here/", headers=[(b"origin", b"http://localhost")]
    )
    with pytest.raises(ValueError, match="No route found"):
        await communicator.connect()


async def test_http_goes_to_django():
    """Plain HTTP through the same ASGI application reaches Django's views."""
    response = await HttpCommunicator(
        application, "GET", "/robots.txt", headers=[(b"host", b"localhost")]
    ).get_response()
    assert response["status"] == 200
    assert b"Sitemap:" in response["body"]
