"""Configuration from the environment: parsing, the Redis switch, and production's guards."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

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
    """REDIS_URL set: the channels-redis Pub/Sub layer and Django's Redis cache (failing open,
    core/cache.py)."""
    result = run_python(
        PRINT_BACKENDS,
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
        REDIS_URL="redis://127.0.0.1:6379/5",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "channels_redis.pubsub.RedisPubSubChannelLayer",
        "core.cache.FailOpenRedisCache",
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
    "TRUSTED_PROXY_COUNT": "1",
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
            # check does not connect; the host need not exist.
            "DATABASE_URL": "postgres://cms@db.internal:5432/cms",
            **PRODUCTION_ENV,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def _production_check(tmp_path, **overrides) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ["PATH"],
        "CMS_READ_DOTENV": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": "postgres://cms@db.internal:5432/cms",
        **PRODUCTION_ENV,
        **overrides,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={key: value for key, value in env.items() if value is not None},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_sqlite_in_process_engines_and_an_unstated_proxy_count(tmp_path):
    """Production's own checks (core/checks.py) stop `manage.py check` (and so `migrate`)
    on SQLite, without Redis (the in-memory channel layer and the local-memory cache) and
    without TRUSTED_PROXY_COUNT, each with its id and a hint."""
    result = _production_check(
        tmp_path,
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        REDIS_URL=None,
        TRUSTED_PROXY_COUNT=None,
    )
    assert result.returncode != 0
    for check_id in ("core.E001", "core.E002", "core.E003", "core.E004"):
        assert check_id in result.stderr, result.stderr
    assert "HINT: Set REDIS_URL" in result.stderr


@pytest.mark.parametrize(
    ("overrides", "check_id"),
    [
        ({"DATABASE_URL": "sqlite:///prod.sqlite3"}, "core.E001"),
        ({"REDIS_URL": None}, "core.E002"),
        ({"TRUSTED_PROXY_COUNT": None}, "core.E004"),
    ],
)
def test_each_production_refusal_on_its_own(tmp_path, overrides, check_id):
    """One missing piece is enough to refuse, and names only what is wrong."""
    result = _production_check(tmp_path, **overrides)
    assert result.returncode != 0
    assert check_id in result.stderr
    others = {"core.E001", "core.E004"} - {check_id}
    if check_id != "core.E002":
        others |= {"core.E002", "core.E003"}
    assert not any(other in result.stderr for other in others), result.stderr


def test_development_settings_are_not_refused():
    """The same engines are fine outside production (make run, the tests)."""
    result = run_python(
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('check')",
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
    )
    assert result.returncode == 0, result.stderr


PRINT_SITE_URL = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.SITE_URL); print(s.WAGTAILADMIN_BASE_URL)"
)


def _make_run_commands(*args: str) -> dict[str, str]:
    """The shell lines `make -n run ...` would execute for seed_demo and runserver."""
    result = subprocess.run(
        ["make", "-n", "run", *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    return {
        command: next(line for line in lines if f"manage.py {command}" in line)
        for command in ("seed_demo", "runserver")
    }


@pytest.mark.django_db
def test_make_run_port_reaches_site_url_seed_output_and_invitation_links(
    settings, people, gorki, django_capture_on_commit_callbacks
):
    """`make run HOST=… PORT=8311` without SITE_URL: the settings' SITE_URL (and Wagtail's base
    URL) is http://127.0.0.1:8311, so seed_demo's «Site:» line and an invitation e-mail's link
    use the port actually served, not 8000."""
    from django.core import mail

    from extranet.members.invitations import invitation_create, invitation_send

    commands = _make_run_commands("HOST=127.0.0.1", "PORT=8311")
    assert "runserver 127.0.0.1:8311" in commands["runserver"]
    variables = {}
    for command in commands.values():
        prefix = command.split(" ")[0]
        assert prefix.startswith("CMS_DEFAULT_SITE_URL="), command
        name, value = prefix.split("=", 1)
        variables[name] = value
    result = run_python(PRINT_SITE_URL, DJANGO_SETTINGS_MODULE="cms.settings.dev", **variables)
    assert result.returncode == 0, result.stderr
    site_url, wagtail_base_url = result.stdout.split()
    assert site_url == wagtail_base_url == "http://127.0.0.1:8311"

    settings.SITE_URL = settings.WAGTAILADMIN_BASE_URL = site_url
    out = StringIO()
    call_command("seed_demo", "--force", stdout=out)
    assert "Site: http://127.0.0.1:8311/" in out.getvalue()
    invitation, token = invitation_create(
        initiative=gorki, email="guest@example.com", invited_by=people["initiative_admin"]
    )
    with django_capture_on_commit_callbacks(execute=True):  # e-mail is queued on commit
        invitation_send(invitation=invitation, token=token)
    assert f"http://127.0.0.1:8311/invitations/{token}/" in mail.outbox[-1].body


def test_explicit_site_url_wins_over_the_served_address():
    """SITE_URL set (in the environment, or in .env, which fills the environment) is kept
    whatever `make run` or `runserver` serve on; a trailing slash is dropped."""
    result = run_python(
        PRINT_SITE_URL,
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
        CMS_DEFAULT_SITE_URL="http://127.0.0.1:8311",
        SITE_URL="https://cluster.example.org/",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["https://cluster.example.org"] * 2
    runserver = run_python(
        "import sys; sys.argv = ['manage.py', 'runserver', '8422']; " + PRINT_SITE_URL,
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
        SITE_URL="https://cluster.example.org",
    )
    assert runserver.returncode == 0, runserver.stderr
    assert runserver.stdout.split() == ["https://cluster.example.org"] * 2


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["runserver", "127.0.0.1:8422"], "http://127.0.0.1:8422"),
        (["runserver", "--noreload", "8423"], "http://127.0.0.1:8423"),
        (["runserver", "-v", "2", "localhost:8424"], "http://localhost:8424"),
        (["runserver", "[::1]:8425", "--nostatic"], "http://[::1]:8425"),
        (["runserver"], "http://127.0.0.1:8000"),
        (["seed_demo"], "http://127.0.0.1:8000"),
    ],
)
def test_runserver_in_dev_serves_links_on_its_own_address(argv, expected):
    """`manage.py runserver [addr:]port` with dev settings and no SITE_URL: links follow the
    address it serves (options and their values are skipped); other commands keep the default."""
    result = run_python(
        f"import sys; sys.argv = ['manage.py', *{argv!r}]; " + PRINT_SITE_URL,
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [expected] * 2
