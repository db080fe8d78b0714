"""Production: behind a TLS-terminating reverse proxy, PostgreSQL, Redis, SMTP, a task worker.

Refuses to start without SECRET_KEY; with the variables documented in README.md set,
`manage.py check --deploy` reports no issues (a test runs it).
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, LOGGING, REDIS_URL, SECRET_KEY, STORAGES, log_format
from .env import env_bool, env_int, env_str
from .storage import FILESYSTEM_BACKEND, PRIVATE_FILESYSTEM_BACKEND

DEBUG = False
# core/checks.py refuses what production must not run on (SQLite, in-process cache and
# channel layer, an unstated proxy count).
PRODUCTION = True

if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in production (see .env.example).")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters of random text.")
# The development defaults of these would make a production site answer for the wrong host
# and write wrong links into e-mails, so they must be stated.
for _required in ("ALLOWED_HOSTS", "SITE_URL"):
    if not env_str(_required):
        raise ImproperlyConfigured(f"{_required} must be set in production (see .env.example).")

# The proxy terminates TLS and says so in X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
# /healthz is probed over plain HTTP from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
if not SECURE_HSTS_PRELOAD:
    # Turning preload off is a deliberate operator's choice, not an oversight to warn about.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
# One JSON object per log line, with the request id, for the log collector (LOG_FORMAT=plain
# for a person reading journalctl).
LOG_FORMAT = log_format("json")
LOGGING["handlers"]["console"]["formatter"] = LOG_FORMAT
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True

# psycopg's connection pool instead of CONN_MAX_AGE: under ASGI persistent connections
# exhausted PostgreSQL's slots here, the pool did not (DESIGN.md, "Running it").
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env_int("DATABASE_POOL_MIN", 2),
        "max_size": env_int("DATABASE_POOL_MAX", 10),
        "timeout": 10,
    }

# allauth's per-IP rate limits need the client's address, not the proxy's: the number of
# reverse proxies in front of the site whose X-Forwarded-For entries are trusted.
# It must be stated (core.E004): a wrong guess either trusts a forged header or blames nginx.
TRUSTED_PROXY_COUNT_SET = env_str("TRUSTED_PROXY_COUNT") != ""
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1)

# The portal admin and initiative admins must use two-factor authentication
# (extranet/members/mfa.py); MFA_REQUIRED_FOR_ADMINS=0 turns it off deliberately.
MFA_REQUIRED_FOR_ADMINS = env_bool("MFA_REQUIRED_FOR_ADMINS", default=True)
if env_bool("MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN", default=False):
    # It makes security keys accept any origin, a development convenience only.
    raise ImproperlyConfigured("MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN must not be set in production.")

if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Private files are sent by the reverse proxy when this names its internal location.
PRIVATE_MEDIA_X_ACCEL_PREFIX = env_str("PRIVATE_MEDIA_X_ACCEL_PREFIX")
if PRIVATE_MEDIA_X_ACCEL_PREFIX and STORAGES["private"]["BACKEND"] not in (
    FILESYSTEM_BACKEND,
    PRIVATE_FILESYSTEM_BACKEND,
):
    # nginx's internal location reads a folder; objects in a bucket are not in one.
    raise ImproperlyConfigured(
        "PRIVATE_MEDIA_X_ACCEL_PREFIX works with MEDIA_STORAGE=filesystem only; with s3 "
        "leave it empty (downloads stream through Django, or PRIVATE_MEDIA_REDIRECT=1)."
    )
