"""Cluster initiatives and their news: the public face of each cluster (issue: initiatives).

``InitiativePage`` is one cluster; its editor tabs hold the public content, the contact card
and the cluster's own configuration (join policy, which services are on). Later apps read that
configuration through :mod:`initiatives.features` only.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from core.locales import canonical, localize
from core.pagecache import CLOCK_SECONDS, CachedPageMixin
from home.blocks import BaseStreamBlock
from home.models import IntroMixin, PromoteMixin

from . import moderation, selectors


class FilterTerm(models.Model):
    """A named value initiatives are filtered by; the slug is what filter links carry."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


@register_snippet
class Region(FilterTerm):
    """A region of Belarus or Russia an initiative works in («Витебская область»)."""

    class Meta(FilterTerm.Meta):
        verbose_name = _("region")
        verbose_name_plural = _("regions")


@register_snippet
class Industry(FilterTerm):
    """An industry an initiative belongs to («Биотехнологии», «Нефтехимия»)."""

    class Meta(FilterTerm.Meta):
        verbose_name = _("industry")
        verbose_name_plural = _("industries")


class InitiativeIndexPage(CachedPageMixin, PromoteMixin, IntroMixin, Page):
    """/initiatives/: every published initiative as a card, filtered by region, industry, stage."""

    page_cache_lists = ("initiatives", "organisations")

    content_panels = [*Page.content_panels, *IntroMixin.intro_panels]

    template = "initiatives/initiative_index_page.html"
    parent_page_types = ["home.HomePage"]
    subpage_types = ["initiatives.InitiativePage"]
    max_count = 1

    class Meta:
        verbose_name = _("initiatives index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        filters = selectors.InitiativeFilters.from_query(request.GET)
        context["filters"] = filters
        context["filter_options"] = selectors.initiative_filter_options()
        context["initiatives"] = selectors.initiative_cards(index=self, filters=filters)
        return context


class InitiativePage(CachedPageMixin, PromoteMixin, Page):
    """One cluster initiative: its public page, contact card, news and configuration."""

    # Its news, events, ideas and participating organisations.
    page_cache_lists = ("organisations", "news", "events", "ideas")
    page_cache_seconds = CLOCK_SECONDS  # upcoming events, open registration
    page_cache_kind = "initiatives"

    class Stage(models.TextChoices):
        # The cluster life cycle of seed 002.
        INITIATIVE_GROUP = "initiative_group", _("Initiative group")
        FORMING = "forming", _("Forming")
        ACTIVE = "active", _("Active")
        CLOSING = "closing", _("Closing")

    class JoinPolicy(models.TextChoices):
        APPROVAL = "approval", _("Anyone may apply; an administrator approves")
        INVITATION = "invitation", _("By invitation only")

    short_name = models.CharField(
        _("short name"), max_length=120, help_text=_("For cards and lists, e.g. «Горки».")
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.TextField(
        _("summary"), max_length=600, help_text=_("Two or three sentences for cards.")
    )
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("body"))
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="initiatives",
    )
    industries = ParentalManyToManyField(
        Industry, verbose_name=_("industries"), blank=True, related_name="initiatives"
    )
    stage = models.CharField(
        _("life-cycle stage"), max_length=20, choices=Stage.choices, default=Stage.ACTIVE
    )
    website = models.URLField(_("website"), blank=True)

    # The public contact card, exactly as editors enter it (seed 000: «Тимаев Андрей, …»).
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_role = models.CharField(_("contact person's role"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)

    # Per-cluster configuration (seed 002: one platform, services configured per cluster).
    join_policy = models.CharField(
        _("join policy"), max_length=20, choices=JoinPolicy.choices, default=JoinPolicy.APPROVAL
    )
    feed_enabled = models.BooleanField(_("common group feed"), default=True)
    chat_enabled = models.BooleanField(_("chat"), default=True)
    directory_enabled = models.BooleanField(_("member directory"), default=True)
    events_enabled = models.BooleanField(_("events"), default=True)
    ideas_enabled = models.BooleanField(_("ideas exchange"), default=True)
    directory_shows_phone = models.BooleanField(
        _("member directory shows phone numbers"), default=True
    )
    # Notice e-mails about the group's posts and comments say who did what where; with this
    # on they also quote the first lines (private text leaves the platform by mail).
    email_excerpts = models.BooleanField(
        _("quote posts and comments in notification e-mails"),
        default=False,
        help_text=_("Off: e-mails say who wrote where, with a link, and carry no text."),
    )

    # On: the initiative's admins may not publish its news and events themselves; each goes
    # through the platform editors' approval (initiatives/moderation.py).
    moderation_required = models.BooleanField(
        _("news and events need the platform editors' approval"),
        default=False,
        help_text=_(
            "On: the initiative's administrators submit news and events for moderation; "
            "the platform's editors approve or reject them before they are published."
        ),
    )

    # The Wagtail group whose page permissions cover this initiative's subtree only; its
    # members are the initiative's administrators (kept in step by initiatives.services).
    admin_group = models.OneToOneField(
        Group,
        verbose_name=_("administrators' group"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="administered_initiative",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("short_name"),
        FieldPanel("summary"),
        FieldPanel("logo"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("region"),
                FieldPanel("industries"),
                FieldPanel("stage"),
                FieldPanel("website"),
            ],
            heading=_("About the cluster"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("contact_name"), FieldPanel("contact_role")]),
                FieldRowPanel([FieldPanel("contact_email"), FieldPanel("contact_phone")]),
            ],
            heading=_("Public contact card"),
        ),
    ]
    cluster_panels = [
        FieldPanel("join_policy"),
        MultiFieldPanel(
            [
                FieldPanel("feed_enabled"),
                FieldPanel("chat_enabled"),
                FieldPanel("directory_enabled"),
                FieldPanel("events_enabled"),
                FieldPanel("ideas_enabled"),
            ],
            heading=_("Services for this cluster"),
        ),
        FieldPanel("directory_shows_phone"),
        FieldPanel("email_excerpts"),
        FieldPanel("moderation_required"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(cluster_panels, heading=_("Cluster settings")),
            ObjectList(PromoteMixin.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )
    search_fields = [
        *Page.search_fields,
        index.SearchField("short_name"),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("stage"),
    ]

    # A translation is the same cluster in another language: the admins' group stays the
    # original's (a second page may not hold it, and it is keyed on the original).
    exclude_fields_in_copy = ["admin_group"]

    template = "initiatives/initiative_page.html"
    parent_page_types = ["initiatives.InitiativeIndexPage"]
    subpage_types = ["initiatives.NewsPage", "home.StandardPage"]

    class Meta:
        verbose_name = _("cluster initiative")
        verbose_name_plural = _("cluster initiatives")

    LATEST_NEWS = 3

    def participating_organisations(self) -> list:
        """The public organisations of the original initiative's members (the hook)."""
        return selectors.participating_organisations(initiative=canonical(self))

    def create_alias(self, *args, **kwargs):
        # An alias (wagtail-localize's English copy of an untranslated parent) copies every
        # field; the admins' group is the original's alone.
        group_id = self.admin_group_id
        self.admin_group_id = None
        try:
            return super().create_alias(*args, **kwargs)
        finally:
            self.admin_group_id = group_id

    def with_content_json(self, content):
        # A revision carries the group too: publishing the original updates its aliases from
        # the original's revision, which must not hand them the original's group.
        obj = super().with_content_json(content)
        obj.admin_group_id = self.admin_group_id
        return obj

    def get_workflow(self):
        # Under moderation the admins' own edits of the initiative go to the editors too
        # (they hold no publish on its subtree then). The stored value, not a draft's: the
        # switch takes effect once published.
        if self.pk and moderation.initiative_is_moderated(canonical(self).pk):
            return moderation.moderation_workflow()
        return super().get_workflow()

    @property
    def has_workflow(self):
        # Wagtail's own looks for assigned workflows only; «Submit» on a new news item asks it.
        return self.get_workflow() is not None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # An English version shows its original's members, news, events and ideas.
        initiative = context["initiative"] = canonical(self)
        context["latest_news"] = localize(
            selectors.news_list(initiative=initiative)[: self.LATEST_NEWS],
            queryset=selectors.news_loaded(),
        )
        context["organisations"] = selectors.participating_organisations(initiative=initiative)
        return context


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "initiatives.NewsPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class NewsPage(CachedPageMixin, PromoteMixin, IntroMixin, Page):
    """A news item of one initiative (or of the platform, when it sits under /news/)."""

    page_cache_kind = "news"

    date = models.DateField(_("date"), default=timezone.localdate)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("body"))
    tags = ClusterTaggableManager(through=NewsPageTag, blank=True, verbose_name=_("tags"))
    # Set on save from the position in the tree, so lists filter by initiative in one query.
    initiative = models.ForeignKey(
        InitiativePage,
        verbose_name=_("initiative"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="news_items",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        *IntroMixin.intro_panels,
        FieldPanel("image"),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]

    template = "initiatives/news_page.html"
    parent_page_types = ["initiatives.InitiativePage", "initiatives.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news")
        indexes = [models.Index(fields=["date"], name="initiatives_news_date_idx")]

    def save(self, *args, **kwargs):
        parent = self.get_parent() if self.pk or self.path else None
        specific_parent = parent.specific if parent is not None else None
        # An English news item under the English version of an initiative belongs to the
        # original initiative, like its Russian original (core/locales.py).
        self.initiative = (
            canonical(specific_parent) if isinstance(specific_parent, InitiativePage) else None
        )
        super().save(*args, **kwargs)

    def get_workflow(self):
        # The editors' approval while the initiative requires it (initiatives/moderation.py).
        return moderation.workflow_for(self.initiative) or super().get_workflow()

    @property
    def has_workflow(self):
        return self.get_workflow() is not None


class NewsIndexPage(CachedPageMixin, PromoteMixin, RoutablePageMixin, IntroMixin, Page):
    """/news/: every initiative's news, filtered by initiative and tag, with RSS and Atom."""

    page_cache_lists = ("news",)
    page_cache_views = ("news_list_view", "rss_feed", "atom_feed")

    PAGE_SIZE = 12

    content_panels = [*Page.content_panels, *IntroMixin.intro_panels]

    template = "initiatives/news_index_page.html"
    parent_page_types = ["home.HomePage"]
    subpage_types = ["initiatives.NewsPage"]
    max_count = 1

    class Meta:
        verbose_name = _("news index")

    @path("")
    def news_list_view(self, request):
        filters = selectors.NewsFilters.from_query(request.GET)
        news = selectors.news_list(filters=filters)
        page_obj = Paginator(news, self.PAGE_SIZE).get_page(request.GET.get("page"))
        page_obj.object_list = localize(page_obj.object_list, queryset=selectors.news_loaded())
        return self.render(
            request,
            context_overrides={
                "filters": filters,
                "filter_options": selectors.news_filter_options(),
                "page_obj": page_obj,
            },
        )

    @path("feed/", name="rss")
    def rss_feed(self, request):
        from .feeds import NewsRssFeed

        return NewsRssFeed(self)(request)

    @path("feed/atom/", name="atom")
    def atom_feed(self, request):
        from .feeds import NewsAtomFeed

        return NewsAtomFeed(self)(request)
