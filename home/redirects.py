"""Wagtail's redirects at the English addresses too.

``wagtail.contrib.redirects`` makes a redirect when a page's slug changes or the page moves
(``WAGTAILREDIRECTS_AUTO_CREATE``), for the page's own address: a Russian page's redirect is
from its unprefixed old path. On ``/en/`` that page is shown as well (in Russian with a notice,
``home/translation.py``), so ``/en/<old path>`` was a working address too; after the change it
would be a 404. This middleware, in ``MIDDLEWARE`` instead of Wagtail's, answers such a 404
with the redirect of the unprefixed path, to the new address under the same prefix.
"""

from __future__ import annotations

from urllib.parse import urlparse

from django import http
from django.conf import settings
from django.utils.translation import get_language_from_path
from wagtail.contrib.redirects.middleware import RedirectMiddleware, get_redirect
from wagtail.contrib.redirects.models import Redirect


class LanguageRedirectMiddleware(RedirectMiddleware):
    def process_response(self, request, response):
        response = super().process_response(request, response)
        if response.status_code != 404:
            return response
        language = get_language_from_path(request.path_info)
        full = request.get_full_path()
        prefix = f"/{language}"
        if not language or language == settings.LANGUAGE_CODE or not full.startswith(prefix + "/"):
            return response
        path = Redirect.normalise_path(full[len(prefix) :], decode_unicode=False)
        redirect = get_redirect(request, path) or get_redirect(request, urlparse(path).path)
        if redirect is None or redirect.link is None:
            return response
        link = redirect.link
        # A path on this site in the default language gets the visitor's prefix back.
        if link.startswith("/") and not link.startswith("//") and not get_language_from_path(link):
            link = prefix + link
        if redirect.is_permanent:
            return http.HttpResponsePermanentRedirect(link)
        return http.HttpResponseRedirect(link)
