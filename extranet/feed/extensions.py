"""Where other apps plug into the feed without the feed importing them.

- ``FEED_EVENT_CHOICES_HOOK``: ``fn(initiative) -> list[tuple[int, str]]``, the event pages
  an «анонс мероприятия» of ``initiative``'s feed may link, as ``(page_id, label)`` (the
  events app registers it in ``events/feed_link.py``, by this name, since a public app may
  not import the extranet). Asked fresh each time a post form is shown or posted: what is
  offered is also what is accepted.

- ``FEED_IDEA_CHOICES_HOOK``: ``fn(initiative, user) -> list[tuple[int, str]]``, the ideas
  of the ideas exchange a «предложение» by ``user`` in ``initiative``'s feed may link, as
  ``(idea_id, label)``; asked fresh like the events' choices (offered is accepted).
- ``FEED_IDEA_LINKS_HOOK``: ``fn(user, idea_ids) -> dict[int, tuple[str, str]]``, of
  ``idea_ids`` the ideas ``user`` may see, as ``{idea_id: (title, url)}``: a post shows its
  idea's link only to readers the exchange lets see it. One call for a whole page of posts.
  (Both registered by ``ideas_exchange/feed_link.py``.)

Until something registers, the post form has no event or idea choice and no post links one.
"""

from __future__ import annotations

from wagtail import hooks

FEED_EVENT_CHOICES_HOOK = "feed_event_choices"
FEED_IDEA_CHOICES_HOOK = "feed_idea_choices"
FEED_IDEA_LINKS_HOOK = "feed_idea_links"


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


def idea_choices(initiative, user) -> list[tuple[int, str]]:
    """Every provider's ideas ``user`` may link from ``initiative``'s feed, each once."""
    seen: set[int] = set()
    choices: list[tuple[int, str]] = []
    for provider in hooks.get_hooks(FEED_IDEA_CHOICES_HOOK):
        for idea_id, label in provider(initiative, user):
            if idea_id not in seen:
                seen.add(idea_id)
                choices.append((int(idea_id), str(label)))
    return choices


def idea_links(user, idea_ids) -> dict[int, tuple[str, str]]:
    """Of ``idea_ids``, the ideas ``user`` may see: ``{id: (title, url)}`` (none without a
    provider)."""
    ids = sorted({int(pk) for pk in idea_ids if pk is not None})
    links: dict[int, tuple[str, str]] = {}
    if not ids:
        return links
    for provider in hooks.get_hooks(FEED_IDEA_LINKS_HOOK):
        for idea_id, (title, url) in provider(user, ids).items():
            links.setdefault(int(idea_id), (str(title), str(url)))
    return links
