"""sitemap.xml in both languages (issue 17): every live public page of the Russian tree and
every English version, each with ``hreflang`` alternates naming its versions (Google's
«Tell Google about localized versions of your page», the sitemap method). The English copies
wagtail-localize makes of untranslated parents (aliases) show Russian content and are left out.
"""

from __future__ import annotations

from collections import defaultdict

from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from core.locales import default_language


class LocalizedSitemap(Sitemap):
    def items(self):
        root = self.get_wagtail_site().root_page
        translated_roots = Page.objects.filter(translation_key=root.translation_key)
        pages = Page.objects.none()
        for tree_root in translated_roots:
            pages |= tree_root.get_descendants(inclusive=True)
        return (
            pages.live()
            .public()
            .filter(alias_of__isnull=True)
            .order_by("locale__language_code", "path")
            .defer_streamfields()
            .specific()
        )

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        # One query for the versions of every page on this sitemap page.
        by_location = {url["location"]: url for url in urls}
        items = list(self.paginator.page(page).object_list)
        keys = {item.translation_key for item in items}
        versions = defaultdict(list)
        for version in (
            Page.objects.live()
            .public()
            .filter(translation_key__in=keys, alias_of__isnull=True)
            .select_related("locale")
        ):
            versions[version.translation_key].append(version)
        for item in items:
            url = by_location.get(item.get_full_url(self.request))
            alternates = versions.get(item.translation_key, [])
            if url is None or len(alternates) < 2:
                continue
            url["alternates"] = [
                {"lang_code": v.locale.language_code, "location": v.get_full_url(self.request)}
                for v in sorted(alternates, key=lambda v: v.locale.language_code)
            ]
            original = next(
                (v for v in alternates if v.locale.language_code == default_language()), None
            )
            if original is not None:
                url["alternates"].append(
                    {"lang_code": "x-default", "location": original.get_full_url(self.request)}
                )
        return urls


SITEMAPS = {"wagtail": LocalizedSitemap}
