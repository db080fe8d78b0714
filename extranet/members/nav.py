"""The header's counted items from one cache lookup per request (issue 15, part 2).

The header (``cabinet_tags.nav_items``) asks the providers of ``register_nav_item`` (the
chat's «Сообщения (N)», the bell) for a signed-in user on every page. Their answer is kept
here under one key per user and language, so a page costs one cache read for all of them.
Whoever changes a count forgets the user's entry after the commit (the chat's and the
notices' ``*_forget`` functions, the membership services for changed rights), and the short
timeout bounds anything missed; the websockets keep an open page's counts live anyway.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

# Short: rights that change elsewhere (a membership ended by a cascade, an account blocked)
# show within a minute even without an explicit forget.
NAV_CACHE_SECONDS = 60


def _key(user_id: int, language: str) -> str:
    return f"nav:items:{user_id}:{language}"


def nav_items_cached(*, user, compute: Callable[[], list]) -> list:
    """The user's items from the cache, or ``compute()`` stored for the next pages."""
    key = _key(user.pk, translation.get_language() or settings.LANGUAGE_CODE)
    items = cache.get(key)
    if items is None:
        items = list(compute())
        cache.set(key, items, NAV_CACHE_SECONDS)
    return items


def nav_items_forget(*user_ids: int) -> None:
    """Forget these users' cached header items in every language (a count or a right
    changed); call it after the commit that changed them."""
    forget(user_ids)


def forget(user_ids: Iterable[int]) -> None:
    languages = [code for code, _name in settings.LANGUAGES]
    keys = [_key(user_id, language) for user_id in user_ids for language in languages]
    if keys:
        cache.delete_many(keys)
