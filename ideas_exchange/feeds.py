"""/ideas/rss/: RSS 2.0 of the latest public ideas, as a guest sees them.

Whoever asks (signed in or not) gets the same feed: approved public ideas only, credited to
the author's organisation, never to a person (feed readers share and cache what they get).
"""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.utils.translation import gettext as _

from . import selectors

FEED_SIZE = 30


class IdeasRssFeed(Feed):
    def __init__(self, page):
        super().__init__()
        self.page = page

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return self.page

    def title(self, page):
        return page.title

    def link(self, page):
        return self.request.build_absolute_uri(page.get_url(self.request))

    def description(self, page):
        return page.intro or page.title

    def items(self, page):
        return selectors.latest_public_ideas(limit=FEED_SIZE)

    def item_title(self, item):
        return f"{item.get_kind_display()}: {item.title}"

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        url = self.page.get_url(self.request) + self.page.reverse_subpage("idea", args=[item.pk])
        return self.request.build_absolute_uri(url)

    def item_guid(self, item):
        return self.item_link(item)

    def item_pubdate(self, item):
        return item.published_at or item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.get_kind_display(), *(tag.name for tag in item.tags.all())]

    def item_author_name(self, item):
        # The organisation (or whose initiative it is), never the person.
        if item.organisation_name:
            return item.organisation_name
        return item.initiative.short_name if item.initiative else _("Whole platform")


def ideas_rss(request, *, page):
    return IdeasRssFeed(page)(request)
