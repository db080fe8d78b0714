"""Events (issue 12): the public calendar, registrations, feedback and the annual plan.

``EventIndexPage`` is ``/events/`` (list, month calendar, iCal feed, the plan); every
``EventPage`` sits under it at ``/events/<slug>/`` and belongs to one initiative or, with
none, to the whole platform. Registration, feedback and the plan are views of these rows:
the plan columns are fields of the event itself, so there is no second list to keep in step.

The page routes only dispatch; the work is in ``views.py`` (list, calendar, page, plan),
``ics.py`` (iCalendar) and ``views_registration.py`` (registration, cancellation, feedback).
"""

from __future__ import annotations

import secrets
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from core.locales import canonical, is_original
from core.pagecache import CLOCK_SECONDS, CachedPageMixin
from home.blocks import BaseStreamBlock, ProgrammeStreamBlock
from home.models import IntroMixin, PromoteMixin
from initiatives import moderation

from .forms_admin import EventPageForm

# The zones of the clusters' countries, Minsk first (the platform's home).
TIME_ZONES = [
    ("Europe/Minsk", _("Minsk (UTC+3)")),
    ("Europe/Kaliningrad", _("Kaliningrad (UTC+2)")),
    ("Europe/Moscow", _("Moscow (UTC+3)")),
    ("Europe/Samara", _("Samara (UTC+4)")),
    ("Asia/Yekaterinburg", _("Yekaterinburg (UTC+5)")),
    ("Asia/Omsk", _("Omsk (UTC+6)")),
    ("Asia/Novosibirsk", _("Novosibirsk (UTC+7)")),
    ("Asia/Krasnoyarsk", _("Krasnoyarsk (UTC+7)")),
    ("Asia/Irkutsk", _("Irkutsk (UTC+8)")),
    ("Asia/Vladivostok", _("Vladivostok (UTC+10)")),
    ("UTC", _("UTC")),
]
DEFAULT_TIME_ZONE = "Europe/Minsk"


