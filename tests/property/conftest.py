"""Hypothesis settings for the property-based tests of bad input (issue 16, part 3), and the
counting helpers their properties share.

Profiles (chosen with ``HYPOTHESIS_PROFILE``): ``default`` (a few dozen examples per test, the
whole folder well inside CI's time), ``ci`` (the same, derandomised so a CI run is
reproducible; chosen when ``CI`` is set) and ``thorough`` (many more examples, locally).
No example database is kept (``database=None``): nothing is written into the repository.

The examples of one test share the test's database transaction (pytest-django's ``db``), so
every property asserts on deltas: the rows counted just before and just after each request.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.apps import apps
from django.conf import settings as django_settings
from django.core import mail
from hypothesis import HealthCheck, settings

# The chat's socket fixture, for the protocol's regression test.
from tests.extranet.chat.conftest import chat_socket  # noqa: F401

_COMMON = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    "print_blob": True,
}
settings.register_profile("default", max_examples=30, **_COMMON)
settings.register_profile("ci", max_examples=30, derandomize=True, **_COMMON)
settings.register_profile("thorough", max_examples=400, **_COMMON)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "default")
)

# Every model a view of the project writes when a form is accepted: a refused submission
# must leave every count as it was.
WRITTEN_MODELS = [
    "members.User",
    "members.Profile",
    "members.Organisation",
    "members.Membership",
    "members.Invitation",
    "members.Consent",
    "feed.Post",
    "feed.Attachment",
    "feed.Comment",
    "chat.Conversation",
    "chat.Message",
    "chat.MessageAttachment",
    "chat.Block",
    "chat.Broadcast",
    "notices.EmailSettings",
    "notices.DigestItem",
    "notices.NoticeEvent",
    "notifications.Notification",
    "core.OutgoingEmail",
    "dashboard.IndicatorTarget",
    "events.Registration",
    "events.Feedback",
    "ideas_exchange.Idea",
    "ideas_exchange.IdeaAttachment",
    "ideas_exchange.IdeaComment",
    "ideas_exchange.Partnership",
    "ideas_exchange.IdeaStageChange",
    "ideas_exchange.TagSubscription",
    "account.EmailAddress",
]


def _models():
    found = []
    for label in WRITTEN_MODELS:
        try:
            found.append(apps.get_model(label))
        except LookupError as exc:  # a label that drifted is a test bug, not a pass
            raise AssertionError(f"{label} is not a model: update WRITTEN_MODELS") from exc
    return found


def private_files() -> set[str]:
    """Every file under the private media folder (relative paths)."""
    root = Path(django_settings.PRIVATE_MEDIA_ROOT)
    if not root.exists():
        return set()
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def snapshot() -> dict:
    """Row counts of every written model, the e-mails sent, the private files."""
    counts = {model._meta.label: model._default_manager.count() for model in _models()}
    counts["mail.outbox"] = len(mail.outbox)
    counts["private files"] = frozenset(private_files())
    return counts


def changes(before: dict, after: dict) -> dict:
    return {key: (before[key], after[key]) for key in before if before[key] != after[key]}
