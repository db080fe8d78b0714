"""Serving pages in the visitor's language (issue 17).

``/en/<path>`` serves the English version of a page when an editor made one (wagtail-localize
keeps the English pages in a tree of their own under the English home page). When there is
none, the Russian page at the same path is served instead, with ``request.translation_fallback``
set to it: ``templates/base.html`` then shows a small notice and marks the content as Russian.
An alias page (the English copy wagtail-localize makes of a translated page's parents, which
shows the Russian content) counts as untranslated: its Russian original is served the same way,
so everything keyed on the original (members, news, events) reads the same data.

When the English version's address differs from the Russian one (a translated slug), the
fallback sends the visitor there with a redirect. The language switch (``cms.views``) asks
:func:`page_url_in_language` for the same page in the other language.
"""

from __future__ import annotations

import re

from django.http import Http404, HttpResponsePermanentRedirect
from wagtail.models import Locale, Page, Site
from wagtail.views import serve as wagtail_serve

from core.locales import active_language, default_language, is_original, own_addresses

_SLUG = re.compile(r"[\w\-]+")


def serve(request, path):
    """Wagtail's page view, with the fallback to the original page (module docstring)."""
    language = active_language()
    if language == default_language():
        # The site's root page is the Russian home: routed from it directly, Wagtail's
        # `root_page.localized` (a query for the active locale on every page) is not needed.
        if not hasattr(request, "_wagtail_route_for_request"):
            request._wagtail_route_for_request = _route_original(request, path)
        return wagtail_serve(request, path)
    route = Page.route_for_request(request, path)
    if route is None:
        route = _route_original(request, path)
    if route is not None:
        page = route[0]
        shown = _original_if_untranslated(page, language)
        if shown is not page:
            route = (shown, *route[1:])
        if shown.locale.language_code != language:
            translated = (
                shown.get_translations()
                .live()
                .filter(locale__language_code=language, alias_of__isnull=True)
                .first()
            )
            # A translation at another address (its slug or a parent's was translated):
            # its own address, not the Russian page under /en/.
            if translated is not None and not route[1] and not route[2]:
                url = translated.get_url(request)
                if url and url != request.path:
                    return HttpResponsePermanentRedirect(url)
            request.translation_fallback = shown
        request._wagtail_route_for_request = route
    return wagtail_serve(request, path)


def _route_original(request, path):
    """The route of ``path`` in the default locale's tree (the site's own root page)."""
    site = Site.find_for_request(request)
    if site is None:
        return None
    components = [component for component in path.split("/") if component]
    try:
        return site.root_page.specific.route(request, components)
    except Http404:
        return None


def _original_if_untranslated(page, language):
    # An alias shows its original's content: serve the original (module docstring).
    if page.alias_of_id is None:
        return page
    original = page.alias_of.specific
    return original if original.locale_id != page.locale_id else page


def page_url_in_language(page, language: str, request=None) -> str | None:
    """The address of ``page`` in ``language``: its live translation's own address, or the
    original's address under that language's prefix (where the fallback serves it)."""
    if page is None:
        return None
    translated = (
        page.get_translations(inclusive=True)
        .live()
        .filter(locale__language_code=language, alias_of__isnull=True)
        .first()
    )
    with own_addresses():
        return _own_url_in_language(page, translated, language, request)


def _own_url_in_language(page, translated, language, request):
    if translated is not None:
        return translated.get_url(request)
    original = (
        page
        if is_original(page)
        else page.get_translations().live().filter(locale__language_code=default_language()).first()
    )
    if original is None:
        return None
    url = original.get_url(request)
    if url is None or language == default_language():
        return url
    return f"/{language}{url}" if url.startswith("/") else url


def switch_target(request, path: str, language: str) -> str | None:
    """For the language switch: the address of the page at ``path`` (a site path, with or
    without its language prefix) in ``language``, or None when ``path`` is no plain page
    address (a sub-route, a view of its own): then the switch keeps the path as it is."""
    from django.utils.translation import get_language_from_path

    current = get_language_from_path(path) or default_language()
    bare = path[len(f"/{current}") :] if path.startswith(f"/{current}/") else path
    site = Site.find_for_request(request)
    if site is None:
        return None
    components = [component for component in bare.split("?")[0].split("/") if component]
    # Only what Wagtail's page route accepts (letters, digits, _ and -): anything else (a NUL,
    # which PostgreSQL refuses, a host, a backslash) is no page address.
    if not all(_SLUG.fullmatch(component) for component in components):
        return None
    roots = [site.root_page.specific]
    if current != default_language():
        translated_root = site.root_page.get_translation_or_none(
            Locale.objects.filter(language_code=current).first()
        )
        if translated_root is not None:
            roots.insert(0, translated_root.specific)
    for root in roots:
        try:
            page, args, kwargs = root.route(request, components)
        except Http404:
            continue
        if args or kwargs:
            return None
        return page_url_in_language(_original_if_untranslated(page, current), language, request)
    return None
