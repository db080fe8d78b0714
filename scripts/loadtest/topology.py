"""The production topology on one machine, as data: each stack's ports, the processes'
environment and nginx's configuration. Pure functions (no processes), so tests can check them.

One *stack* is what one app host runs: gunicorn (deploy/gunicorn.conf.py, sync workers) for
HTTP and uvicorn for ``/ws/``. Every stack shares PostgreSQL, Redis and the media folders (or
the object storage). One nginx stands in front, as the load balancer: round-robin upstreams
without stickiness, plus one server per stack that reaches only that stack (``direct`` ports,
what ``crosshost.py`` uses to talk to "host A" or "host B").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
HOST = "127.0.0.1"
# The whole session (PBKDF2's hasher included) is measured; nothing in the harness changes
# the application, only the environment it reads.
SETTINGS_MODULE = "cms.settings.production"
# A fixed, obviously non-secret key: the harness's database holds demo data only.
HARNESS_SECRET_KEY = "loadtest-not-a-secret-" + "k3y-" * 10
CHANNEL_LAYER_PREFIX = "cms-loadtest"


@dataclass(frozen=True)
class Stack:
    """One app host: its gunicorn and uvicorn ports and nginx's port reaching only it."""

    index: int
    http_port: int
    ws_port: int
    direct_port: int

    @property
    def name(self) -> str:
        return "ABCDEFGH"[self.index]


@dataclass(frozen=True)
class Topology:
    port: int  # nginx's balancer port: what locust and wrk talk to
    stacks: tuple[Stack, ...]
    work_dir: Path
    static_root: Path
    media_root: Path
    private_media_root: Path
    gunicorn_workers: int = 2
    x_accel: bool = True
    extra_env: dict = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"


def make_topology(
    *,
    port: int,
    stacks: int,
    work_dir: Path,
    static_root: Path | None = None,
    media_dir: Path | None = None,
    gunicorn_workers: int = 2,
    x_accel: bool = True,
    extra_env: dict | None = None,
) -> Topology:
    """Ports follow ``port``: nginx's balancer on ``port``, stack i's direct server on
    ``port + 1 + i``, its gunicorn on ``port + 10 + 2i`` and uvicorn on ``port + 11 + 2i``."""
    if not 1 <= stacks <= 8:
        raise ValueError("stacks must be between 1 and 8")
    media_dir = media_dir or work_dir / "media"
    return Topology(
        port=port,
        stacks=tuple(
            Stack(
                index=i,
                http_port=port + 10 + 2 * i,
                ws_port=port + 11 + 2 * i,
                direct_port=port + 1 + i,
            )
            for i in range(stacks)
        ),
        work_dir=work_dir,
        # STATIC_ROOT of the app processes (collectstatic writes it; nginx serves it): in the
        # work dir, so the harness never rewrites the checkout's staticfiles/.
        static_root=static_root or work_dir / "static",
        media_root=media_dir / "public",
        private_media_root=media_dir / "private",
        gunicorn_workers=gunicorn_workers,
        x_accel=x_accel,
        extra_env=dict(extra_env or {}),
    )


