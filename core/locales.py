"""Pages in Russian and their English versions (issue 17): which page is the original, and
which one a list shows in the active language.

Every page exists in Russian (the default locale, ``settings.LANGUAGE_CODE``); an editor may
make an English version with wagtail-localize, which is another page row with the same
``translation_key`` in the English locale. Everything the platform keys on an initiative,
a news item or an event (memberships, registrations, the admins' group, the indicators) keys
on the **original**: the lists, forms and counts use :func:`originals`, and a translation
reaches its data through :func:`canonical`. Only what a visitor reads changes with the
language: :func:`localize` swaps each original of a list for its live translation.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import get_language_from_path
from wagtail.models import Locale


def default_language() -> str:
    return settings.LANGUAGE_CODE


def active_language() -> str:
    """The active language if it is a content language, else the default one."""
    language = (translation.get_language() or default_language()).split("-")[0]
    return language if language in dict(settings.WAGTAIL_CONTENT_LANGUAGES) else default_language()


def originals(qs: QuerySet) -> QuerySet:
    """Only the pages in the default locale (a subquery: no query of its own)."""
    return qs.filter(locale__in=Locale.objects.filter(language_code=default_language()))


def is_original(page) -> bool:
    """Whether ``page`` is in the default locale (no query: the locale's id is cached)."""
    return page.locale_id == _default_locale_id()


def canonical(page):
    """The original (default-locale) page of ``page``: itself when it is one (no query), else
    its translation in the default locale (one query; the page itself if that is gone)."""
    if page is None:
        return None
    locale_id = getattr(page, "locale_id", None)
    default_id = _default_locale_id()
    if locale_id is None or locale_id == default_id:
        return page
    found = (
        type(page)
        .objects.filter(translation_key=page.translation_key, locale_id=default_id)
        .first()
    )
    return found or page


_DEFAULT_LOCALE_KEY = "core:locales:default-id"


def _default_locale_id() -> int | None:
    # Asked on every event page and news save: kept in the cache (no query), forgotten when a
    # locale changes (connect_signals).
    found = cache.get(_DEFAULT_LOCALE_KEY)
    if found is None:
        found = (
            Locale.objects.filter(language_code=default_language())
            .values_list("pk", flat=True)
            .first()
        )
        if found is not None:
            cache.set(_DEFAULT_LOCALE_KEY, found, timeout=None)
    return found


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    def forget(**kwargs):
        cache.delete(_DEFAULT_LOCALE_KEY)

    post_save.connect(forget, sender=Locale, weak=False, dispatch_uid="locales-default-save")
    post_delete.connect(forget, sender=Locale, weak=False, dispatch_uid="locales-default-del")


def localize(items: Sequence, *, queryset: QuerySet, attr: str | None = None) -> list:
    """``items`` with each page replaced by its live translation in the active language, where
    there is one. ``queryset`` fetches the translations with what the list needs loaded (the
    same ``select_related``/prefetches as the originals); ``attr`` names the page on each item
    when the items are cards holding a page. In the default language: ``items``, no query."""
    items = list(items)
    language = active_language()
    if language == default_language() or not items:
        return items

    def page_of(item):
        return getattr(item, attr) if attr else item

    keys = {page_of(item).translation_key for item in items}
    found = {
        page.translation_key: page
        for page in queryset.filter(
            translation_key__in=keys, locale__language_code=language, alias_of__isnull=True
        ).live()
    }
    result = []
    for item in items:
        page = found.get(page_of(item).translation_key)
        if page is None:
            result.append(item)
        elif attr:
            result.append(_replace(item, attr, page))
        else:
            result.append(page)
    return result


def translations_only(qs: QuerySet) -> QuerySet:
    """The pages of ``qs``'s originals that have a live version in the active language, as those
    versions (a feed in English lists English items only)."""
    language = active_language()
    if language == default_language():
        return originals(qs)
    keys = originals(qs).values("translation_key")
    return qs.model.objects.live().filter(
        translation_key__in=keys, locale__language_code=language, alias_of__isnull=True
    )


def _replace(item, attr, page):
    from dataclasses import is_dataclass, replace

    if is_dataclass(item):
        return replace(item, **{attr: page})
    setattr(item, attr, page)
    return item


# --- Addresses on the English pages ------------------------------------------------------------

# The language prefix of the address being served (None for the default language and for what
# is outside the language prefixes: sitemap.xml, e-mails, tasks).
_link_language: ContextVar[str | None] = ContextVar("link_language", default=None)


class LinkLanguageMiddleware:
    """On an ``/en/`` address, links to Russian pages lead to ``/en/…`` too (where the fallback
    serves them in Russian and a translated one is found): the visitor stays in English.
    Without this, Wagtail builds a page's address in the page's own language, unprefixed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = get_language_from_path(request.path_info)
        token = _link_language.set(language if language != default_language() else None)
        try:
            return self.get_response(request)
        finally:
            _link_language.reset(token)


@contextmanager
def own_addresses() -> Iterator[None]:
    """Pages' own addresses inside this block, whatever the request's language (canonical
    URLs, hreflang alternates)."""
    token = _link_language.set(None)
    try:
        yield
    finally:
        _link_language.reset(token)


def in_link_language(page, path: str | None) -> str | None:
    """``path`` (a page's own address) under the served address's language prefix, for a
    page of the default locale."""
    language = _link_language.get()
    if not language or not path or not path.startswith("/") or not is_original(page):
        return path
    if get_language_from_path(path):
        return path  # already under a prefix
    return f"/{language}{path}"


class LanguageUrlMixin:
    """For page models: ``page.url`` and ``{% pageurl %}`` follow LinkLanguageMiddleware."""

    def get_url_parts(self, request=None):
        parts = super().get_url_parts(request=request)
        if parts is None or parts[2] is None:
            return parts
        return (parts[0], parts[1], in_link_language(self, parts[2]))
