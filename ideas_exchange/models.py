"""The ideas exchange («Биржа идей», issue 13): requests, offers and projects seeking partners.

``IdeasExchangePage`` is ``/ideas/``, a routable page: the board, one idea at
``/ideas/<id>/``, posting at ``/ideas/new/``, the RSS feed. Ideas are rows, not pages: people
post them from the site (not from Wagtail admin), the author edits them, moderators approve
or hide them in Wagtail admin («Биржа идей», wagtail-modeladmin).

Who sees what is decided in ``permissions.py`` only: an idea is shown when it is approved
(or to its author and moderators while it waits or after it was hidden) and its
``visibility`` lets the viewer in (everyone, signed-in people, or one initiative's members).

Authors and commenters are kept as ``SET_NULL``: what a deleted account wrote stays, shown as
written by «Удалённый пользователь».
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page
from wagtail.search import index

from core.pagecache import CachedPageMixin
from core.uploads import StoredFileMixin, private_storage
from home.models import IntroMixin, PromoteMixin

TITLE_MAX_LENGTH = 200
SUMMARY_MAX_LENGTH = 400
TEXT_MAX_LENGTH = 20_000
COMMENT_MAX_LENGTH = 4_000
NOTE_MAX_LENGTH = 1_000
REASON_MAX_LENGTH = 500
MAX_TAGS = 10


class IdeasExchangePage(CachedPageMixin, PromoteMixin, RoutablePageMixin, IntroMixin, Page):
    """/ideas/: the board and everything under it (the routes only dispatch to ``views``)."""

    # The board and each idea's page; ideas are not pages, so any change purges "ideas".
    page_cache_lists = ("ideas",)
    page_cache_views = ("board_view", "idea_view")

    PAGE_SIZE = 12

    content_panels = [*Page.content_panels, *IntroMixin.intro_panels]

    template = "ideas_exchange/board.html"
    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("ideas exchange")

    @path("")
    def board_view(self, request):
        from . import views

        return views.board(request, page=self)

    @path("rss/", name="rss")
    def rss_view(self, request):
        from . import feeds

        return feeds.ideas_rss(request, page=self)

    @path("new/", name="new")
    def new_view(self, request):
        from . import views_posting

        return views_posting.idea_new(request, page=self)

    @path("subscriptions/", name="subscriptions")
    def subscriptions_view(self, request):
        from . import views_subscriptions

        return views_subscriptions.subscriptions(request, page=self)

    @path("<int:idea_id>/", name="idea")
    def idea_view(self, request, idea_id):
        from . import views

        return views.idea_detail(request, page=self, idea_id=idea_id)

    @path("<int:idea_id>/edit/", name="edit")
    def edit_view(self, request, idea_id):
        from . import views_posting

        return views_posting.idea_edit(request, page=self, idea_id=idea_id)

    @path("<int:idea_id>/comment/", name="comment")
    def comment_view(self, request, idea_id):
        from . import views_discussion

        return views_discussion.comment_post(request, page=self, idea_id=idea_id)

    @path("<int:idea_id>/respond/", name="respond")
    def respond_view(self, request, idea_id):
        from . import views_discussion

        return views_discussion.respond(request, page=self, idea_id=idea_id)

    @path("<int:idea_id>/partner/", name="partner")
    def partner_view(self, request, idea_id):
        from . import views_discussion

        return views_discussion.partnership_request(request, page=self, idea_id=idea_id)

    @path("<int:idea_id>/partners/<int:partnership_id>/", name="partner_decide")
    def partner_decide_view(self, request, idea_id, partnership_id):
        from . import views_discussion

        return views_discussion.partnership_decide(
            request, page=self, idea_id=idea_id, partnership_id=partnership_id
        )

    @path("<int:idea_id>/stage/", name="stage")
    def stage_view(self, request, idea_id):
        from . import views_posting

        return views_posting.idea_stage(request, page=self, idea_id=idea_id)

    @path("<int:idea_id>/files/<int:attachment_id>/", name="attachment")
    def attachment_view(self, request, idea_id, attachment_id):
        from . import views

        return views.attachment_download(
            request, page=self, idea_id=idea_id, attachment_id=attachment_id
        )


class TaggedIdea(TaggedItemBase):
    """Industries and topics («отрасли и теги») of an idea, in taggit's shared tag table."""

    content_object = models.ForeignKey(
        "ideas_exchange.Idea", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        verbose_name = _("idea tag")
        verbose_name_plural = _("idea tags")


class Idea(index.Indexed, models.Model):
    class Kind(models.TextChoices):
        REQUEST = "request", pgettext_lazy("idea kind", "Request")
        OFFER = "offer", pgettext_lazy("idea kind", "Offer")
        PROJECT = "project", pgettext_lazy("idea kind", "Project")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("idea status", "Open")
        DISCUSSION = "discussion", pgettext_lazy("idea status", "In discussion")
        PARTNERS_FOUND = "partners_found", pgettext_lazy("idea status", "Partners found")
        CLOSED = "closed", pgettext_lazy("idea status", "Closed")

    class Stage(models.TextChoices):
        """A project's way (projects only); every change is an :class:`IdeaStageChange`."""

        IDEA = "idea", pgettext_lazy("project stage", "Idea")
        SEEKING = "seeking", pgettext_lazy("project stage", "Seeking partners")
        CONSORTIUM = "consortium", pgettext_lazy("project stage", "Consortium formed")
        SUBMITTED = "submitted", pgettext_lazy("project stage", "Application submitted")
        FUNDED = "funded", pgettext_lazy("project stage", "Funded")
        CLOSED = "closed", pgettext_lazy("project stage", "Closed")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Everyone")
        REGISTERED = "registered", _("Registered users")
        MEMBERS = "members", _("Members of the initiative")

    class Moderation(models.TextChoices):
        PENDING = "pending", pgettext_lazy("moderation", "Waiting for moderation")
        APPROVED = "approved", pgettext_lazy("moderation", "Published")
        HIDDEN = "hidden", pgettext_lazy("moderation", "Hidden")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    summary = models.CharField(
        _("short text"),
        max_length=SUMMARY_MAX_LENGTH,
        help_text=_("One or two sentences shown on the board's card."),
    )
    # Plain text (paragraphs by blank lines): escaped when shown, so markup is only text.
    text = models.TextField(_("text"), max_length=TEXT_MAX_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
    )
    # The author's organisation when posted (or last edited): shown to guests instead of a
    # name, and kept when the profile changes or the account goes.
    organisation_name = models.CharField(_("organisation"), max_length=255, blank=True)
    # PROTECT: an initiative with ideas is never deleted by a cascade (its delete guard says
    # why); None is a platform-wide idea.
    initiative = models.ForeignKey(
        "initiatives.InitiativePage",
        verbose_name=_("initiative"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ideas",
    )
    visibility = models.CharField(
        _("who can see it"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    stage = models.CharField(
        _("project stage"), max_length=16, choices=Stage.choices, blank=True, default=""
    )
    moderation = models.CharField(
        _("moderation"), max_length=16, choices=Moderation.choices, default=Moderation.APPROVED
    )
    moderation_reason = models.CharField(
        _("reason"), max_length=REASON_MAX_LENGTH, blank=True, help_text=_("Shown to the author.")
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    tags = TaggableManager(
        verbose_name=_("industries and tags"), through=TaggedIdea, blank=True, related_name="ideas"
    )
    created_at = models.DateTimeField(_("posted"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("edited"), auto_now=True)
    # When it first became visible (approved): the board's date and the matching notices'
    # "sent once" mark.
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("summary", boost=2),
        index.SearchField("text"),
        index.SearchField("organisation_name"),
        index.RelatedFields("tags", [index.SearchField("name", boost=2)]),
        index.FilterField("kind"),
        index.FilterField("status"),
        index.FilterField("moderation"),
        index.FilterField("visibility"),
        index.FilterField("initiative_id"),
        index.FilterField("author_id"),
        index.FilterField("published_at"),
    ]

    class Meta:
        ordering = ["-published_at", "-created_at", "-pk"]
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        indexes = [
            models.Index(fields=["moderation", "visibility", "-published_at"]),
            models.Index(fields=["initiative", "status"]),
        ]
        constraints = [
            # One initiative's members only makes sense with an initiative.
            models.CheckConstraint(
                condition=~Q(visibility="members") | Q(initiative__isnull=False),
                name="ideas_members_only_needs_initiative",
            ),
            # Only projects move through stages.
            models.CheckConstraint(
                condition=Q(kind="project") | Q(stage=""),
                name="ideas_stage_only_for_projects",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        """``/ideas/<id>/`` of the live board (the language prefix of the active language)."""
        from .selectors import board_page

        page = board_page()
        if page is None:
            return ""
        return page.url + page.reverse_subpage("idea", args=[self.pk])

    @property
    def is_project(self) -> bool:
        return self.kind == self.Kind.PROJECT

    @property
    def is_visible(self) -> bool:
        """Approved: on the board for those its visibility lets in."""
        return self.moderation == self.Moderation.APPROVED


def attachment_path(instance, filename):
    # ``filename`` is already uploads.storage_name(): a random folder and a safe ASCII name.
    return f"ideas/{instance.idea_id}/{filename}"


class IdeaAttachment(StoredFileMixin, models.Model):
    """A file of an idea, in private storage: downloaded through the board's route, which
    asks ``permissions.can_view_idea`` (a public idea's files are public)."""

    idea = models.ForeignKey(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=attachment_path, max_length=255
    )
    name = models.CharField(_("name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["idea", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name


class IdeaStageChange(models.Model):
    """A project's stage from ``changed_at`` on: the indicators count projects that reached
    a consortium, an application, funding."""

    idea = models.ForeignKey(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="stage_changes"
    )
    stage = models.CharField(_("stage"), max_length=16, choices=Idea.Stage.choices)
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["idea", "changed_at", "id"]
        verbose_name = _("project stage change")
        verbose_name_plural = _("project stage changes")

    def __str__(self):
        return f"{self.idea_id}: {self.stage}"


class IdeaComment(models.Model):
    """The discussion: flat, with replies one level deep (a reply's ``parent`` is always a
    top-level comment)."""

    idea = models.ForeignKey(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reply to"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="idea_comments",
    )
    text = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    # Moderators hide a comment rather than delete it: the thread keeps its shape.
    hidden = models.BooleanField(_("hidden"), default=False)

    class Meta:
        ordering = ["idea", "created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [models.Index(fields=["idea", "hidden"])]

    def __str__(self):
        return self.text[:60]


class Partnership(models.Model):
    """«Стать партнёром»: someone asks to join a project; its author accepts or declines.
    The accepted ones are the project's consortium (with the author's organisation as lead)."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("partnership", "Waiting for the author")
        ACCEPTED = "accepted", pgettext_lazy("partnership", "Accepted")
        DECLINED = "declined", pgettext_lazy("partnership", "Declined")
        WITHDRAWN = "withdrawn", pgettext_lazy("partnership", "Withdrawn")

    class Role(models.TextChoices):
        LEAD = "lead", pgettext_lazy("consortium role", "Lead")
        PARTNER = "partner", pgettext_lazy("consortium role", "Partner")
        SUPPLIER = "supplier", pgettext_lazy("consortium role", "Supplier")
        RESEARCH = "research", pgettext_lazy("consortium role", "Research")

    idea = models.ForeignKey(
        Idea, verbose_name=_("project"), on_delete=models.CASCADE, related_name="partnerships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("partner"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="idea_partnerships",
    )
    organisation_name = models.CharField(_("organisation"), max_length=255, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.PARTNER)
    note = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("asked"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["idea", "created_at", "id"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            # One open request or place per person and project; a declined one may ask again.
            models.UniqueConstraint(
                fields=["idea", "user"],
                condition=Q(status__in=["pending", "accepted"]),
                name="ideas_one_live_partnership_per_person",
            )
        ]

    def __str__(self):
        return f"{self.organisation_name or self.user_id} → {self.idea_id}"


class TagSubscription(models.Model):
    """A registered user follows a tag: new matching ideas reach them as notices."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="idea_tag_subscriptions",
    )
    tag = models.ForeignKey(
        "taggit.Tag", verbose_name=_("tag"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("subscribed"), default=timezone.now)

    class Meta:
        ordering = ["user", "tag"]
        verbose_name = _("tag subscription")
        verbose_name_plural = _("tag subscriptions")
        constraints = [
            models.UniqueConstraint(fields=["user", "tag"], name="ideas_one_subscription_per_tag")
        ]

    def __str__(self):
        return f"{self.user_id} → {self.tag_id}"
