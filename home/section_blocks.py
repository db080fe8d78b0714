"""Blocks for the home page's editor-ordered sections."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from . import sections
from .blocks import CallToActionBlock, FeaturesBlock, ParagraphBlock


class ListingSectionBlock(blocks.StructBlock):
    """A heading and the latest items of one kind, taken from the app that provides them."""

    source_kind = ""
    empty_text = ""

    heading = blocks.CharBlock(label=_("Heading"), max_length=200)
    count = blocks.IntegerBlock(label=_("How many to show"), default=3, min_value=1, max_value=12)

    class Meta:
        template = "home/blocks/listing_section.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        source = sections.get_section_source(self.source_kind)
        context["items"] = list(source.items(request, value["count"])) if source else []
        context["index_url"] = source.index_url(request) if source else None
        context["empty_text"] = self.empty_text
        context["section_kind"] = self.source_kind
        return context


class InitiativesSectionBlock(ListingSectionBlock):
    source_kind = sections.INITIATIVES
    empty_text = _("Cluster initiatives will appear here soon.")

    class Meta:
        icon = "group"
        label = _("Cluster initiatives")
        description = _("Cards of the published cluster initiatives")


class EventsSectionBlock(ListingSectionBlock):
    source_kind = sections.EVENTS
    empty_text = _("No upcoming events yet.")

    class Meta:
        icon = "date"
        label = _("Upcoming events")
        description = _("The nearest events of all initiatives")


class NewsSectionBlock(ListingSectionBlock):
    source_kind = sections.NEWS
    empty_text = _("No news yet.")

    class Meta:
        icon = "doc-full-inverse"
        label = _("Latest news")
        description = _("The latest news of all initiatives")


class IdeasSectionBlock(ListingSectionBlock):
    source_kind = sections.IDEAS
    empty_text = _("No ideas have been posted to the exchange yet.")

    class Meta:
        icon = "help"
        label = _("Ideas exchange")
        description = _("The latest requests, offers and projects from the ideas exchange")


class HomeSectionsBlock(blocks.StreamBlock):
    features = FeaturesBlock()
    initiatives = InitiativesSectionBlock()
    events = EventsSectionBlock()
    news = NewsSectionBlock()
    ideas = IdeasSectionBlock()
    paragraph = ParagraphBlock()
    call_to_action = CallToActionBlock()

    class Meta:
        label = _("Sections")
