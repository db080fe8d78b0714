"""Configuration from the environment: parsing, the Redis switch, and production's guards."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from cms.settings import env

ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str, **env_vars: str) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter with a clean, explicit environment."""
    environment = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "CMS_READ_DOTENV": "0",
        **env_vars,
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRINT_BACKENDS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.CHANNEL_LAYERS['default']['BACKEND']); print(s.CACHES['default']['BACKEND'])"
)


def test_env_helpers_parse_and_reject(monkeypatch):
    """Booleans, integers and lists parse; a malformed value stops start-up with its name."""
    monkeypatch.setenv("X_BOOL", "yes")
    monkeypatch.setenv("X_INT", "42")
    monkeypatch.setenv("X_LIST", " a.example, ,b.example ")
    assert env.env_bool("X_BOOL") is True
    assert env.env_int("X_INT", 1) == 42
    assert env.env_list("X_LIST") == ["a.example", "b.example"]
    assert env.env_str("X_MISSING", "fallback") == "fallback"
    monkeypatch.setenv("X_BOOL", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_BOOL"):
        env.env_bool("X_BOOL")
    monkeypatch.setenv("X_INT", "forty")
    with pytest.raises(ImproperlyConfigured, match="X_INT"):
        env.env_int("X_INT", 1)


def test_env_file_is_read_but_real_environment_wins(tmp_path, monkeypatch):
    """A .env file fills in variables; one already set in the environment is kept."""
    dotenv = tmp_path / ".env"
    dotenv.write_text("X_FROM_FILE=file\nX_BOTH=file\n", encoding="utf-8")
    monkeypatch.delenv("X_FROM_FILE", raising=False)
    monkeypatch.setenv("X_BOTH", "environment")
    assert env.read_env_file(dotenv)
    assert os.environ["X_FROM_FILE"] == "file"
    assert os.environ["X_BOTH"] == "environment"
    monkeypatch.delenv("X_FROM_FILE")


def test_without_redis_url_memory_layer_and_local_cache():
    """Unset REDIS_URL: the in-memory channel layer and the local-memory cache."""
    result = run_python(PRINT_BACKENDS, DJANGO_SETTINGS_MODULE="cms.settings.dev")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "channels.layers.InMemoryChannelLayer",
        "django.core.cache.backends.locmem.LocMemCache",
    ]


def test_with_redis_url_redis_layer_and_cache():
    """REDIS_URL set: the channels-redis Pub/Sub layer and Django's Redis cache."""
    result = run_python(
        PRINT_BACKENDS,
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
        REDIS_URL="redis://127.0.0.1:6379/5",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "channels_redis.pubsub.RedisPubSubChannelLayer",
        "django.core.cache.backends.redis.RedisCache",
    ]


def test_database_url_selects_postgres():
    """DATABASE_URL chooses the database; PostgreSQL turns on Russian full-text search."""
    result = run_python(
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE']); "
        "print(s.WAGTAILSEARCH_BACKENDS['default'].get('SEARCH_CONFIG'))",
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
        DATABASE_URL="postgres://user:pw@db.internal:5432/cms",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "russian"]


def test_production_refuses_to_start_without_secret_key_or_host():
    """cms.settings.production refuses a missing or weak SECRET_KEY, and a missing host."""
    code = "import django; django.setup()"
    missing = run_python(code, DJANGO_SETTINGS_MODULE="cms.settings.production")
    assert missing.returncode != 0
    assert "SECRET_KEY must be set" in missing.stderr
    weak = run_python(code, DJANGO_SETTINGS_MODULE="cms.settings.production", SECRET_KEY="short")
    assert weak.returncode != 0
    assert "at least 50 characters" in weak.stderr
    no_host = run_python(
        code, DJANGO_SETTINGS_MODULE="cms.settings.production", SECRET_KEY=secrets.token_urlsafe(64)
    )
    assert no_host.returncode != 0
    assert "ALLOWED_HOSTS must be set" in no_host.stderr


# The variables README.md lists for a production deployment.
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "cms.settings.production",
    "ALLOWED_HOSTS": "cluster.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://cluster.example.org",
    "SITE_URL": "https://cluster.example.org",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_BACKEND": "smtp",
    "EMAIL_HOST": "smtp.example.org",
    "EMAIL_PORT": "587",
    "EMAIL_USE_TLS": "1",
    "DEFAULT_FROM_EMAIL": "Кластерная платформа <noreply@cluster.example.org>",
}


def test_production_check_deploy_is_clean(tmp_path):
    """`manage.py check --deploy` reports no issue at all with the documented variables set."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env={
            "PATH": os.environ["PATH"],
            "CMS_READ_DOTENV": "0",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
            **PRODUCTION_ENV,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
