"""Fast, isolated settings for pytest (selected by ``--ds`` in pyproject.toml).

DATABASE_URL and REDIS_URL are honoured, so CI runs the same suite on PostgreSQL + Redis.
"""

import os
import tempfile

# A developer's .env (DATABASE_URL, REDIS_URL) must not redirect the tests: they flush the
# cache and channel layer they are given. Run against PostgreSQL/Redis by exporting the variables.
os.environ.setdefault("CMS_READ_DOTENV", "0")

from .base import *  # noqa: F403
from .base import CACHES, CHANNEL_LAYERS, DATABASE_IS_POSTGRES, DATABASES, REDIS_URL, STORAGES

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
SITE_URL = "http://testserver"
WAGTAILADMIN_BASE_URL = SITE_URL

# A test database is thrown away: its commits need not wait for the disk. The transactional
# tests (websockets, browsers) empty every table after each test, and migrating a worker's
# database commits some 250 times.
if DATABASE_IS_POSTGRES:
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"

# Uploaded files of a test run go to a throwaway folder.
_TMP = tempfile.mkdtemp(prefix="cms-test-media-")
MEDIA_ROOT = f"{_TMP}/public"
STATIC_ROOT = f"{_TMP}/static"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
PRIVATE_MEDIA_ROOT = f"{_TMP}/private"
STORAGES = {
    **STORAGES,
    "private": {
        "BACKEND": "core.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
}
# Parallel runs (pytest-xdist): every test clears the cache, and Redis's FLUSHDB ignores key
# prefixes, so each worker gets a Redis database of its own (counting down from the one
# REDIS_URL names, so a developer's database 0 is never flushed) and a channel-layer prefix of
# its own (Pub/Sub channels are shared by all databases).
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _WORKER.startswith("gw"):
    from urllib.parse import urlsplit, urlunsplit

    _url = urlsplit(REDIS_URL)
    _db = int(_url.path.strip("/") or 0)
    _worker_db = (_db - int(_WORKER[2:])) % 16
    _worker_url = urlunsplit(_url._replace(path=f"/{_worker_db}"))
    CACHES = {"default": {**CACHES["default"], "LOCATION": _worker_url}}
    CHANNEL_LAYERS = {
        "default": {
            **CHANNEL_LAYERS["default"],
            "CONFIG": {"hosts": [_worker_url], "prefix": f"cms-{_WORKER}"},
        }
    }

# allauth's rate limits live in the cache; tests that check them clear it themselves.
ACCOUNT_RATE_LIMITS = False
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
