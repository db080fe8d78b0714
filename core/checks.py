"""The project's own system checks: what the production settings must not run on.

Django's ``check --deploy`` knows cookies and HSTS, not that this site loses its chat between
processes on the in-memory channel layer, locks up on SQLite under several workers, serves
every worker a different page cache from local memory, or rate-limits the proxy instead of
the visitor when nobody said how many proxies stand in front. With
``cms.settings.production`` (``PRODUCTION = True``) these are errors: ``manage.py migrate``,
``check`` and ``check --deploy`` refuse to go on, so a deployment stops before it starts.
"""

from __future__ import annotations

from django.conf import settings
from django.core import checks

IN_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@checks.register(checks.Tags.database, checks.Tags.caches, checks.Tags.security)
def production_engines(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if not getattr(settings, "PRODUCTION", False):
        return []
    errors = []
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        errors.append(
            checks.Error(
                "Production runs on SQLite.",
                hint="Set DATABASE_URL to a PostgreSQL database (README.md, «Production»).",
                id="core.E001",
            )
        )
    layer = settings.CHANNEL_LAYERS.get("default", {}).get("BACKEND", "")
    if layer == "channels.layers.InMemoryChannelLayer":
        errors.append(
            checks.Error(
                "Production uses the in-memory channel layer: chat messages would not reach "
                "people connected to another process.",
                hint="Set REDIS_URL (the Redis Pub/Sub channel layer).",
                id="core.E002",
            )
        )
    cache = settings.CACHES.get("default", {}).get("BACKEND", "")
    if cache in IN_PROCESS_CACHES:
        errors.append(
            checks.Error(
                "Production uses a cache inside each process: every worker would keep its own "
                "page cache, counters and purges.",
                hint="Set REDIS_URL (Django's Redis cache).",
                id="core.E003",
            )
        )
    if not getattr(settings, "TRUSTED_PROXY_COUNT_SET", False):
        errors.append(
            checks.Error(
                "TRUSTED_PROXY_COUNT is not set: the per-address rate limits and the audience "
                "count would see the proxy's address, or a forged one, instead of the "
                "visitor's.",
                hint="Set TRUSTED_PROXY_COUNT to the number of reverse proxies in front of the "
                "site (1 for nginx alone; 0 when nothing proxies).",
                id="core.E004",
            )
        )
    return errors
