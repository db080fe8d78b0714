"""Listing sections of the home page, filled by whichever apps provide them.

The home page knows four kinds of listing (initiatives, upcoming events, latest news, ideas)
but not the apps behind them. An app registers a :class:`SectionSource` through the Wagtail
hook ``register_home_section_source`` in its ``wagtail_hooks.py``; until one does, the section
shows its empty state. This keeps ``home`` free of imports from the feature apps.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from wagtail import hooks

HOOK_NAME = "register_home_section_source"

INITIATIVES = "initiatives"
EVENTS = "events"
NEWS = "news"
IDEAS = "ideas"
KINDS = (INITIATIVES, EVENTS, NEWS, IDEAS)


@dataclass(frozen=True)
class CardItem:
    """What a card shows; rendered by ``components/card.html``."""

    title: str
    url: str
    summary: str = ""
    meta: str = ""
    badge: str = ""
    image: Any = None  # a Wagtail image, rendered as a thumbnail when present
    image_is_logo: bool = False  # shown whole and small instead of as a cropped banner
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class SectionSource:
    kind: str
    # Returns at most ``limit`` cards, in a constant number of queries.
    items: Callable[[HttpRequest | None, int], Sequence[CardItem]]
    # Where «all» leads, or None when there is no index page yet.
    index_url: Callable[[HttpRequest | None], str | None] = lambda request: None


def get_section_source(kind: str) -> SectionSource | None:
    for register in hooks.get_hooks(HOOK_NAME):
        source = register()
        if source is not None and source.kind == kind:
            return source
    return None
