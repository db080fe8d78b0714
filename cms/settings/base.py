"""Settings shared by every environment. Machine-specific values come from the environment."""

from __future__ import annotations

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from .env import BASE_DIR, env_bool, env_int, env_list, env_str
from .storage import media_storages, private_media_redirect

PROJECT_DIR = BASE_DIR / "cms"

# --- Core -----------------------------------------------------------------------------------------

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", default=False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The public address of the site, used in e-mails, feeds and Wagtail admin links. Unless it is
# set, `make run` passes the address it serves as CMS_DEFAULT_SITE_URL (dev.py also follows
# runserver's own address), so links never point at a port nobody listens on.
SITE_URL = env_str("SITE_URL", env_str("CMS_DEFAULT_SITE_URL", "http://127.0.0.1:8000")).rstrip("/")

# The platform's name (seed 000's), a proper name shown as is in every language: the header
# and footer, page titles, the Wagtail admin, the sender and the text of every e-mail.
PLATFORM_NAME = env_str("PLATFORM_NAME", "Кластерная ИТ-платформа")
# allauth would prefix its subjects with the request's host ("[127.0.0.1:8000] ...").
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{PLATFORM_NAME}] "

# The project's own apps. core (shared helpers) comes first: it imports no other app.
PROJECT_APPS = [
    "core",
    "home",
    "extranet.members",
    "extranet.notices",
    "initiatives",
    "extranet.dashboard",
    "extranet.feed",
    "extranet.chat",
    "events",
    "ideas_exchange",
]

# `manage.py seed_demo` runs these in this order (core/demo.py): members before initiatives
# because it makes the portal admin and the editor; who joins which initiative runs deferred.
DEMO_SEEDERS = [
    "home.demo.seed",
    "extranet.members.demo.seed",
    "initiatives.demo.seed",
    # English versions of the home page, two initiatives and three news (issue 17).
    "initiatives.demo_english.seed",
    "extranet.feed.demo.seed",
    "extranet.chat.demo.seed",
    "events.demo.seed",
    "ideas_exchange.demo.seed",
    "extranet.dashboard.demo.seed",
]

INSTALLED_APPS = [
    # daphne first: its runserver replaces Django's so `manage.py runserver` speaks ASGI.
    "daphne",
    *PROJECT_APPS,
    # English versions of pages (issue 17): the translation editor, its progress and sync.
    # wagtail_localize.locales replaces wagtail.locales (the languages' admin).
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtail_modeladmin",
    "modelcluster",
    "taggit",
    "django_filters",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.vk",
    "allauth.socialaccount.providers.yandex",
    "allauth.socialaccount.providers.mailru",
    # Two-factor authentication (TOTP, recovery codes, WebAuthn) and the list of one's
    # sessions with «Выйти на других устройствах» (extranet/members/mfa.py wires them).
    "allauth.mfa",
    "allauth.usersessions",
    # allauth's security-key list formats its dates with humanize.
    "django.contrib.humanize",
    "notifications",
    "channels",
    "django_tasks",
    "django_tasks_db",
    "phonenumber_field",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # First: every log line of the request, the other middleware's included, carries its id.
    "core.requestid.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the page cache, so a cached page gets this response's policy (core/csp.py).
    "core.csp.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "cms.middleware.PreferredLanguageMiddleware",
    # On /en/ addresses, links to Russian pages keep the /en/ prefix (core/locales.py).
    "core.locales.LinkLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "extranet.dashboard.audience.AudienceMiddleware",
    # Guests' public pages from the cache (core/pagecache.py): after the language is chosen
    # and the audience is counted, before anything that would touch the session or messages.
    "core.pagecache.PageCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # The session's last activity for the cabinet's «Сеансы», at most one write per interval
    # (extranet/members/sessions.py); admins without a second factor sent to its setup
    # (extranet/members/mfa.py).
    "extranet.members.sessions.SessionActivityMiddleware",
    "extranet.members.mfa.MFARequiredMiddleware",
    "home.redirects.LanguageRedirectMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"
ASGI_APPLICATION = "cms.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "cms.context_processors.site",
                "core.csp.context_processor",
                # Last, so that on a page cached for guests it replaces the CSRF token.
                "core.pagecache.context_processor",
            ],
        },
    },
]

