"""StreamField blocks shared by every page type (one list, so models don't each paste their own).

Each block names its template, icon and description; pages compose them through
:class:`BaseStreamBlock`, and later page types (initiatives, news, events) reuse it.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Text"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Heading 2")), ("h3", _("Heading 3"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        template = "home/blocks/heading.html"
        label = _("Heading")
        description = _("A section heading inside the page text")


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault(
            "features", ["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"]
        )
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        template = "home/blocks/paragraph.html"
        label = _("Text")
        description = _("Formatted text with links and lists")


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        required=False,
        max_length=250,
        help_text=_("Describes the image for people who cannot see it; empty for decoration."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "home/blocks/image.html"
        label = _("Image")
        description = _("An image with an optional caption")


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Who said it"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        template = "home/blocks/quote.html"
        label = _("Quote")
        description = _("A quotation with its author")


class DocumentLinksBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=200)
    documents = blocks.ListBlock(DocumentChooserBlock(label=_("Document")), label=_("Documents"))

    class Meta:
        icon = "doc-full"
        template = "home/blocks/document_links.html"
        label = _("Documents")
        description = _("A list of downloadable documents")


class VideoEmbedBlock(EmbedBlock):
    class Meta:
        icon = "media"
        template = "home/blocks/embed.html"
        label = _("Embed")
        description = _("A video or other media embedded by its address")


class KeyFigureBlock(blocks.StructBlock):
    value = blocks.CharBlock(label=_("Figure"), max_length=30, help_text=_("For example «40+»"))
    label = blocks.CharBlock(label=_("What it counts"), max_length=120)

    class Meta:
        icon = "order"
        label = _("Key figure")


class KeyFiguresBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=200)
    figures = blocks.ListBlock(KeyFigureBlock(), label=_("Figures"), min_num=1, max_num=8)

    class Meta:
        icon = "table"
        template = "home/blocks/key_figures.html"
        label = _("Key figures")
        description = _("A row of large numbers with captions")


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    text = blocks.TextBlock(label=_("Text"), required=False)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("Or an address"), required=False)
    button_label = blocks.CharBlock(label=_("Button label"), max_length=60)

    class Meta:
        icon = "pick"
        template = "home/blocks/call_to_action.html"
        label = _("Call to action")
        description = _("A highlighted box with a button")


class FeatureBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    text = blocks.TextBlock(label=_("Text"), required=False)

    class Meta:
        icon = "tick"
        label = _("Feature")


class FeaturesBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=200)
    features = blocks.ListBlock(FeatureBlock(), label=_("Features"), min_num=1)

    class Meta:
        icon = "list-ol"
        template = "home/blocks/features.html"
        label = _("Numbered features")
        description = _("A numbered list of what the platform offers")


class BaseStreamBlock(blocks.StreamBlock):
    """The body blocks of every content page."""

    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = ImageBlock()
    quote = QuoteBlock()
    documents = DocumentLinksBlock()
    embed = VideoEmbedBlock()
    key_figures = KeyFiguresBlock()
    call_to_action = CallToActionBlock()
    features = FeaturesBlock()

    class Meta:
        label = _("Body")


class ProgrammeItemBlock(blocks.StructBlock):
    time = blocks.CharBlock(
        label=_("Time"), max_length=40, help_text=_("As people read it, e.g. «10:00–10:45».")
    )
    title = blocks.CharBlock(label=_("Item"), max_length=250)
    speakers = blocks.CharBlock(label=_("Speakers"), required=False, max_length=250)
    description = blocks.TextBlock(label=_("Description"), required=False, max_length=1000)

    class Meta:
        icon = "time"
        template = "home/blocks/programme_item.html"
        label = _("Programme item")
        description = _("One item of an event's programme: time, title and speakers")


class ProgrammeDayBlock(blocks.CharBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 120)
        super().__init__(**kwargs)

    class Meta:
        icon = "date"
        template = "home/blocks/programme_day.html"
        label = _("Day or part")
        description = _("A heading that splits a programme into days or parts")


class ProgrammeStreamBlock(blocks.StreamBlock):
    """An event's programme: items, optionally grouped under day headings."""

    day = ProgrammeDayBlock()
    item = ProgrammeItemBlock()

    class Meta:
        label = _("Programme")
        template = "home/blocks/programme.html"