@register_snippet
class EventKind(models.Model):
    """A kind of event (seed 003: seminars, round tables, working meetings, conferences,
    exhibitions and fairs); editors keep the list in Wagtail admin's snippets."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True, allow_unicode=False)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("kind of event")
        verbose_name_plural = _("kinds of events")

    def __str__(self) -> str:
        return self.name


class EventIndexPage(CachedPageMixin, PromoteMixin, RoutablePageMixin, IntroMixin, Page):
    """/events/: upcoming and past events, the month calendar, the iCal feed, the plan."""

    page_cache_lists = ("events",)
    page_cache_seconds = CLOCK_SECONDS  # upcoming events, open registration
    page_cache_views = ("event_list_view", "plan_view")

    PAGE_SIZE = 12

    content_panels = [*Page.content_panels, *IntroMixin.intro_panels]

    template = "events/event_index_page.html"
    parent_page_types = ["home.HomePage"]
    subpage_types = ["events.EventPage"]
    max_count = 1

    class Meta:
        verbose_name = _("events index")

    @path("")
    def event_list_view(self, request):
        from . import views

        return views.event_list(request, index_page=self)

    @path("calendar.ics", name="calendar_ics")
    def calendar_ics_view(self, request):
        from . import ics

        return ics.calendar_ics(request, index_page=self)

    @path("plan/", name="plan")
    def plan_view(self, request):
        from . import views

        return views.plan(request, index_page=self)

    @path("plan.xlsx", name="plan_xlsx")
    def plan_xlsx_view(self, request):
        from . import views

        return views.plan_xlsx(request, index_page=self)


class EventPage(CachedPageMixin, PromoteMixin, RoutablePageMixin, IntroMixin, Page):
    """One event of an initiative, or of the platform when ``initiative`` is empty."""

    page_cache_kind = "events"
    page_cache_seconds = CLOCK_SECONDS  # upcoming events, open registration
    page_cache_views = ("event_view",)

    class Format(models.TextChoices):
        OFFLINE = "offline", _("Offline")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Offline and online")

    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("Everyone (guests register with their e-mail)")
        REGISTERED = "registered", _("Registered users of the platform")
        MEMBERS = "members", _("Members of the initiative")

    class PlanStatus(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    initiative = models.ForeignKey(
        "initiatives.InitiativePage",
        verbose_name=_("initiative"),
        null=True,
        blank=True,
        # An initiative with events is not deleted by a cascade (events' delete guard says so).
        on_delete=models.PROTECT,
        related_name="events",
        help_text=_("Empty: an event of the whole platform."),
    )
    kind = models.ForeignKey(
        EventKind,
        verbose_name=_("kind"),
        null=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    format = models.CharField(
        _("format"), max_length=10, choices=Format.choices, default=Format.OFFLINE
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=40,
        choices=TIME_ZONES,
        default=DEFAULT_TIME_ZONE,
        help_text=_("Start and end are entered and shown in this zone."),
    )
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    online_url = models.URLField(
        _("online link"),
        max_length=500,
        blank=True,
        help_text=_("Shown only to registered participants."),
    )
    organisers = models.CharField(_("organisers"), max_length=255, blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("description"))
    programme = StreamField(ProgrammeStreamBlock(), blank=True, verbose_name=_("programme"))

    # Registration
    registration_enabled = models.BooleanField(
        _("registration on the site"),
        default=True,
        help_text=_("Off: the page only announces the event."),
    )
    audience = models.CharField(
        _("who may register"), max_length=12, choices=Audience.choices, default=Audience.EVERYONE
    )
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Seats; when they are taken, people join the waiting list. Empty: no limit."),
    )
    registration_deadline = models.DateTimeField(
        _("registration deadline"),
        null=True,
        blank=True,
        help_text=_("Empty: until the event starts."),
    )
    cancelled = models.BooleanField(
        _("cancelled"),
        default=False,
        help_text=_("The page stays, marked as cancelled; registration closes."),
    )

    # The annual plan (seed 004's columns); the number, the name and the dates are the event's.
    in_plan = models.BooleanField(_("in the events plan"), default=True)
    plan_participants = models.CharField(
        _("participants (plan)"),
        max_length=255,
        blank=True,
        help_text=_("Who takes part, e.g. «ЦКиИР, участники кластера, ПГУ»."),
    )
    plan_timing = models.CharField(
        _("timing (plan)"),
        max_length=120,
        blank=True,
        help_text=_("As the plan says it, e.g. «январь – февраль»; empty: the event's dates."),
    )
    plan_budget = models.CharField(
        _("resources, budget (plan)"),
        max_length=255,
        blank=True,
        help_text=_("What it needs, e.g. «зал, 2 000 BYN»."),
    )
    plan_funding_source = models.CharField(
        _("source of resources (plan)"), max_length=255, blank=True
    )
    plan_results = models.TextField(_("expected results (plan)"), max_length=2000, blank=True)

    # After the event
    report = RichTextField(
        _("report"),
        blank=True,
        features=["bold", "italic", "link", "document-link", "ol", "ul"],
    )
    report_participants = models.PositiveIntegerField(
        _("number of participants"),
        null=True,
        blank=True,
        help_text=_("Empty: the attendance marked in the registration list."),
    )

    # Set once, when the «new event» notice went out (the first publication).
    announced_at = models.DateTimeField(null=True, blank=True, editable=False)

    content_panels = [
        *Page.content_panels,
        *IntroMixin.intro_panels,
        MultiFieldPanel(
            [
                FieldPanel("initiative"),
                FieldRowPanel([FieldPanel("kind"), FieldPanel("format")]),
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                FieldPanel("time_zone"),
                FieldRowPanel([FieldPanel("venue"), FieldPanel("address")]),
                FieldPanel("online_url"),
                FieldPanel("organisers"),
                FieldPanel("cancelled"),
            ],
            heading=_("Event"),
        ),
        FieldPanel("image"),
        FieldPanel("body"),
        InlinePanel("speakers", label=_("Speakers"), heading=_("Speakers")),
        FieldPanel("programme"),
    ]
    registration_panels = [
        FieldPanel("registration_enabled"),
        FieldPanel("audience"),
        FieldRowPanel([FieldPanel("capacity"), FieldPanel("registration_deadline")]),
    ]
    plan_panels = [
        FieldPanel("in_plan"),
        FieldPanel("plan_participants"),
        FieldPanel("plan_timing"),
        FieldRowPanel([FieldPanel("plan_budget"), FieldPanel("plan_funding_source")]),
        FieldPanel("plan_results"),
    ]
    report_panels = [
        FieldPanel("report"),
        FieldPanel("report_participants"),
        InlinePanel("photos", label=_("Photos"), heading=_("Photos")),
        InlinePanel("documents", label=_("Documents"), heading=_("Documents")),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(registration_panels, heading=_("Registration")),
            ObjectList(plan_panels, heading=_("Plan")),
            ObjectList(report_panels, heading=_("Report")),
            ObjectList(PromoteMixin.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )
    base_form_class = EventPageForm

    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.SearchField("venue"),
        index.SearchField("organisers"),
        index.FilterField("starts_at"),
    ]

    template = "events/event_page.html"
    parent_page_types = ["events.EventIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["starts_at"], name="events_starts_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="events_ends_after_start",
            )
        ]

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("The event cannot end before it starts.")})
        if (
            self.registration_deadline
            and self.ends_at
            and self.registration_deadline > self.ends_at
        ):
            raise ValidationError(
                {"registration_deadline": _("The deadline cannot be after the event ends.")}
            )

    def save(self, *args, **kwargs):
        # An event belongs to the original initiative, whichever language's version the
        # editor chose (wagtail-localize points a translation at the translated initiative).
        if self.initiative_id is not None and not is_original(self.initiative):
            self.initiative = canonical(self.initiative)
        super().save(*args, **kwargs)

    def guest_registration_state(self, *, now=None) -> tuple[bool, bool]:
        """(whether a guest may register right now, whether the seats are all taken), read on
        the original event (an English version has no registrations of its own): the
        structured data's Offer (home/structured_data.py)."""
        from .permissions import registration_refusal
        from .selectors_registration import seats_taken

        event = canonical(self)
        if registration_refusal(user=None, event=event, now=now) is not None:
            return False, False
        sold_out = (
            event.capacity is not None and seats_taken(event=event, now=now) >= event.capacity
        )
        return True, sold_out

    def with_content_json(self, content):
        # Publishing copies every field back from the revision; a revision saved before the
        # announcement would set announced_at back to None.
        obj = super().with_content_json(content)
        obj.announced_at = self.announced_at
        return obj

    def get_workflow(self):
        # The editors' approval while its initiative requires it (initiatives/moderation.py).
        return moderation.workflow_for(self.initiative) or super().get_workflow()

    @property
    def has_workflow(self):
        return self.get_workflow() is not None

    # --- what templates and services read --------------------------------------------------

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone or DEFAULT_TIME_ZONE)

    @property
    def local_start(self):
        return timezone.localtime(self.starts_at, self.zone)

    @property
    def local_end(self):
        return timezone.localtime(self.ends_at, self.zone)

    @property
    def registration_closes_at(self):
        return self.registration_deadline or self.starts_at

    def has_started(self, now=None) -> bool:
        return (now or timezone.now()) >= self.starts_at

    def has_ended(self, now=None) -> bool:
        return (now or timezone.now()) >= self.ends_at

    @property
    def plan_status(self) -> str:
        if self.cancelled:
            return self.PlanStatus.CANCELLED
        return self.PlanStatus.HELD if self.has_ended() else self.PlanStatus.PLANNED

    def get_plan_status_display(self) -> str:
        return self.PlanStatus(self.plan_status).label

    @path("")
    def event_view(self, request):
        from . import views

        return views.event_detail(request, event=self)

    @path("event.ics", name="event_ics")
    def event_ics_view(self, request):
        from . import ics

        return ics.event_ics(request, event=self)

    # Registrations, seats and ratings are the original event's: an English version's forms
    # act on it (core/locales.py).
    @path("register/", name="register")
    def register_view(self, request):
        from . import views_registration

        return views_registration.register(request, event=canonical(self))

    @path("cancel/", name="cancel")
    def cancel_view(self, request):
        from . import views_registration

        return views_registration.cancel(request, event=canonical(self))

    @path("feedback/", name="feedback")
    def feedback_view(self, request):
        from . import views_registration

        return views_registration.feedback(request, event=canonical(self))

    @re_path(r"^registration/(?P<token>[-:\w]{10,200})/$", name="registration")
    def registration_view(self, request, token):
        from . import views_registration

        return views_registration.manage(request, event=canonical(self), token=token)