# --- Data -----------------------------------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=0,
    )
}
DATABASE_IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")

if REDIS_URL:
    CACHES = {
        "default": {
            # Redis's own backend, but a Redis restart costs the cache, not the pages
            # (core/cache.py; docs/reliability.md «Redis outage»).
            "BACKEND": "core.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cms",
            # Refused at once when Redis is stopped; a host that vanished costs 1 s, not
            # the kernel's connect timeout, per attempt.
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            # The Pub/Sub layer: higher throughput than the core layer and no per-process
            # connection-pool overflow at hundreds of clients (DESIGN.md, "Stack").
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            # Its own prefix lets two sites (or a load test) share one Redis without crosstalk.
            "CONFIG": {"hosts": [REDIS_URL], "prefix": env_str("CHANNEL_LAYER_PREFIX", "cms")},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"),
    }
}

# --- Accounts -------------------------------------------------------------------------------------

AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "cabinet"
LOGOUT_REDIRECT_URL = "/"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, stated so the limits are visible and reviewed.
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_ADAPTER = "extranet.members.adapter.AccountAdapter"
# Sign-up also asks for first and last name and an explicit, recorded consent.
ACCOUNT_FORMS = {"signup": "extranet.members.forms.SignupForm"}
# The Wagtail admin signs people in through allauth's login (its rate limits and checks apply),
# by way of cms.views.AdminLoginRedirectView, which refuses signed-in people without access.
WAGTAILADMIN_LOGIN_URL = "wagtailadmin_login_redirect"
# Wagtail's own reset form has no rate limit; cms/urls.py sends it to allauth's, and this
# keeps Wagtail's pages from linking to it.
WAGTAIL_PASSWORD_RESET_ENABLED = False

# Two-factor authentication (allauth.mfa) for everyone: an authenticator app (TOTP) with
# recovery codes, or a security key (WebAuthn). allauth asks for the code after the password;
# wrong codes count against the login_failed limit above, per account.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_ADAPTER = "extranet.members.mfa.MFAAdapter"
# The name authenticator apps show beside the code.
MFA_TOTP_ISSUER = PLATFORM_NAME
# One 30-second step either way, for phones whose clock drifts; a code works only once.
MFA_TOTP_TOLERANCE = 1
# Passkey sign-in without a password stays off: the login page is built around the password
# and its rate limits, and a passkey is offered as the second factor instead.
MFA_PASSKEY_LOGIN_ENABLED = False
# WebAuthn needs https, or http://localhost (not 127.0.0.1) in development. This accepts any
# origin and is for development only: production.py refuses it.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env_bool("MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN", False)
# The portal admin and initiative admins must set up a second factor before any other page
# (extranet/members/mfa.py). Off here and in development and tests; on in production.
MFA_REQUIRED_FOR_ADMINS = env_bool("MFA_REQUIRED_FOR_ADMINS", False)

# One's sessions (allauth.usersessions) in the cabinet, with the last activity of each,
# written at most once per USERSESSIONS_ACTIVITY_INTERVAL seconds per session
# (extranet/members/sessions.py; allauth's own middleware would write on every request).
USERSESSIONS_TRACK_ACTIVITY = True
USERSESSIONS_ACTIVITY_INTERVAL = env_int("USERSESSIONS_ACTIVITY_INTERVAL", 300)
USERSESSIONS_ADAPTER = "extranet.members.sessions.UserSessionsAdapter"

