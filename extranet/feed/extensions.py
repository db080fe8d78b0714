"""Where other apps plug into the feed without the feed importing them.

- ``FEED_EVENT_CHOICES_HOOK``: ``fn(initiative) -> list[tuple[int, str]]``, the event pages
  an «анонс мероприятия» of ``initiative``'s feed may link, as ``(page_id, label)`` (the
  events app registers it in ``events/feed_link.py``, by this name, since a public app may
  not import the extranet). Asked fresh each time a post form is shown or posted: what is
  offered is also what is accepted.

Until something registers, the post form has no event choice and no post links an event.
"""

from __future__ import annotations

from wagtail import hooks

FEED_EVENT_CHOICES_HOOK = "feed_event_choices"


def event_choices(initiative) -> list[tuple[int, str]]:
    """Every provider's choices for ``initiative``, each page once, in the providers' order."""
    seen: set[int] = set()
    choices: list[tuple[int, str]] = []
    for provider in hooks.get_hooks(FEED_EVENT_CHOICES_HOOK):
        for page_id, label in provider(initiative):
            if page_id not in seen:
                seen.add(page_id)
                choices.append((int(page_id), str(label)))
    return choices
