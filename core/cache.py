"""The Redis cache, failing open.

Django's ``RedisCache`` raises ``redis.ConnectionError`` from every call while Redis is down,
and nearly every request touches the cache (``cached_db`` sessions, the page cache, the
header's counts, rate limits): with it, a Redis restart answers 500 on every page although
the database could serve them all. Everything the site keeps in the cache can be recomputed
or read from the database, so :class:`FailOpenRedisCache` treats an unreachable Redis as an
empty cache that stores nothing: reads miss (the default), writes and deletes do nothing,
``incr`` counts from nothing (a rate limit lets the message through rather than refusing
everyone). It logs a warning at most once per ``WARN_EVERY`` seconds per process.

Only connection and timeout errors are absorbed; any other Redis error is a bug and raises.
``scripts/faults/redis_outage.py`` stops Redis under chat traffic and checks that pages keep
answering.
"""

from __future__ import annotations

import functools
import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)
WARN_EVERY = 10.0


def _fail_open(fallback):
    """Wrap a cache method: on a connection error return ``fallback(*args, **kwargs)``."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except UNAVAILABLE as error:
                self._unavailable(method.__name__, error)
                return fallback(*args, **kwargs)

        return wrapper

    return decorate


def _none(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


def _default(key, default=None, version=None):
    return default


def _empty_dict(*args, **kwargs):
    return {}


def _no_failures(data, *args, **kwargs):
    # set_many's contract: the keys that failed. Reporting them would make callers retry a
    # cache that is down; nothing was stored, nothing is lost.
    return []


def _counted_from_nothing(key, delta=1, version=None):
    return delta


class FailOpenRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` that degrades to "no cache" while
    Redis cannot be reached (see the module's docstring)."""

    _warned_at: float = 0.0

    def _unavailable(self, operation: str, error: Exception) -> None:
        now = time.monotonic()
        if now - self._warned_at >= WARN_EVERY:
            self._warned_at = now
            logger.warning("cache unavailable (%s): %s; serving without it", operation, error)

    @_fail_open(_false)
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().add(key, value, timeout, version)

    @_fail_open(_default)
    def get(self, key, default=None, version=None):
        return super().get(key, default, version)

    @_fail_open(_none)
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set(key, value, timeout, version)

    @_fail_open(_false)
    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return super().touch(key, timeout, version)

    @_fail_open(_false)
    def delete(self, key, version=None):
        return super().delete(key, version)

    @_fail_open(_empty_dict)
    def get_many(self, keys, version=None):
        return super().get_many(keys, version)

    @_fail_open(_false)
    def has_key(self, key, version=None):
        return super().has_key(key, version)

    @_fail_open(_counted_from_nothing)
    def incr(self, key, delta=1, version=None):
        return super().incr(key, delta, version)

    @_fail_open(_no_failures)
    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set_many(data, timeout, version)

    @_fail_open(_none)
    def delete_many(self, keys, version=None):
        return super().delete_many(keys, version)

    @_fail_open(_false)
    def clear(self):
        return super().clear()