# Social sign-in: a provider is offered only when both its client id and secret are set here
# (or a SocialApp exists in the database).
_SOCIAL_CREDENTIALS = {
    "google": (env_str("GOOGLE_CLIENT_ID"), env_str("GOOGLE_CLIENT_SECRET")),
    "vk": (env_str("VK_CLIENT_ID"), env_str("VK_CLIENT_SECRET")),
    "yandex": (env_str("YANDEX_CLIENT_ID"), env_str("YANDEX_CLIENT_SECRET")),
    "mailru": (env_str("MAILRU_CLIENT_ID"), env_str("MAILRU_CLIENT_SECRET")),
}
SOCIALACCOUNT_PROVIDERS: dict = {
    provider: {"APPS": [{"client_id": client_id, "secret": secret, "key": ""}]}
    for provider, (client_id, secret) in _SOCIAL_CREDENTIALS.items()
    if client_id and secret
}
# Invitations by e-mail: how long a link works, and how many one admin may send per hour.
INVITATION_EXPIRY_DAYS = env_int("INVITATION_EXPIRY_DAYS", 14)
INVITATIONS_PER_ADMIN_PER_HOUR = env_int("INVITATIONS_PER_ADMIN_PER_HOUR", 30)
# The privacy policy version people consent to at sign-up; raise it when the policy changes.
PRIVACY_POLICY_VERSION = env_str("PRIVACY_POLICY_VERSION", "2026-11")
# Numbers typed without a country code are Belarusian; stored in E.164 (+375...).
PHONENUMBER_DEFAULT_REGION = "BY"
PHONENUMBER_DB_FORMAT = "E164"

# --- Languages and time ---------------------------------------------------------------------------

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("TIME_ZONE", "Europe/Minsk")
# The language switch remembers the choice for a year.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# Pages exist in Russian and, where an editor translated them, in English (issue 17).
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

