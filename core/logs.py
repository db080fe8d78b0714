"""Log records with the request they belong to, as plain text or one JSON object per line.

``settings.LOGGING`` puts :class:`RequestIdFilter` on the console handler and picks the formatter
by ``LOG_FORMAT``: ``plain`` (development) or ``json`` (production: :class:`JsonFormatter`, one
object per line with ``timestamp``, ``level``, ``logger``, ``message``, ``request_id``,
``user_id``, ``method``, ``path`` and the traceback when there is one).
"""

from __future__ import annotations

import logging

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

from .requestid import current, current_user_id


class RequestIdFilter(logging.Filter):
    """Adds ``request_id``, ``user_id``, ``method`` and ``path`` to every record (None outside
    a request: commands, the task worker, start-up)."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = current()
        record.request_id = context.request_id if context else None
        record.user_id = current_user_id()
        record.method = context.method if context else None
        record.path = context.path if context else None
        return True


class JsonFormatter(BaseJsonFormatter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "fmt",
            ["asctime", "levelname", "name", "message", "request_id", "user_id", "method", "path"],
        )
        kwargs.setdefault(
            "rename_fields", {"asctime": "timestamp", "levelname": "level", "name": "logger"}
        )
        # Django's request loggers pass the HttpRequest itself as ``request``; its repr says
        # nothing the fields above do not, and a socket or other object is not JSON.
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, "request"])
        kwargs.setdefault("datefmt", "%Y-%m-%dT%H:%M:%S%z")
        super().__init__(*args, **kwargs)
