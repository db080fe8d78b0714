"""Local development: `make run`. Debug on, a fixed insecure key unless one is set."""

import re
import sys

from .base import *  # noqa: F403
from .base import SITE_URL
from .env import env_bool, env_str

DEBUG = env_bool("DEBUG", default=True)
SECRET_KEY = env_str("SECRET_KEY", "django-insecure-dev-only-key-do-not-use-in-production")

# runserver's options whose value is the next argument (so it is not taken for the address).
_OPTIONS_WITH_VALUE = {
    "-v",
    "--verbosity",
    "--settings",
    "--pythonpath",
    "--http_timeout",
    "--websocket_handshake_timeout",
    "--websocket-max-message-size",
    "--websocket-max-frame-size",
}
_ADDRPORT = re.compile(r"^(?:(?P<addr>\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):)?(?P<port>\d+)$")


def _runserver_url(argv: list[str]) -> str | None:
    """``http://addr:port`` when ``argv`` is ``manage.py runserver [options] [addr:]port``."""
    if argv[1:2] != ["runserver"]:
        return None
    args = iter(argv[2:])
    for arg in args:
        if arg in _OPTIONS_WITH_VALUE:
            next(args, None)
        elif match := _ADDRPORT.match(arg):
            return f"http://{match['addr'] or '127.0.0.1'}:{match['port']}"
    return None


# A developer who runs `manage.py runserver 8311` gets links to port 8311, not 8000; an explicit
# SITE_URL (environment or .env) always wins.
if not env_str("SITE_URL"):
    SITE_URL = _runserver_url(sys.argv) or SITE_URL
    WAGTAILADMIN_BASE_URL = SITE_URL
