"""Wagtail's site for a request, from the cache.

Wagtail finds the site of every request with a query that ranks the sites by hostname, port
and default (``wagtail.models.sites.get_site_for_hostname``), and keeps it on the request as
``request._wagtail_site``. Compiling and running that query costs 3-7 ms on every page, signed
in or not, for an answer that changes only when a site is edited in the admin. The middleware
below asks the cache first (core.pagecache's tag tokens: tag ``sites``, purged when a site is
saved or deleted, and ``all``) and sets ``request._wagtail_site``, which Wagtail then uses.

The cached site carries no root page object: a page reads it fresh when it needs it (Wagtail's
serve view does), so a published change of the home page is never served from here.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.http.request import split_domain_port
from wagtail.models import Site
from wagtail.models.sites import get_site_for_hostname

from .pagecache import TAG_ALL, purge, tagged_values

TAG = "sites"


def _skipped_prefixes() -> tuple[str, ...]:
    return tuple(p for p in (settings.STATIC_URL, getattr(settings, "MEDIA_URL", "")) if p)


def _lookup(keys: list[str]) -> dict[str, Site | None]:
    found = {}
    for key in keys:
        hostname, _, port = key.rpartition(":")
        try:
            site = get_site_for_hostname(hostname, int(port))
        except Site.DoesNotExist:
            site = None
        if site is not None:
            site._state.fields_cache.pop("root_page", None)
        found[key] = site
    return found


def site_for_request(request) -> Site | None:
    """The site Wagtail would find for ``request`` (None when no site matches)."""
    # As Wagtail does: the raw host, so a host ALLOWED_HOSTS refuses still finds its site.
    hostname = split_domain_port(request._get_raw_host())[0]
    key = f"{hostname}:{request.get_port()}"
    return tagged_values((TAG, TAG_ALL), "wagtail-site", [key], _lookup)[key]


class CachedSiteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.skipped = _skipped_prefixes()

    def __call__(self, request):
        if not request.path.startswith(self.skipped) and not hasattr(request, "_wagtail_site"):
            request._wagtail_site = site_for_request(request)
        return self.get_response(request)


def _site_changed(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        purge(TAG)


post_save.connect(_site_changed, sender=Site, dispatch_uid="core-sites-save")
post_delete.connect(_site_changed, sender=Site, dispatch_uid="core-sites-delete")
