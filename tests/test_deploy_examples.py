"""The production examples in deploy/ and the configuration docs agree with the code.

Pure Python, no database: nginx's config is parsed with crossplane, gunicorn's is executed in
a namespace and checked with gunicorn's own validators, the systemd units are read with
configparser and their command lines parsed by the servers' own option parsers.
"""

from __future__ import annotations

import configparser
import json
import os
import re
import secrets
import shlex
import subprocess
import sys
from pathlib import Path

import crossplane
import pytest
from django.conf import settings
from dotenv import dotenv_values

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
NGINX_CONF = DEPLOY / "nginx.conf"
GUNICORN_CONF = DEPLOY / "gunicorn.conf.py"
UNITS = DEPLOY / "systemd"
ENV_FILE = "/etc/cms/cms.env"

ENV_CALL = re.compile(r'env_(?:str|bool|int|list)\(\s*"([A-Z_0-9]+)"')
# Names the settings read straight from os.environ (CMS_READ_DOTENV decides whether .env is read).
OS_ENVIRON_READ = re.compile(r'os\.(?:environ\.get|environ\[|getenv)\(?\s*"([A-Z_0-9]+)"')
ENV_EXAMPLE_LINE = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=")
README_TABLE_ROW = re.compile(r"^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|")

NGINX_SIZE_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}
NGINX_TIME_UNITS = {"ms": 0.001, "": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


# --- helpers -----------------------------------------------------------------------------------


def _nginx_size(value: str) -> int:
    match = re.fullmatch(r"(\d+)([kKmMgG]?)", value)
    assert match, f"not an nginx size: {value!r}"
    return int(match.group(1)) * NGINX_SIZE_UNITS[match.group(2).lower()]


def _nginx_seconds(value: str) -> float:
    total = 0.0
    for number, unit in re.findall(r"(\d+)(ms|[smhd]?)", value):
        total += int(number) * NGINX_TIME_UNITS[unit]
    return total


def _directives(block: list[dict], name: str) -> list[dict]:
    return [d for d in block if d["directive"] == name]


def _one(block: list[dict], name: str) -> list[str]:
    found = _directives(block, name)
    assert len(found) == 1, f"expected one {name!r}, found {len(found)}"
    return found[0]["args"]


def _headers(block: list[dict]) -> dict[str, str]:
    return {d["args"][0].lower(): d["args"][1] for d in _directives(block, "proxy_set_header")}


@pytest.fixture(scope="module")
def nginx_site(tmp_path_factory) -> list[dict]:
    """deploy/nginx.conf parsed as nginx would see it: included in the http {} context."""
    main = tmp_path_factory.mktemp("nginx") / "nginx.conf"
    main.write_text(f"events {{}}\nhttp {{\n    include {NGINX_CONF};\n}}\n")
    payload = crossplane.parse(str(main), strict=True, check_ctx=True, check_args=True)
    assert payload["status"] == "ok", payload["errors"]
    (site,) = [c for c in payload["config"] if Path(c["file"]) == NGINX_CONF]
    return site["parsed"]


@pytest.fixture(scope="module")
def tls_server(nginx_site) -> list[dict]:
    servers = [
        d["block"]
        for d in _directives(nginx_site, "server")
        if any("ssl" in listen["args"] for listen in _directives(d["block"], "listen"))
    ]
    assert len(servers) == 1, "expected one server block listening with ssl"
    return servers[0]


def _location(server: list[dict], *args: str) -> list[dict]:
    for directive in _directives(server, "location"):
        if tuple(directive["args"]) == args:
            return directive["block"]
    raise AssertionError(f"no location {' '.join(args)}")


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    with open(UNITS / name, encoding="utf-8") as handle:
        parser.read_file(handle)
    return parser


def _unit_environment(service: configparser.SectionProxy) -> dict[str, str]:
    return dict(item.split("=", 1) for item in shlex.split(service["Environment"]))


def _gunicorn_namespace() -> dict:
    namespace = {"__file__": str(GUNICORN_CONF), "__name__": "__config__"}
    exec(compile(GUNICORN_CONF.read_text(), str(GUNICORN_CONF), "exec"), namespace)  # noqa: S102
    return namespace


def _uvicorn_params() -> dict:
    from uvicorn.main import main as uvicorn_cli

    argv = shlex.split(_unit("cms-ws.service")["Service"]["ExecStart"])
    assert argv[0].endswith("/uvicorn")
    return uvicorn_cli.make_context("uvicorn", argv[1:]).params


# --- nginx --------------------------------------------------------------------------------------


def test_nginx_websockets_location_upgrades_and_reaches_the_asgi_server(tls_server):
    """/ws/ is proxied over HTTP/1.1 with Upgrade/Connection headers and a long read timeout to
    the host and port the ASGI unit (cms-ws.service) listens on, with X-Forwarded-Proto set."""
    ws = _location(tls_server, "/ws/")
    uvicorn = _uvicorn_params()

    assert _one(ws, "proxy_pass") == [f"http://{uvicorn['host']}:{uvicorn['port']}"]
    assert _one(ws, "proxy_http_version") == ["1.1"]
    headers = _headers(ws)
    assert headers["upgrade"] == "$http_upgrade"
    assert headers["connection"] in {"upgrade", "$connection_upgrade"}
    assert headers["x-forwarded-proto"] == "$scheme"
    assert headers["host"] == "$host"
    (read_timeout,) = _one(ws, "proxy_read_timeout")
    assert _nginx_seconds(read_timeout) >= 600, "websockets need more than nginx's default 60 s"


def test_nginx_site_root_goes_to_gunicorn_with_forwarded_proto(tls_server):
    """Everything else (/) is proxied to the address gunicorn.conf.py binds by default, and
    X-Forwarded-Proto is set, since production trusts it (SECURE_PROXY_SSL_HEADER)."""
    root = _location(tls_server, "/")
    (bind,) = _gunicorn_namespace()["bind"]
    assert _one(root, "proxy_pass") == [f"http://{bind}"]
    assert _headers(root)["x-forwarded-proto"] == "$scheme"
    production = (ROOT / "cms" / "settings" / "production.py").read_text(encoding="utf-8")
    assert 'SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")' in production


def test_nginx_private_files_location_is_internal(tls_server):
    """/_private/ (PRIVATE_MEDIA_X_ACCEL_PREFIX) is internal: only an X-Accel-Redirect from Django
    reaches it. Its folder is not inside the public /media/ folder, and Wagtail documents are not
    served from /media/ (they go through Django's permission-checked /documents/ view)."""
    private = _location(tls_server, "/_private/")
    assert _directives(private, "internal"), "/_private/ must be internal"
    (private_root,) = _one(private, "alias")
    (media_root,) = _one(_location(tls_server, "/media/"), "alias")
    assert not private_root.startswith(media_root)
    assert _one(_location(tls_server, "/media/documents/"), "return") == ["404"]


def test_nginx_body_size_covers_the_upload_limit(nginx_site, tls_server):
    """client_max_body_size is set on the TLS server, and it and every other occurrence are at
    least settings.UPLOAD_MAX_SIZE, so nginx never refuses an upload Django would accept."""
    assert _directives(tls_server, "client_max_body_size"), "set it on the server block"

    def walk(block):
        for directive in block:
            if directive["directive"] == "client_max_body_size":
                yield directive["args"][0]
            yield from walk(directive.get("block", []))

    for value in walk(nginx_site):
        assert _nginx_size(value) >= settings.UPLOAD_MAX_SIZE, value


def test_nginx_static_location_serves_the_collected_folder(tls_server):
    """/static/ is aliased to the folder collectstatic fills in production (STATIC_ROOT of
    cms.settings.base, which production keeps) and cached."""
    from cms.settings import base

    static = _location(tls_server, "/static/")
    (alias,) = _one(static, "alias")
    assert alias.rstrip("/").endswith("/" + Path(base.STATIC_ROOT).name)
    assert _directives(static, "expires") or _directives(static, "add_header")


# --- gunicorn -----------------------------------------------------------------------------------


def test_gunicorn_conf_defaults_and_env(monkeypatch):
    """deploy/gunicorn.conf.py runs as plain Python: by default it binds 127.0.0.1:8001 with at
    least one worker and serves cms.wsgi; GUNICORN_BIND/GUNICORN_WORKERS override that; and
    every name it sets is a gunicorn setting that gunicorn's own validators accept."""
    from gunicorn.config import Config

    for name in ("GUNICORN_BIND", "GUNICORN_WORKERS", "GUNICORN_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    namespace = _gunicorn_namespace()
    assert namespace["bind"] == ["127.0.0.1:8001"]
    assert isinstance(namespace["workers"], int)
    assert namespace["workers"] >= 1
    assert namespace["wsgi_app"] == "cms.wsgi:application"

    config = Config()
    for name, value in namespace.items():
        if name.startswith("_") or isinstance(value, type(re)):
            continue
        assert name in config.settings, f"{name} is not a gunicorn setting"
        config.set(name, value)

    monkeypatch.setenv("GUNICORN_BIND", "127.0.0.1:9001")
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    namespace = _gunicorn_namespace()
    assert namespace["bind"] == ["127.0.0.1:9001"]
    assert namespace["workers"] == 3


# --- systemd ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "unit",
    [
        "cms-web.service",
        "cms-ws.service",
        "cms-worker.service",
        "cms-job@.service",
        "cms-backup.service",
    ],
)
def test_systemd_units_share_environment(unit):
    """Every unit reads /etc/cms/cms.env, runs the production settings without reading a .env
    file, runs as a non-root user in the checkout, and starts an absolute command."""
    service = _unit(unit)["Service"]
    assert service["EnvironmentFile"] == ENV_FILE
    environment = _unit_environment(service)
    assert environment["DJANGO_SETTINGS_MODULE"] == "cms.settings.production"
    assert environment["CMS_READ_DOTENV"] == "0"
    assert service["User"] not in {"", "root"}
    assert service["ExecStart"].startswith("/")
    assert Path(shlex.split(service["ExecStart"])[0]).is_absolute()
    assert "WantedBy" in _unit(unit)["Install"]


def test_systemd_web_unit_runs_gunicorn_with_the_example_config():
    """cms-web.service starts gunicorn with deploy/gunicorn.conf.py (from the checkout it runs
    in) serving cms.wsgi:application, as gunicorn's own argument parser reads the command."""
    from gunicorn.config import Config

    service = _unit("cms-web.service")["Service"]
    argv = shlex.split(service["ExecStart"])
    assert argv[0].endswith("/gunicorn")
    args = Config().parser().parse_args(argv[1:])
    assert args.args == ["cms.wsgi:application"]
    config_path = Path(args.config)
    assert config_path.is_relative_to(service["WorkingDirectory"])
    assert (ROOT / config_path.relative_to(service["WorkingDirectory"])) == GUNICORN_CONF


def test_systemd_ws_unit_runs_uvicorn_on_the_asgi_port_with_proxy_headers():
    """cms-ws.service starts uvicorn with cms.asgi:application on 127.0.0.1:8002, trusting
    X-Forwarded-* headers only from the local proxy, as uvicorn's own CLI parser reads it."""
    params = _uvicorn_params()
    assert params["app"] == "cms.asgi:application"
    assert (params["host"], params["port"]) == ("127.0.0.1", 8002)
    assert params["proxy_headers"] is True
    assert params["forwarded_allow_ips"] in {None, "127.0.0.1"}


def test_systemd_worker_unit_runs_db_worker():
    """cms-worker.service runs `manage.py db_worker` from the checkout, a command that exists,
    and production's default task backend is the database backend that worker serves."""
    from django.core.management import get_commands

    service = _unit("cms-worker.service")["Service"]
    argv = shlex.split(service["ExecStart"])
    assert Path(argv[0]).name.startswith("python")
    assert argv[1] == f"{service['WorkingDirectory']}/manage.py"
    assert argv[2] == "db_worker"
    assert get_commands()["db_worker"] == "django_tasks_db"
    production = (ROOT / "cms" / "settings" / "production.py").read_text()
    assert 'env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")' in production


def test_scheduled_jobs_are_timers_of_existing_commands():
    """Each cms-job@<command>.timer starts the template unit for a management command that
    exists, and the template runs `manage.py <command>` from the checkout: the jobs the
    README names (digests, e-mail retries, pruning) are all there."""
    from django.core.management import get_commands

    service = _unit("cms-job@.service")["Service"]
    argv = shlex.split(service["ExecStart"])
    assert argv[1:] == [f"{service['WorkingDirectory']}/manage.py", "%i"]
    timers = sorted((ROOT / "deploy" / "systemd").glob("cms-job@*.timer"))
    commands = {path.name.removeprefix("cms-job@").removesuffix(".timer") for path in timers}
    assert commands == {
        "send_digests",
        "send_queued_email",
        "prune_notifications",
        "notify_missed_messages",
        "send_event_reminders",
        "flush_audience",
        "publish_scheduled",
    }
    for path in timers:
        timer = _unit(path.name)
        assert "OnCalendar" in timer["Timer"] or "OnUnitActiveSec" in timer["Timer"]
        assert timer["Install"]["WantedBy"] == "timers.target"
    available = get_commands()
    assert {command for command in commands if command in available} == commands


def test_systemd_backup_unit_runs_the_backup_routine_nightly():
    """cms-backup.service runs scripts/backup.py from the checkout with arguments its own parser
    accepts (an absolute backup folder, the retention counts), private to its owner; its timer
    starts it once a day and makes up a missed night."""
    import importlib.util

    service = _unit("cms-backup.service")["Service"]
    argv = shlex.split(service["ExecStart"])
    assert argv[1] == f"{service['WorkingDirectory']}/scripts/backup.py"
    spec = importlib.util.spec_from_file_location("backup_script", ROOT / "scripts" / "backup.py")
    backup = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = backup  # its dataclass looks its module up there
    spec.loader.exec_module(backup)
    args = backup._parser().parse_args(argv[2:])
    assert args.command == "run"
    assert args.dest.is_absolute()
    assert min(args.keep_daily, args.keep_weekly, args.keep_monthly) >= 1
    assert service["UMask"] == "0077"
    timer = _unit("cms-backup.timer")["Timer"]
    assert timer["OnCalendar"].startswith("*-*-* ")
    assert timer["Persistent"] == "true"
    assert _unit("cms-backup.timer")["Install"]["WantedBy"] == "timers.target"


# --- configuration docs ---------------------------------------------------------------------------


# Set by tools for the settings to read, never by whoever configures the site.
TOOL_VARIABLES = {"PYTEST_XDIST_WORKER"}  # pytest-xdist names each worker (cms/settings/test.py)


def _names_read_by_settings() -> set[str]:
    names = {"DJANGO_SETTINGS_MODULE"}
    for path in sorted((ROOT / "cms" / "settings").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        names |= set(ENV_CALL.findall(source))
        names |= set(OS_ENVIRON_READ.findall(source))
    return names - TOOL_VARIABLES


def _names_in_env_example() -> set[str]:
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    return {m.group(1) for line in lines if (m := ENV_EXAMPLE_LINE.match(line))}


def _names_in_readme_table() -> set[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## Configuration\n(.*?)(?=^## )", text, re.MULTILINE | re.DOTALL)
    assert section, "README.md has no '## Configuration' section"
    rows = section.group(1).splitlines()
    return {m.group(1) for line in rows if (m := README_TABLE_ROW.match(line))}


def _names_read_at_import() -> set[str]:
    """cms.settings.env.READ after importing the test, dev and production settings.

    Measured in a fresh interpreter: in this one, tests of env.py itself add names to READ.
    """
    code = (
        "import importlib, json\n"
        "for name in ('cms.settings.test', 'cms.settings.dev', 'cms.settings.production'):\n"
        "    importlib.import_module(name)\n"
        "from cms.settings import env\n"
        "print(json.dumps(sorted(env.READ)))\n"
    )
    environ = {
        **os.environ,
        "CMS_READ_DOTENV": "0",
        # production.py refuses to import without these.
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "cluster.example.org",
        "SITE_URL": "https://cluster.example.org",
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout.splitlines()[-1]))


def test_documented_variables_match_the_settings():
    """The variables in .env.example, in README.md's configuration tables and read by
    cms/settings/*.py (env_* helpers, os.environ, plus DJANGO_SETTINGS_MODULE) are the same set;
    and every name cms.settings.env.READ collects while the test, dev and production settings
    are imported is in it (so the source scan misses no variable)."""
    in_settings = _names_read_by_settings()
    in_env_example = _names_in_env_example()
    in_readme = _names_in_readme_table()
    read = _names_read_at_import()

    assert read, "cms.settings.env.READ is empty after importing the settings"
    assert read.issubset(in_settings), sorted(read - in_settings)
    assert in_env_example == in_settings, (
        f"missing from .env.example: {sorted(in_settings - in_env_example)}; "
        f"not read by the settings: {sorted(in_env_example - in_settings)}"
    )
    assert in_readme == in_settings, (
        f"missing from README.md: {sorted(in_settings - in_readme)}; "
        f"not read by the settings: {sorted(in_readme - in_settings)}"
    )


def test_env_example_sets_nothing():
    """.env.example assigns no variable (every line is commented out), so copying it to .env
    keeps the dev defaults, as its header and README.md promise."""
    assert dotenv_values(ROOT / ".env.example") == {}


# --- nginx, several app hosts ---------------------------------------------------------------------

NGINX_MULTIHOST_CONF = DEPLOY / "nginx-multihost.conf"


@pytest.fixture(scope="module")
def multihost_site(tmp_path_factory) -> list[dict]:
    """deploy/nginx-multihost.conf parsed as nginx would see it, in the http {} context."""
    main = tmp_path_factory.mktemp("nginx-multihost") / "nginx.conf"
    main.write_text(f"events {{}}\nhttp {{\n    include {NGINX_MULTIHOST_CONF};\n}}\n")
    payload = crossplane.parse(str(main), strict=True, check_ctx=True, check_args=True)
    assert payload["status"] == "ok", payload["errors"]
    (site,) = [c for c in payload["config"] if Path(c["file"]) == NGINX_MULTIHOST_CONF]
    return site["parsed"]


def _upstream(site: list[dict], name: str) -> list[dict]:
    for directive in _directives(site, "upstream"):
        if directive["args"] == [name]:
            return directive["block"]
    raise AssertionError(f"no upstream {name}")


def _upstream_hosts(block: list[dict]) -> list[tuple[str, int]]:
    hosts = []
    for server in _directives(block, "server"):
        host, _, port = server["args"][0].rpartition(":")
        hosts.append((host, int(port)))
    return hosts


def _tls_server_of(site: list[dict]) -> list[dict]:
    (server,) = [
        d["block"]
        for d in _directives(site, "server")
        if any("ssl" in listen["args"] for listen in _directives(d["block"], "listen"))
    ]
    return server


def test_nginx_multihost_balances_every_host_without_stickiness(multihost_site):
    """The HTTP and websocket upstreams list the same hosts (more than one) on gunicorn's and
    uvicorn's ports of the single-host examples, with no ip_hash, hash or sticky directive, so
    any request of a session may reach any host; / and /ws/ proxy to them."""
    (bind,) = _gunicorn_namespace()["bind"]
    gunicorn_port = int(bind.rpartition(":")[2])
    uvicorn_port = _uvicorn_params()["port"]
    http_hosts = _upstream_hosts(_upstream(multihost_site, "cms_http"))
    ws_hosts = _upstream_hosts(_upstream(multihost_site, "cms_ws"))

    assert len(http_hosts) >= 2
    assert {port for _, port in http_hosts} == {gunicorn_port}
    assert {port for _, port in ws_hosts} == {uvicorn_port}
    assert [host for host, _ in http_hosts] == [host for host, _ in ws_hosts]
    for name in ("cms_http", "cms_ws"):
        directives = {d["directive"] for d in _upstream(multihost_site, name)}
        assert not directives & {"ip_hash", "hash", "sticky"}, name

    server = _tls_server_of(multihost_site)
    assert _one(_location(server, "/"), "proxy_pass") == ["http://cms_http"]
    assert _one(_location(server, "/ws/"), "proxy_pass") == ["http://cms_ws"]


def test_nginx_multihost_proxies_like_the_single_host_site(multihost_site, tls_server):
    """/ keeps upstream connections alive (HTTP/1.1, empty Connection) and sets Host,
    X-Forwarded-For and X-Forwarded-Proto; /ws/ upgrades with the same long timeout as
    deploy/nginx.conf; the body limit covers UPLOAD_MAX_SIZE."""
    server = _tls_server_of(multihost_site)
    root = _location(server, "/")
    assert _directives(_upstream(multihost_site, "cms_http"), "keepalive")
    assert _one(root, "proxy_http_version") == ["1.1"]
    headers = _headers(root)
    assert headers["connection"] == ""
    assert headers["host"] == "$host"
    assert headers["x-forwarded-for"] == "$proxy_add_x_forwarded_for"
    assert headers["x-forwarded-proto"] == "$scheme"

    ws = _location(server, "/ws/")
    single_ws = _location(tls_server, "/ws/")
    assert _headers(ws) == _headers(single_ws)
    assert _one(ws, "proxy_http_version") == ["1.1"]
    assert _one(ws, "proxy_read_timeout") == _one(single_ws, "proxy_read_timeout")
    (body,) = _one(server, "client_max_body_size")
    assert _nginx_size(body) >= settings.UPLOAD_MAX_SIZE


def test_nginx_multihost_files_match_the_single_host_site(multihost_site, tls_server):
    """Static files, public media, the 404 on /media/documents/ and the internal /_private/
    location (X-Accel-Redirect, only reachable from Django) use deploy/nginx.conf's paths."""
    server = _tls_server_of(multihost_site)
    for path in ("/static/", "/media/", "/_private/"):
        assert _one(_location(server, path), "alias") == _one(_location(tls_server, path), "alias")
    assert _directives(_location(server, "/_private/"), "internal")
    assert _one(_location(server, "/media/documents/"), "return") == ["404"]
    hashed = "^/static/(.+\\.[0-9a-f]{12}\\.[A-Za-z0-9]+)$"
    assert _one(_location(server, "~", hashed), "alias") == _one(
        _location(tls_server, "~", hashed), "alias"
    )
