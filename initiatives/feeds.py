"""RSS and Atom feeds of the news index (filters of the page apply: ?initiative=, ?tag=)."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from core.locales import active_language, default_language, translations_only

from . import selectors

FEED_SIZE = 30


class NewsRssFeed(Feed):
    def __init__(self, index_page):
        super().__init__()
        self.index_page = index_page

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return selectors.NewsFilters.from_query(request.GET)

    def title(self, filters):
        return self.index_page.title

    def link(self, filters):
        return self.request.build_absolute_uri(self.index_page.get_url(self.request))

    def description(self, filters):
        return self.index_page.intro or self.index_page.title

    def items(self, filters):
        # Per language: the English feed lists the news that have an English version.
        news = selectors.news_list(filters=filters)
        if active_language() != default_language():
            news = selectors.news_loaded().filter(pk__in=translations_only(news).values("pk"))
        return news[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.intro

    def item_link(self, item):
        # The address readers used to reach the feed, so links work behind the proxy too.
        return self.request.build_absolute_uri(item.get_url(self.request))

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.combine(item.date, time(9, 0)))

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]

    def item_author_name(self, item):
        return item.initiative.short_name if item.initiative else None


class NewsAtomFeed(NewsRssFeed):
    feed_type = Atom1Feed

    def subtitle(self, filters):
        return self.description(filters)