def app_env(
    base_env: dict, topology: Topology, *, database_url: str, redis_url: str, page_cache: bool
) -> dict:
    """The environment of every application process (gunicorn, uvicorn, the worker and the
    harness's own Django scripts): cms.settings.production as README.md's "Production"
    describes it, with what plain HTTP on 127.0.0.1 needs instead of TLS.

    SECURE_SSL_REDIRECT=0: nothing terminates TLS here, and every request would be redirected
    to https. The production settings keep their Secure cookies; the harness's clients send
    them over plain HTTP to 127.0.0.1 anyway (locustfile.py's cookie policy), as a browser
    behind TLS would."""
    env = {
        key: value
        for key, value in base_env.items()
        if not key.startswith(("DJANGO_", "GUNICORN_", "AWS_", "MEDIA_", "PRIVATE_MEDIA_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
            "CMS_READ_DOTENV": "0",
            "PYTHONPATH": str(ROOT),
            "SECRET_KEY": HARNESS_SECRET_KEY,
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "SITE_URL": topology.base_url,
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "STATIC_ROOT": str(topology.static_root),
            # The channel layer's own channels: a dev server on the same Redis never gets
            # the harness's chat events, nor the harness its.
            "CHANNEL_LAYER_PREFIX": CHANNEL_LAYER_PREFIX,
            "MEDIA_ROOT": str(topology.media_root),
            "PRIVATE_MEDIA_ROOT": str(topology.private_media_root),
            "PRIVATE_MEDIA_X_ACCEL_PREFIX": "/_private/" if topology.x_accel else "",
            "PAGE_CACHE_ENABLED": "1" if page_cache else "0",
            "EMAIL_BACKEND": "locmem",
            "LOG_LEVEL": "WARNING",
            # Two trusted proxies: the load generator stands for many people's machines and
            # sends each one's address in X-Forwarded-For, nginx appends the generator's own;
            # with 1, allauth's per-IP limits would see 127.0.0.1 for everyone (429 at ~30
            # sign-ins a minute).
            "TRUSTED_PROXY_COUNT": "2",
        }
    )
    env.update(topology.extra_env)
    return env


def gunicorn_command(venv_bin: Path, stack: Stack, workers: int) -> tuple[list[str], dict]:
    """deploy/gunicorn.conf.py unchanged; bind and workers through its own variables."""
    return (
        [str(venv_bin / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
        {
            "GUNICORN_BIND": f"{HOST}:{stack.http_port}",
            "GUNICORN_WORKERS": str(workers),
            # The access log of thousands of requests a second would cost the workers CPU.
            "GUNICORN_CMD_ARGS": "--access-logfile /dev/null",
        },
    )


def uvicorn_command(venv_bin: Path, stack: Stack) -> list[str]:
    """deploy/systemd/cms-ws.service's command line on the stack's port."""
    return [
        str(venv_bin / "uvicorn"),
        "cms.asgi:application",
        "--host",
        HOST,
        "--port",
        str(stack.ws_port),
        "--proxy-headers",
        "--forwarded-allow-ips",
        HOST,
        "--lifespan",
        "off",
        "--no-server-header",
        "--no-access-log",
    ]


def _upstreams(stacks, attr: str) -> str:
    return "\n".join(f"        server {HOST}:{getattr(s, attr)};" for s in stacks)


def _locations(http_upstream: str, ws_upstream: str, topology: Topology) -> str:
    # X-Upstream names the app server that answered (crosshost.py checks that requests of one
    # session reach both stacks through the balancer).
    private = (
        f"""
        location /_private/ {{
            internal;
            alias {topology.private_media_root}/;
            add_header X-Content-Type-Options "nosniff" always;
        }}"""
        if topology.x_accel
        else ""
    )
    return f"""
        location / {{
            proxy_pass http://{http_upstream};
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_redirect off;
            proxy_read_timeout 60s;
            add_header X-Upstream $upstream_addr always;
        }}
        location /ws/ {{
            proxy_pass http://{ws_upstream};
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_buffering off;
            proxy_read_timeout 1h;
            proxy_send_timeout 1h;
        }}
        location ~ "^/static/(.+\\.[0-9a-f]{{12}}\\.[A-Za-z0-9]+)$" {{
            alias {topology.static_root}/$1;
            gzip_static on;
            add_header Cache-Control "public, max-age=31536000, immutable";
        }}
        location /static/ {{
            alias {topology.static_root}/;
            gzip_static on;
            expires 1h;
        }}
        location /media/documents/ {{
            return 404;
        }}
        location /media/ {{
            alias {topology.media_root}/;
            expires 7d;
        }}{private}"""


def nginx_config(topology: Topology, *, user: str | None = None) -> str:
    """A complete nginx.conf for ``nginx -p <work_dir> -c <this>``: its own pid, logs and
    temporary folders under the work dir, in the foreground, the site's locations as in
    deploy/nginx.conf (without TLS). ``user``: the workers' user when nginx starts as root."""
    work = topology.work_dir / "nginx"
    servers = []
    servers.append(
        f"""
    server {{
        listen {HOST}:{topology.port} reuseport backlog=4096;
        server_name _;
        client_max_body_size 25m;
{_locations("app_http", "app_ws", topology)}
    }}"""
    )
    for stack in topology.stacks:
        servers.append(
            f"""
    # Stack {stack.name} alone: "host {stack.name}" for crosshost.py.
    server {{
        listen {HOST}:{stack.direct_port};
        server_name _;
        client_max_body_size 25m;
{_locations(f"stack{stack.index}_http", f"stack{stack.index}_ws", topology)}
    }}"""
        )
    per_stack = "\n".join(
        f"""    upstream stack{s.index}_http {{
        server {HOST}:{s.http_port};
        keepalive 16;
    }}
    upstream stack{s.index}_ws {{
        server {HOST}:{s.ws_port};
    }}"""
        for s in topology.stacks
    )
    user_line = f"user {user};\n" if user else ""
    count = len(topology.stacks)
    return f"""# Generated by scripts/loadtest (topology.py): the load balancer of {count} stack(s).
{user_line}worker_processes 1;
daemon off;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{
    worker_connections 4096;
}}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    keepalive_requests 100000;
    client_body_temp_path {work}/client_body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;

    # Round-robin, no stickiness: any request of a session may land on any stack.
    upstream app_http {{
{_upstreams(topology.stacks, "http_port")}
        keepalive 32;
    }}
    upstream app_ws {{
{_upstreams(topology.stacks, "ws_port")}
    }}
{per_stack}
{"".join(servers)}
}}
"""