class EventSpeaker(Orderable):
    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position and organisation"), max_length=255, blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [FieldPanel("name"), FieldPanel("position"), FieldPanel("photo")]

    class Meta(Orderable.Meta):
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")


class EventPhoto(Orderable):
    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("image"), on_delete=models.CASCADE, related_name="+"
    )
    caption = models.CharField(_("caption"), max_length=250, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = _("photo")
        verbose_name_plural = _("photos")


class EventDocument(Orderable):
    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(
        _("title"), max_length=250, blank=True, help_text=_("Empty: the document's own title.")
    )

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")


def _registration_secret() -> str:
    return secrets.token_urlsafe(16)


class Registration(models.Model):
    """A person's place at an event: a seat, a place on the waiting list, or a guest's
    registration waiting for its e-mail confirmation."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for e-mail confirmation")
        CONFIRMED = "confirmed", _("Registered")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    # Statuses that hold a seat or a place in the queue (and block a second registration).
    ACTIVE = (Status.PENDING, Status.CONFIRMED, Status.WAITLISTED)

    event = models.ForeignKey(
        EventPage, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_registrations",
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail"))
    organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    # None: not marked yet; organisers mark it in Wagtail admin.
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    # Part of every link a registration's e-mails carry; a new secret revokes the old links.
    secret = models.CharField(max_length=32, default=_registration_secret, editable=False)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    # The waiting list's order: when the person joined it (or their registration was made).
    queued_at = models.DateTimeField(default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("moved up from the waiting list"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        indexes = [
            models.Index(fields=["event", "status", "queued_at"], name="events_reg_queue_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                "event",
                Lower("email"),
                condition=~models.Q(status="cancelled"),
                name="events_one_active_registration_per_email",
            ),
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=~models.Q(status="cancelled") & models.Q(user__isnull=False),
                name="events_one_active_registration_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.event_id}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


class Feedback(models.Model):
    """An attendee's rating of how the event was organised (1–5), once per registration."""

    registration = models.OneToOneField(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="feedback",
    )
    # Denormalised from the registration so averages per event and per kind are one query.
    event = models.ForeignKey(
        EventPage, verbose_name=_("event"), on_delete=models.CASCADE, related_name="feedback"
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="events_rating_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rating} — {self.event_id}"
