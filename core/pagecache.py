"""Guests' public pages from the cache, purged when what they show changes.

Who gets a cached page: a GET or HEAD without a session cookie and without a messages cookie
(so never a signed-in person, never someone with a message waiting) to a view that declared
itself cacheable with :func:`tag_request` (the public page models do it through
:class:`CachedPageMixin`). Nothing else is ever stored: the extranet, search, forms' results
and files are not opted in.

What is stored: a 200 response that sets no cookie, touched no session, asked for no CSRF
token and said nothing against caching (``private``, ``no-cache``, ``no-store``). The forms a
guest sees on a cached page (the language switch, an event's registration) carry no token:
:func:`context_processor` blanks ``csrf_token`` for such a request and ``static/js/csrf.js``
fetches one from ``/csrf-token`` when the form is sent. A cached page therefore never carries
a ``Set-Cookie`` or another visitor's token.

Keys: language, scheme, host and the full path with its query string. An English page
(``/en/…``) and a Russian one have different paths; the visitor whose language cookie asks for
English is redirected before this middleware (``cms.middleware.PreferredLanguageMiddleware``).

Purging by tags: every entry records the current token of each tag it depends on (``all``,
``page:<id>`` of the page served, and the kinds of things the page lists: ``news``,
``events``, ``initiatives``, ``organisations``, ``ideas``). :func:`purge` gives those tags new
tokens, which makes every entry that recorded an old one a miss. A purge also advances a
sequence number; a response rendered while a purge happened is not stored, so a render that
read the data just before a publish cannot store the old page after it. A purge runs at once
and again when its transaction commits.

The receivers (:func:`connect_signals`, called by ``core.apps``) purge on Wagtail's
``page_published``, ``page_unpublished``, ``post_page_move``, ``page_slug_changed`` and a page's
deletion (the page, its ancestors, which list it, and its kind), and on saving a snippet or a
site setting (``all``). Apps purge for their own data (``organisations`` when a membership or
an organisation name changes, ``ideas``, an event's page when its seats change).

Headers: a cached page goes out with ``Cache-Control: public, max-age=0, s-maxage=…`` and
``Vary: Cookie`` (a CDN or nginx may keep it for guests a short while, browsers revalidate with
the ``ETag``); everything else that has no Cache-Control of its own gets ``private, no-cache``.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from core.locales import LanguageUrlMixin, active_language

logger = logging.getLogger(__name__)

TAG_ALL = "all"
KEY_PREFIX = "pagecache"
SEQUENCE_KEY = f"{KEY_PREFIX}:sequence"
# Django's cookie message storage (the fallback storage tries it first).
MESSAGES_COOKIE = "messages"
HIT_HEADER = "X-Page-Cache"

_UNCACHEABLE_DIRECTIVES = ("private", "no-cache", "no-store")


def tag_request(request: HttpRequest, *tags: str, timeout: int | None = None) -> None:
    """Declare the response to ``request`` cacheable for guests, depending on ``tags``, for at
    most ``timeout`` seconds (else ``PAGE_CACHE_SECONDS``)."""
    existing = getattr(request, "_page_cache_tags", None)
    if existing is None:
        existing = request._page_cache_tags = {TAG_ALL}
    existing.update(tags)
    if timeout is not None:
        request._page_cache_timeout = min(timeout, getattr(request, "_page_cache_timeout", timeout))


def is_guest_request(request: HttpRequest) -> bool:
    """True for a request that may be answered from, or stored in, the page cache."""
    return (
        settings.PAGE_CACHE_ENABLED
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and MESSAGES_COOKIE not in request.COOKIES
        and not getattr(request, "is_preview", False)
    )


def purge(*tags: str) -> None:
    """Make every cached page that depends on one of ``tags`` a miss: at once, so that this
    request and the next ones see the change, and again when the transaction commits, so that
    a page another request rendered from the data before the commit is not kept."""
    wanted = sorted(set(tags))
    if not wanted:
        return
    purge_now(wanted)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: purge_now(wanted))


def purge_now(tags: Iterable[str]) -> None:
    tags = list(tags)
    try:
        cache.set_many({_tag_key(tag): uuid.uuid4().hex for tag in tags}, timeout=None)
        try:
            cache.incr(SEQUENCE_KEY)
        except ValueError:
            cache.set(SEQUENCE_KEY, 1, timeout=None)
    except Exception:
        # A cache that is down serves nothing either; the page is rendered for everyone.
        logger.exception("page cache: could not purge %s", tags)


def purge_page(page, *, structure: bool = False) -> None:
    """Purge what shows ``page``: itself, its ancestors (which list their children), the
    pages that list its kind, and with ``structure`` (a move, a deletion, a new slug, a page
    in the menus) every page, whose navigation may name it."""
    specific = getattr(page, "specific_deferred", page)
    tags = [f"page:{page.pk}", translation_tag(page, page.locale.language_code)]
    tags += [f"page:{pk}" for pk in page.get_ancestors().values_list("pk", flat=True)]
    kind = getattr(specific, "page_cache_kind", "")
    if kind:
        tags.append(kind)
    if structure or page.depth <= 3 or getattr(page, "show_in_menus", False):
        tags.append(TAG_ALL)
    purge(*tags)


def translation_tag(page, language: str) -> str:
    """The tag of what ``/<language>/…`` shows for ``page`` and its translations: an English
    address that shows the Russian page (no English version yet) carries the English tag, so
    publishing the English version purges it, and the Russian page's entries stay."""
    return f"translation:{page.translation_key}:{language}"


