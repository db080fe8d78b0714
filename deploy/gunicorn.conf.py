"""gunicorn settings for the HTTP workers (cms-web.service): ``gunicorn -c <this file>``.

Serves ``cms.wsgi:application`` on 127.0.0.1:8001 behind nginx (deploy/nginx.conf). Websockets
go to the ASGI server instead (cms-ws.service). Deployment knobs come from the environment
(/etc/cms/cms.env); the application's own variables are listed in README.md:

- ``GUNICORN_BIND``: address to listen on, default ``127.0.0.1:8001``.
- ``GUNICORN_WORKERS``: worker processes, default ``2 * CPUs + 1``.
- ``GUNICORN_TIMEOUT``: seconds before a silent worker is killed and restarted, default 30.

Every worker process has its own PostgreSQL pool of up to DATABASE_POOL_MAX connections, so
workers x DATABASE_POOL_MAX (plus the ASGI server's and the task worker's) must stay below
PostgreSQL's ``max_connections``.
"""

import multiprocessing
import os

wsgi_app = "cms.wsgi:application"

bind = [os.environ.get("GUNICORN_BIND") or "127.0.0.1:8001"]
workers = int(os.environ.get("GUNICORN_WORKERS") or multiprocessing.cpu_count() * 2 + 1)
# Sync workers: Wagtail's views are synchronous, and measured here they serve about twice the
# requests per second of the same views on an ASGI server (DESIGN.md, "Running it").
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
graceful_timeout = 30
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = 1000
max_requests_jitter = 100
# systemd supervises the process; no gunicornc control socket in the service user's home
# (gunicorn >= 25.1; older versions ignore the name).
control_socket_disable = True
# Not preloaded: each worker opens its own database pool after the fork.
preload_app = False

# Logs to stdout/stderr, which systemd's journal collects.
accesslog = "-"
errorlog = "-"
loglevel = "info"