# --- Static and uploaded files --------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
MEDIA_URL = "/media/"
MEDIA_ROOT = env_str("MEDIA_ROOT", str(BASE_DIR / "media"))
# Members' uploads live here, outside MEDIA_ROOT, and are served only by permission-checked views.
PRIVATE_MEDIA_ROOT = env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private-media"))
# MEDIA_STORAGE: these folders (on one shared volume when there are several app hosts), or
# S3-compatible object storage (cms/settings/storage.py).
STORAGES = {
    **media_storages(PRIVATE_MEDIA_ROOT),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# With object storage: private downloads redirect to a short-lived signed URL (after the
# permission check) instead of streaming through Django.
PRIVATE_MEDIA_REDIRECT = private_media_redirect()

_MB = 1024 * 1024
# The largest file a member may upload (feed attachments, chat files), and a profile photo.
UPLOAD_MAX_SIZE = env_int("UPLOAD_MAX_SIZE_MB", 20) * _MB
IMAGE_MAX_SIZE = env_int("IMAGE_MAX_SIZE_MB", 10) * _MB
# Non-file request bodies above this are refused (file parts are not counted: upload views
# check UPLOAD_MAX_SIZE, and the reverse proxy's client_max_body_size caps whole requests).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * _MB
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * _MB
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# What members may attach in the feed (and later the chat): documents, spreadsheets,
# presentations, PDF, images, archives. The content must match the extension
# (core.uploads knows each of these; unknown ones are ignored).
UPLOAD_ALLOWED_EXTENSIONS = [
    ext.lower().lstrip(".")
    for ext in env_list(
        "UPLOAD_ALLOWED_EXTENSIONS",
        [
            "pdf",
            "doc",
            "docx",
            "odt",
            "rtf",
            "txt",
            "xls",
            "xlsx",
            "ods",
            "csv",
            "ppt",
            "pptx",
            "odp",
            "jpg",
            "jpeg",
            "png",
            "gif",
            "webp",
            "zip",
            "7z",
            "rar",
        ],
    )
]
# How many files one feed post may carry.
FEED_MAX_ATTACHMENTS = env_int("FEED_MAX_ATTACHMENTS", 10)
# Files one idea of the ideas exchange may carry (each checked like the feed's).
IDEAS_MAX_ATTACHMENTS = env_int("IDEAS_MAX_ATTACHMENTS", 10)

# --- Chat ----------------------------------------------------------------------------------------

# How many files one chat message may carry (each checked as the feed's are).
CHAT_MAX_ATTACHMENTS = env_int("CHAT_MAX_ATTACHMENTS", 10)
# Sending is limited per person across tabs and server processes: at most CHAT_RATE_LIMIT
# messages in every window of CHAT_RATE_WINDOW seconds, then a clear error.
CHAT_RATE_LIMIT = env_int("CHAT_RATE_LIMIT", 30)
CHAT_RATE_WINDOW = env_int("CHAT_RATE_WINDOW", 10)
# Threads per server process for the chat socket's database work (0: Channels' one shared
# thread). Keep it within the database pool (DATABASE_POOL_MAX) of each process.
CHAT_DB_THREADS = env_int("CHAT_DB_THREADS", 4)
# A message still unread after this many minutes is e-mailed to its recipient (the
# «Сообщения» category of their notification settings decides how).
CHAT_MISSED_MESSAGE_DELAY_MINUTES = env_int("CHAT_MISSED_MESSAGE_DELAY_MINUTES", 10)
# Whether that e-mail quotes the message (off: it says who wrote, with a link).
CHAT_EMAIL_MESSAGE_TEXT = env_bool("CHAT_EMAIL_MESSAGE_TEXT", False)
WAGTAILIMAGES_MAX_UPLOAD_SIZE = IMAGE_MAX_SIZE
WAGTAILDOCS_MAX_UPLOAD_SIZE = UPLOAD_MAX_SIZE
WAGTAILDOCS_EXTENSIONS = [
    "csv",
    "docx",
    "doc",
    "odt",
    "ods",
    "odp",
    "pdf",
    "pptx",
    "rtf",
    "txt",
    "xlsx",
    "zip",
]
WAGTAILDOCS_SERVE_METHOD = "serve_view"

# --- E-mail ---------------------------------------------------------------------------------------

_EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}
_email_backend = env_str("EMAIL_BACKEND", "console")
EMAIL_BACKEND = _EMAIL_BACKENDS.get(_email_backend, _email_backend)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"{PLATFORM_NAME} <noreply@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
ADMINS = [("Admin", address) for address in env_list("ADMIN_EMAILS")]
# After a failed send, wait this many seconds before each retry (then the message is
# "failed", shown to the portal admin at /cabinet/admin/emails/ with «Отправить снова»).
EMAIL_RETRY_DELAYS = [int(s) for s in env_list("EMAIL_RETRY_DELAYS", ["60", "300", "1800", "7200"])]
# Sent e-mails are kept this long in the outbox (manage.py prune_notifications removes them).
OUTGOING_EMAIL_KEEP_DAYS = env_int("OUTGOING_EMAIL_KEEP_DAYS", 30)

# --- Notifications --------------------------------------------------------------------------------

# django-notifications' own model (its swappable setting names it; migrations need it).
NOTIFICATIONS_NOTIFICATION_MODEL = "notifications.Notification"
DJANGO_NOTIFICATIONS_CONFIG = {"USE_JSONFIELD": True, "SOFT_DELETE": False}
# Read notifications older than this are removed by `manage.py prune_notifications` (cron).
NOTIFICATIONS_PRUNE_DAYS = env_int("NOTIFICATIONS_PRUNE_DAYS", 90)
# How long the unsubscribe link of an e-mail works.
UNSUBSCRIBE_TOKEN_MAX_AGE_DAYS = env_int("UNSUBSCRIBE_TOKEN_MAX_AGE_DAYS", 365)
# `manage.py send_digests` renders and sends this many recipients' digests per SMTP connection.
DIGEST_BATCH_SIZE = env_int("DIGEST_BATCH_SIZE", 200)

# --- Indicators -----------------------------------------------------------------------------------

# How long a computed indicators report is reused (seconds): the page may lag this much.
INDICATORS_CACHE_SECONDS = env_int("INDICATORS_CACHE_SECONDS", 300)
# The site's own audience counting (extranet/dashboard/audience.py): off, no page view is
# recorded. Visitors are keyed hashes with a monthly salt; no IP address is stored.
AUDIENCE_ENABLED = env_bool("AUDIENCE_ENABLED", True)