# Pages that list events by the clock (upcoming, registration open) are kept this long at most.
CLOCK_SECONDS = 300


class CachedPageMixin(LanguageUrlMixin):
    """For a page model whose guests' view may be cached (and, every public page having it,
    whose links stay under ``/en/`` on English addresses: core.locales.LanguageUrlMixin).

    ``page_cache_lists``: the kinds of things the page lists (purging one of them purges it);
    ``page_cache_kind``: the kind the page itself is, purged with it so that its listings are;
    ``page_cache_views``: for a routable page, the names of the route methods that may be
    cached (the page's own address is cached unless it is a route not named here: a form's
    POST target, a personal link with a token, a download are never named).
    A page behind a view restriction (password, sign-in, groups) is never cached.
    """

    page_cache_lists: tuple[str, ...] = ()
    page_cache_kind: str = ""
    page_cache_views: tuple[str, ...] = ()
    # Seconds at most, for a page that changes with the clock as well as with data (an event
    # that starts leaves «upcoming»; nothing is saved then, so nothing purges): None, as long
    # as PAGE_CACHE_SECONDS.
    page_cache_seconds: int | None = None

    def page_cache_tags(self) -> list[str]:
        return [
            f"page:{self.pk}",
            translation_tag(self, active_language()),
            *self.page_cache_lists,
        ]

    def serve(self, request, *args, **kwargs):
        # RoutablePageMixin's route() hands serve() the route's view first.
        view = args[0] if args and callable(args[0]) else None
        # A page behind a view restriction never gets here for a guest: Wagtail's own
        # before_serve_page hook answers with the password form or the login redirect, and
        # whoever passed it carries a session cookie.
        if is_guest_request(request) and (view is None or view.__name__ in self.page_cache_views):
            # Before rendering, so that context_processor() blanks the CSRF token.
            tag_request(request, *self.page_cache_tags(), timeout=self.page_cache_seconds)
        return super().serve(request, *args, **kwargs)


def context_processor(request: HttpRequest) -> dict:
    """Blank the CSRF token on a page that may be cached: ``{% csrf_token %}`` then renders
    nothing, and ``static/js/csrf.js`` adds a fresh token when a form is sent."""
    if getattr(request, "_page_cache_candidate", False) and hasattr(request, "_page_cache_tags"):
        return {"csrf_token": "NOTPROVIDED"}
    return {}


def _tag_key(tag: str) -> str:
    return f"{KEY_PREFIX}:tag:{tag}"


def _entry_key(request: HttpRequest) -> str:
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"{KEY_PREFIX}:page:{get_language()}:{digest}"


def _current_tokens(tags: Iterable[str]) -> dict[str, str]:
    keys = {_tag_key(tag): tag for tag in tags}
    found = cache.get_many(list(keys))
    missing = {key: uuid.uuid4().hex for key in keys if key not in found}
    if missing:
        # A tag that was never purged (or was evicted) gets a token now; add() keeps a
        # token another process set in the meantime.
        for key, token in missing.items():
            cache.add(key, token, timeout=None)
        found.update(cache.get_many(list(missing)))
    return {keys[key]: token for key, token in found.items()}


def _lookup(key: str) -> HttpResponse | None:
    """The cached response under ``key`` if none of the tags it depends on was purged."""
    entry = cache.get(key)
    if entry is None:
        return None
    recorded, response = entry
    return response if _current_tokens(recorded) == recorded else None


def _store(key: str, response: HttpResponse, *, tags: set[str], sequence, timeout: int) -> None:
    tokens = _current_tokens(tags)
    # A purge since the render began: the page may show the data from before it.
    if cache.get(SEQUENCE_KEY) == sequence:
        cache.set(key, (tokens, response), timeout=min(timeout, settings.PAGE_CACHE_SECONDS))


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    if getattr(request, "_page_cache_tags", None) is None:
        return False
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    control = response.get("Cache-Control", "")
    return not any(directive in control for directive in _UNCACHEABLE_DIRECTIVES)


