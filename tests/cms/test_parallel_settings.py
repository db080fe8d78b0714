"""Parallel test runs (pytest-xdist) keep their workers apart on a shared Redis."""

from __future__ import annotations

from tests.cms.test_settings import run_python

PRINT_REDIS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.CACHES['default']['LOCATION']); "
    "print(s.CHANNEL_LAYERS['default']['CONFIG']['hosts'][0]); "
    "print(s.CHANNEL_LAYERS['default']['CONFIG']['prefix'])"
)


def test_each_worker_gets_its_own_redis_database_and_channel_prefix():
    """Every test clears the cache (FLUSHDB): workers gw0 and gw1 must not share a database,
    nor Pub/Sub channel names, or one worker's clear would wipe another's rate-limit counters
    mid-test. The databases count down from REDIS_URL's, so database 0 is never used."""
    seen = {}
    for worker in ("gw0", "gw1", "gw2"):
        result = run_python(
            PRINT_REDIS,
            DJANGO_SETTINGS_MODULE="cms.settings.test",
            REDIS_URL="redis://127.0.0.1:6379/15",
            PYTEST_XDIST_WORKER=worker,
        )
        assert result.returncode == 0, result.stderr
        cache_url, layer_url, prefix = result.stdout.split()
        assert cache_url == layer_url
        seen[worker] = (cache_url, prefix)
    assert seen["gw0"] == ("redis://127.0.0.1:6379/15", "cms-gw0")
    assert seen["gw1"] == ("redis://127.0.0.1:6379/14", "cms-gw1")
    assert seen["gw2"] == ("redis://127.0.0.1:6379/13", "cms-gw2")


def test_without_a_worker_the_configured_redis_is_used_as_is():
    """A plain (serial) run keeps REDIS_URL and the project's channel prefix."""
    result = run_python(
        PRINT_REDIS,
        DJANGO_SETTINGS_MODULE="cms.settings.test",
        REDIS_URL="redis://127.0.0.1:6379/15",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "redis://127.0.0.1:6379/15",
        "redis://127.0.0.1:6379/15",
        "cms",
    ]