# --- Page cache ----------------------------------------------------------------------------------

# Guests get the public pages (home, initiatives, news, events, the ideas board) from the
# cache, purged on publish, unpublish, move and delete (core/pagecache.py). Off: every page is
# rendered for every request.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
# How long a cached page lives in this site's own cache when nothing purges it (seconds).
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 3600)
# How long a shared cache in front of the site (nginx, a CDN), which purges cannot reach, may
# keep a guest's page: the `s-maxage` of its Cache-Control. 0: shared caches keep nothing.
PAGE_CACHE_SHARED_MAX_AGE = env_int("PAGE_CACHE_SHARED_MAX_AGE", 60)

# How long a rendered feed post is reused (extranet/feed/fragments.py); its key changes with
# anything it shows, so this only bounds the memory it takes.
FEED_FRAGMENT_CACHE_SECONDS = env_int("FEED_FRAGMENT_CACHE_SECONDS", 3600)

# --- Wagtail --------------------------------------------------------------------------------------

WAGTAIL_SITE_NAME = PLATFORM_NAME
WAGTAILADMIN_BASE_URL = SITE_URL
# Each page has a locale; English versions are made from the Russian ones with wagtail-localize.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_USAGE_COUNT_ENABLED = True
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        # On PostgreSQL, full-text search with Russian stemming ("кластеров" finds "кластер").
        **({"SEARCH_CONFIG": "russian"} if DATABASE_IS_POSTGRES else {}),
    }
}
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# No avatars from gravatar.com: e-mail hashes would leave the site (and images break offline).
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# --- Security defaults (production.py tightens the rest) ------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 14 * 24 * 60 * 60
# The designed page for a failed CSRF check (Django's own shows its reasons and settings hints).
CSRF_FAILURE_VIEW = "cms.views.csrf_failure"

# Content-Security-Policy (django-csp; core/csp.py adds the websockets of the host asked for and
# the admin's exception). Every script of the site is a file of its own: no inline script, no
# inline handler, no inline style. Templates put nonce="{{ csp_nonce }}" on their scripts.
_CSP_SOCIAL_LOGIN = {
    # allauth's social login is a POST that redirects to the provider, which form-action checks.
    "google": "https://accounts.google.com",
    "vk": "https://oauth.vk.com",
    "yandex": "https://oauth.yandex.ru",
    "mailru": "https://oauth.mail.ru",
}
_CSP_FRAME_SRC_DEFAULT = [
    "https://www.youtube.com",
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
    "https://rutube.ru",
    "https://vk.com",
    "https://vkvideo.ru",
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "connect-src": [SELF],
        # Video embeds of the pages' StreamField (home/blocks.py, VideoEmbedBlock).
        "frame-src": [SELF, *env_list("CSP_FRAME_SRC", _CSP_FRAME_SRC_DEFAULT)],
        "frame-ancestors": [NONE],
        "form-action": [SELF, *(_CSP_SOCIAL_LOGIN[name] for name in SOCIALACCOUNT_PROVIDERS)],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
# Wagtail admin (8.0) writes inline <script> into its choosers, date pickers and inline panels
# and has no nonce support: under these prefixes scripts may be inline (no nonce there: it
# would make browsers ignore 'unsafe-inline'). Its styles pass 'self' (tests/browser/test_csp.py).
CSP_ADMIN_PATH_PREFIXES = ["/admin/"]
CSP_ADMIN_DIRECTIVES = {"script-src": [SELF, UNSAFE_INLINE]}


def log_format(default: str) -> str:
    """LOG_FORMAT: ``plain`` text lines or ``json``, one object per line (core/logs.py)."""
    value = env_str("LOG_FORMAT", default).lower()
    if value not in ("plain", "json"):
        raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, not {value!r}.")
    return value


# Every line carries the request's id (core/requestid.py), also in the plain format.
LOG_FORMAT = log_format("plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "core.logs.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"},
        "json": {"()": "core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # One line per task run is noise in development; failures still log at ERROR.
        "django_tasks": {"level": "WARNING"},
    },
}