def _public_headers(response: HttpResponse) -> None:
    response["Cache-Control"] = f"public, max-age=0, s-maxage={settings.PAGE_CACHE_SHARED_MAX_AGE}"
    patch_vary_headers(response, ("Cookie",))


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_guest_request(request):
            return self._private(self.get_response(request))
        try:
            key = _entry_key(request)
            cached = _lookup(key)
            if cached is not None:
                return self._hit(request, cached)
            sequence = cache.get(SEQUENCE_KEY)
        except Exception:
            logger.exception("page cache: lookup failed; rendering")
            return self._private(self.get_response(request))

        request._page_cache_candidate = True
        response = self.get_response(request)
        if not _storable(request, response):
            return self._private(response)
        _public_headers(response)
        response["ETag"] = f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
        try:
            _store(
                key,
                response,
                tags=request._page_cache_tags,
                sequence=sequence,
                timeout=getattr(request, "_page_cache_timeout", settings.PAGE_CACHE_SECONDS),
            )
        except Exception:
            logger.exception("page cache: could not store %s", request.path)
        response[HIT_HEADER] = "miss"
        return response

    @staticmethod
    def _hit(request: HttpRequest, response: HttpResponse) -> HttpResponse:
        etag = response.get("ETag")
        if etag and etag in request.headers.get("If-None-Match", ""):
            not_modified = HttpResponseNotModified()
            for header in ("ETag", "Cache-Control", "Vary", "Content-Language"):
                if header in response:
                    not_modified[header] = response[header]
            response = not_modified
        response[HIT_HEADER] = "hit"
        return response

    @staticmethod
    def _private(response: HttpResponse) -> HttpResponse:
        if "Cache-Control" not in response:
            response["Cache-Control"] = "private, no-cache"
        return response


def tagged_values(
    tag: str | tuple[str, ...], name: str, keys: list, compute, *, timeout: int | None = None
) -> dict:
    """``compute(missing_keys) -> {key: value}`` cached per key until ``tag`` (or one of a
    tuple of tags) is purged: data a public page shows, reused by signed-in people's renders
    too (which the page cache never serves), and member pages' data that changes rarely.
    Keys ``compute`` leaves out are cached as None."""
    if not keys:
        return {}
    tags = (tag,) if isinstance(tag, str) else tuple(tag)
    try:
        tokens = _current_tokens(tags)
        token = "-".join(tokens[t] for t in tags)
        names = {f"{KEY_PREFIX}:data:{name}:{token}:{key}": key for key in keys}
        found = {names[cached]: value for cached, value in cache.get_many(list(names)).items()}
    except Exception:
        logger.exception("page cache: could not read %s", name)
        return compute(list(keys))
    missing = [key for key in keys if key not in found]
    if missing:
        computed = compute(missing)
        values = {key: computed.get(key) for key in missing}
        try:
            cache.set_many(
                {f"{KEY_PREFIX}:data:{name}:{token}:{key}": value for key, value in values.items()},
                timeout=timeout or settings.PAGE_CACHE_SECONDS,
            )
        except Exception:
            logger.exception("page cache: could not store %s", name)
        found.update(values)
    return found


def purge_on_change(model, tags) -> None:
    """Purge ``tags(instance)`` (a list of tags) whenever a ``model`` row is saved or deleted:
    for an app's data that public pages show (memberships' organisations, ideas, seats)."""
    from django.db.models.signals import post_delete, post_save

    def receiver(sender, instance, raw=False, **kwargs):
        if not raw:
            purge(*tags(instance))

    uid = f"pagecache-{model._meta.label_lower}"
    post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"{uid}-save")
    post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=f"{uid}-delete")


def connect_signals() -> None:
    """Purge on Wagtail's page events and on saving a snippet or a site setting."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
    from wagtail.models import Page
    from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

    def published(sender, instance, **kwargs):
        purge_page(instance)

    def structural(sender, instance, **kwargs):
        purge_page(instance, structure=True)

    def deleted(sender, instance, **kwargs):
        if isinstance(instance, Page) and type(instance) is Page:
            # Once per deleted page (the specific model's row sends its own post_delete);
            # its ancestors may be gone too, so everything is purged.
            purge(TAG_ALL)

    snippet_models: set[type] = set()

    def shared_data(sender, instance, created=False, **kwargs):
        if isinstance(instance, BaseSiteSetting | BaseGenericSetting):
            # A page's first render makes the settings row with its defaults: nothing changed.
            if not created:
                purge(TAG_ALL)
            return
        if not snippet_models:
            from wagtail.snippets.models import get_snippet_models

            snippet_models.update(get_snippet_models())
        if type(instance) in snippet_models:
            purge(TAG_ALL)

    page_published.connect(published, weak=False, dispatch_uid="pagecache-published")
    page_unpublished.connect(structural, weak=False, dispatch_uid="pagecache-unpublished")
    post_page_move.connect(structural, weak=False, dispatch_uid="pagecache-moved")
    page_slug_changed.connect(structural, weak=False, dispatch_uid="pagecache-slug")
    post_delete.connect(deleted, weak=False, dispatch_uid="pagecache-deleted")
    post_save.connect(shared_data, weak=False, dispatch_uid="pagecache-shared-save")
    post_delete.connect(shared_data, weak=False, dispatch_uid="pagecache-shared-delete")
