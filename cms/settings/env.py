"""The one way settings read the environment.

A ``.env`` file in the project root is read first when present; variables already set in
the real environment win over it. Every variable read here is documented in ``.env.example``
and in README.md's configuration table (a test checks that the three agree).
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def read_env_file(path: Path) -> bool:
    """Load ``path`` into ``os.environ`` without overriding variables already set."""
    return load_dotenv(path, override=False)


# CI sets CMS_READ_DOTENV=0 so a developer's .env cannot change what it checks.
if os.environ.get("CMS_READ_DOTENV", "1") != "0":
    read_env_file(BASE_DIR / ".env")

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}

# Names read through this module, collected so a test can compare them with the docs.
READ: set[str] = set()


def _raw(name: str) -> str | None:
    READ.add(name)
    value = os.environ.get(name)
    return value if value is None else value.strip()


def env_str(name: str, default: str = "") -> str:
    value = _raw(name)
    return default if value is None or value == "" else value


def env_bool(name: str, default: bool = False) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def env_int(name: str, default: int) -> int:
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    """A comma-separated list; blanks are dropped."""
    value = _raw(name)
    if value is None or value == "":
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]
