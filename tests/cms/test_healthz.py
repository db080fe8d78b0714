"""/healthz: 200 with every dependency answering, 503 naming the one that does not."""

import pytest
from channels_redis.pubsub import RedisPubSubChannelLayer

from cms import views

pytestmark = pytest.mark.django_db


def test_healthy(client):
    """With database, cache and channel layer up, /healthz is 200 and lists each check."""
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "channel_layer"}
    assert all(check["ok"] for check in body["checks"].values())
    assert "no-cache" in response["Cache-Control"]


def test_channel_layer_down_gives_503(client, monkeypatch):
    """A channel layer whose Redis does not answer makes /healthz 503 (a real refused socket)."""
    broken = RedisPubSubChannelLayer(hosts=["redis://127.0.0.1:1/0"])
    monkeypatch.setattr(views, "get_channel_layer", lambda: broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["channel_layer"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


def test_database_down_gives_503(client, monkeypatch):
    """A failing database query makes /healthz 503 and says which check failed."""

    def broken():
        raise ConnectionError("database unreachable")

    monkeypatch.setattr(views, "_check_database", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {"ok": False, "error": "ConnectionError"}


def test_post_is_not_allowed(client):
    """/healthz answers GET only."""
    assert client.post("/healthz").status_code == 405
