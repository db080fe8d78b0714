from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from core.pagecache import CLOCK_SECONDS, CachedPageMixin

from .blocks import BaseStreamBlock
from .panels import SharePreviewPanel
from .section_blocks import HomeSectionsBlock


class IntroMixin(models.Model):
    """A short lead paragraph shown under the title and in listings; carries its own panel."""

    intro = models.TextField(_("lead"), blank=True, max_length=600)

    intro_panels = [FieldPanel("intro")]

    class Meta:
        abstract = True


class PromoteMixin(models.Model):
    """What a link to the page shows when it is shared (Telegram, VK, e-mail): an optional
    image and description of its own; without them the card uses the page's image (or the
    initiative's logo) and its lead. Carries the «Продвижение» tab's panels (home/seo.py
    renders the tags and the card's preview)."""

    share_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("share image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Shown when a link to the page is shared; cropped to 1200×630 around its focal point."
        ),
    )
    share_description = models.TextField(
        _("share description"),
        blank=True,
        max_length=300,
        help_text=_("One or two sentences under the title of a shared link."),
    )

    promote_panels = [
        *Page.promote_panels,
        MultiFieldPanel(
            [
                FieldPanel("share_image"),
                FieldPanel("share_description"),
                SharePreviewPanel(heading=_("How the shared link looks")),
            ],
            heading=_("Link preview"),
        ),
    ]

    class Meta:
        abstract = True


class HomePage(CachedPageMixin, PromoteMixin, Page):
    """The site root: the platform's purpose, then sections the editors order freely."""

    # Its sections list initiatives, news, events and ideas from the whole site.
    page_cache_lists = ("initiatives", "organisations", "news", "events", "ideas")
    page_cache_seconds = CLOCK_SECONDS  # upcoming events, open registration

    purpose_label = models.CharField(_("purpose label"), max_length=100, default="Основная задача")
    purpose_text = models.TextField(
        _("purpose"),
        help_text=_("What the platform is for, in one or two sentences."),
    )
    sections = StreamField(HomeSectionsBlock(), blank=True, verbose_name=_("sections"))

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("purpose_label"), FieldPanel("purpose_text")], heading=_("Purpose")
        ),
        FieldPanel("sections"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("purpose_text")]

    template = "home/home_page.html"
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "home.StandardPage",
        "initiatives.InitiativeIndexPage",
        "initiatives.NewsIndexPage",
        "events.EventIndexPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("home page")


class StandardPage(CachedPageMixin, PromoteMixin, IntroMixin, Page):
    """A plain content page: about, privacy policy, contacts and the like."""

    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, *IntroMixin.intro_panels, FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    template = "home/standard_page.html"
    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """Footer and contact details editors change without a deploy."""

    organisation_name = models.CharField(
        _("platform owner"), max_length=255, blank=True, help_text=_("Shown in the footer.")
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    privacy_policy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy policy page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    about_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("about page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Linked from the footer of every page."),
    )
    contacts_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("contacts page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Linked from the footer of every page."),
    )

    # The footer lists the chosen pages in this order.
    FOOTER_PAGE_FIELDS = ("about_page", "contacts_page", "privacy_policy_page")

    panels = [
        FieldPanel("organisation_name"),
        MultiFieldPanel(
            [FieldPanel("contact_email"), FieldPanel("contact_phone"), FieldPanel("address")],
            heading=_("Contacts"),
        ),
        MultiFieldPanel(
            [PageChooserPanel(name) for name in FOOTER_PAGE_FIELDS],
            heading=_("Footer pages"),
        ),
    ]

    class Meta:
        verbose_name = _("site settings")

    def __str__(self):
        return str(self._meta.verbose_name)

    @cached_property
    def footer_pages(self) -> list[Page]:
        """The chosen pages that are live, in footer order. One query for all of them: the
        footer is on every page, and each foreign key read alone would cost one."""
        ids = [getattr(self, f"{name}_id") for name in self.FOOTER_PAGE_FIELDS]
        found = Page.objects.live().in_bulk([pk for pk in ids if pk])
        return [found[pk] for pk in ids if pk in found]
