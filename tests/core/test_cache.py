"""The Redis cache fails open (core/cache.py): with Redis unreachable, reads miss, writes do
nothing and pages still answer from the database instead of a 500
(scripts/faults/redis_outage.py stops a real Redis under traffic)."""

from __future__ import annotations

import socket

import pytest
from django.core.cache import caches
from django.test import override_settings
from redis.exceptions import ResponseError

from core.cache import FailOpenRedisCache


def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # Nothing listens there once the socket is closed: connections are refused at once.
    return f"redis://127.0.0.1:{port}/0"


@pytest.fixture
def dead_redis():
    return FailOpenRedisCache(
        _closed_port_url(), {"OPTIONS": {"socket_connect_timeout": 1}, "KEY_PREFIX": "t"}
    )


def test_every_operation_degrades_to_no_cache(dead_redis):
    """Each call returns what an empty cache that stores nothing would."""
    assert dead_redis.get("k", "fallback") == "fallback"
    assert dead_redis.set("k", 1) is None
    assert dead_redis.add("k", 1) is False
    assert dead_redis.get_many(["a", "b"]) == {}
    assert dead_redis.set_many({"a": 1}) == []
    assert dead_redis.incr("n", 3) == 3
    assert dead_redis.decr("n") == -1
    assert dead_redis.has_key("k") is False
    assert dead_redis.delete("k") is False
    assert dead_redis.touch("k") is False
    assert dead_redis.get_or_set("k", lambda: "computed") == "computed"
    dead_redis.delete_many(["a"])
    dead_redis.clear()


def test_other_redis_errors_still_raise(dead_redis, monkeypatch):
    """Only an unreachable Redis is absorbed: a command error is a bug and is raised."""

    def refuse(*args, **kwargs):
        raise ResponseError("WRONGTYPE")

    monkeypatch.setattr("django.core.cache.backends.redis.RedisCache.get", refuse)
    with pytest.raises(ResponseError):
        dead_redis.get("k")


@pytest.mark.django_db
def test_pages_answer_while_redis_is_down(client, home_page):
    """The home page through the whole middleware with the cache on a dead Redis: 200."""
    dead = {
        "default": {
            "BACKEND": "core.cache.FailOpenRedisCache",
            "LOCATION": _closed_port_url(),
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }
    with override_settings(CACHES=dead):
        assert isinstance(caches["default"], FailOpenRedisCache)
        response = client.get("/", follow=True)
    assert response.status_code == 200
