"""The one helper every app asks whether a service is switched on for an initiative.

A switched-off service is absent from the UI (templates ask :func:`service_enabled`) and its
URLs answer 404 (views call :func:`require_service`).
"""

from __future__ import annotations

from enum import StrEnum

from django.http import Http404


class Service(StrEnum):
    FEED = "feed"
    CHAT = "chat"
    DIRECTORY = "directory"
    EVENTS = "events"
    IDEAS = "ideas"


def service_enabled(initiative, service: Service | str) -> bool:
    """True when ``service`` is on for ``initiative`` (an InitiativePage)."""
    return bool(getattr(initiative, f"{Service(service).value}_enabled"))


def require_service(initiative, service: Service | str) -> None:
    """Raise 404 when the service is off, as if its URLs did not exist."""
    if not service_enabled(initiative, service):
        raise Http404


def directory_shows_phone(initiative) -> bool:
    return bool(initiative.directory_shows_phone)


def join_by_invitation_only(initiative) -> bool:
    return initiative.join_policy == initiative.JoinPolicy.INVITATION
